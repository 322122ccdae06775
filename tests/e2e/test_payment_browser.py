"""网上缴费 in a real browser on a phone: 我的报名 → 去缴费 → 去支付 → the simulator's cashier
(scripts/paysim.py, a real process) → 支付成功 → back on our page, 已缴费 → 缴费凭证 PDF.
The simulator calls the e2e live server back (site_gateway), so the notification is real
too. And with the platform down the page says so and nothing is charged."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD
from payment_fixtures import *  # noqa: F403  (the simulator, keys, approved, site_gateway …)
from payment_fixtures import wait_for
from pypdf import PdfReader

from yikao.payments.models import Order, OrderStatus, Payment
from yikao.registrations.models import Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(page, user, next_url: str) -> None:
    user.has_seen_profile = True  # the first login would land on 个人信息 instead
    user.save(update_fields=["has_seen_profile"])
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def test_candidate_pays_through_the_cashier_and_downloads_the_receipt(
    phone_page, shot, approved, site_gateway, ctl, tmp_path
):
    page = phone_page
    login(page, approved.candidate.user, "/registrations/")
    card = page.locator("article.registration").filter(has_text=approved.number)
    card.get_by_role("link", name="去缴费").click()
    page.wait_for_url(f"**/payments/{approved.pk}/")
    assert page.get_by_role("cell", name="医学综合考试费").is_visible()
    assert page.get_by_role("cell", name="实践技能考试费").is_visible()
    assert page.locator(".fee-total").inner_text() == "540.00"
    # Nothing wider than the phone: no sideways scrolling on the pay page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "payments-01-pay-page-phone")

    page.get_by_role("button", name="去支付 540.00 元").click()
    page.wait_for_url(f"{site_gateway.config.base_url}/cashier/**")
    order = Order.objects.get(registration=approved)
    assert order.status == OrderStatus.PENDING and order.amount_fen == 54000
    page.get_by_role("button", name="支付成功").click()

    page.wait_for_url(f"**/payments/{approved.pk}/")
    assert page.get_by_role("status").filter(has_text="已缴费").is_visible()
    assert order.order_no in page.content()
    # The notification reaches the live server too; either way one payment.
    wait_for(lambda: any(d["acknowledged"] for d in ctl("state", method="GET")["deliveries"]))
    order.refresh_from_db()
    approved.refresh_from_db()
    assert order.status == OrderStatus.PAID and approved.status == Status.PAID
    assert Payment.objects.filter(order=order).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "payments-02-paid-phone")

    link = page.get_by_role("link", name="下载缴费凭证（PDF）")
    assert link.is_visible()
    response = page.request.get(link.get_attribute("href"))  # the page's session cookie
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    text = PdfReader(io.BytesIO(body)).pages[0].extract_text().replace(" ", "")
    assert order.order_no in text and order.trade_no in text and "540.00" in text

    # The receipt as a picture, beside the screenshots.
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        pdf = tmp_path / "receipt.pdf"
        pdf.write_bytes(body)
        out = SCREENSHOTS / "payments-03-receipt"
        subprocess.run([pdftoppm, "-r", "60", "-png", "-singlefile", pdf, out], check=True)


def test_platform_down_shows_the_message_on_the_pay_page(page, shot, approved, site_gateway, ctl):
    ctl("down")
    login(page, approved.candidate.user, f"/payments/{approved.pk}/")
    page.get_by_role("button", name="去支付 540.00 元").click()
    page.wait_for_url(f"**/payments/{approved.pk}/")
    assert page.get_by_text("支付平台暂时无法访问，请稍后再试。您未被扣款。").is_visible()
    assert not Payment.objects.exists()
    shot(page, "payments-04-platform-down-desktop")
