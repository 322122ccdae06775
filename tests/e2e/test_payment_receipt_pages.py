"""缴费凭证 in a browser, on a phone and a desktop: the paid pay page's download button and
the PDF behind it, and the clear page an unpaid registration gets instead."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from factories import DEFAULT_PASSWORD, make_exam, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration

from yikao.payments import services
from yikao.payments.models import Channel, Source

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved():
    exam = make_exam()
    exam.payment_deadline = timezone.now() + timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101")
    fee_schedule(exam, site.area, skills=30000)
    return approve(make_registration(exam, site))


def paid(registration):
    order = services.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    services.settle(
        order_no=order.order_no, channel=Channel.ONLINE, reference="T20270402101500888",
        amount_fen=order.amount_fen, paid_at=timezone.now(), source=Source.NOTIFY,
    )  # fmt: skip
    return order


def login(page, user, next_url: str) -> None:
    user.has_seen_profile = True  # the first login would land on 个人信息 instead
    user.save(update_fields=["has_seen_profile"])
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


@pytest.mark.parametrize("device", ["phone_page", "page"])
def test_paid_page_offers_the_receipt(request, device, approved, shot):
    browser_page = request.getfixturevalue(device)
    order = paid(approved)
    login(browser_page, approved.candidate.user, f"/payments/{approved.pk}/")
    button = browser_page.get_by_role("link", name="下载缴费凭证（PDF）")
    assert button.is_visible()
    box = button.bounding_box()
    width = browser_page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # not cut off on a phone
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
    shot(browser_page, f"payment-receipt-link-{device}")
    href = button.get_attribute("href")
    response = browser_page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert order.order_no in response.headers["content-disposition"]
    # Kept beside the screenshots, to look at (pdftoppm -png -r 80).
    (SCREENSHOTS / f"payment-receipt-{device}.pdf").write_bytes(response.body())


@pytest.mark.parametrize("device", ["phone_page", "page"])
def test_unpaid_receipt_page(request, device, approved, shot):
    browser_page = request.getfixturevalue(device)
    login(browser_page, approved.candidate.user, f"/payments/{approved.pk}/")
    browser_page.goto(f"/documents/{approved.pk}/receipt.pdf")
    assert browser_page.get_by_role("alert").inner_text() == (
        "该报名尚未缴费，缴费成功后才能下载缴费凭证。"
    )
    width = browser_page.viewport_size["width"]
    assert browser_page.evaluate("document.documentElement.scrollWidth") <= width
    shot(browser_page, f"payment-receipt-refused-{device}")
