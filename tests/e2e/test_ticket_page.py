"""The candidate's 准考证 page in a browser at 375 px and 1280 px: before the release time
it says when, after it the ticket and the PDF behind its download link."""

import datetime

import pytest
from django.utils import timezone
from factories import DEFAULT_PASSWORD, make_exam, make_photo, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration

from yikao.payments import services as payments
from yikao.seating import services
from yikao.seating.models import Part, Release, Room, Run, Seat, Session

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def seated():
    """A paid registration with a photo, seated in the 医学综合 at room 012, seat 3."""
    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101")
    site.address = "河南省郑州市金水区文化路97号"
    site.save(update_fields=["address"])
    fee_schedule(exam, site.area)
    registration = approve(make_registration(exam, site, full_name="欧阳娜娜"))
    order = payments.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    payments.settle(
        order_no=order.order_no, channel="counter", reference="PJ1", amount_fen=order.amount_fen,
        paid_at=timezone.now(), source="counter",
    )  # fmt: skip
    registration.photo_sha256 = make_photo(registration.candidate).sha256
    registration.save(update_fields=["photo_sha256"])
    start = timezone.now().replace(hour=1, minute=0, second=0, microsecond=0)
    start += datetime.timedelta(days=7)
    hours = datetime.timedelta(hours=2, minutes=30)
    units = [
        {"name": f"第{n}单元", "starts_at": (start + d).isoformat(),
         "ends_at": (start + d + hours).isoformat()}
        for n, d in (("一", datetime.timedelta()), ("二", datetime.timedelta(hours=5)))
    ]  # fmt: skip
    session = Session.objects.create(
        exam=exam, site=site, part=Part.WRITTEN, number=1, label="综合", starts_at=start,
        ends_at=start + datetime.timedelta(hours=8), units=units,
    )  # fmt: skip
    room = Room.objects.create(
        site=site, code="012", name="第十二考场", place="3号楼203", capacity=30
    )
    run = Run.objects.create(exam=exam, site=site, part=Part.WRITTEN, seed=1)
    Seat.objects.create(
        registration=registration, part=Part.WRITTEN, session=session, room=room, number=3,
        run=run, ticket_no=services.ticket_no(exam, site, Part.WRITTEN, session, room, 3),
    )  # fmt: skip
    registration.refresh_from_db()
    return registration


def login(page, user, next_url: str) -> None:
    user.has_seen_profile = True  # the first login would land on 个人信息 instead
    user.save(update_fields=["has_seen_profile"])
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_before_the_release_on_a_phone(phone_page, seated, shot):
    Release.objects.create(
        exam=seated.exam, part=Part.WRITTEN, opens_at=timezone.now() + datetime.timedelta(days=1)
    )
    login(phone_page, seated.candidate.user, f"/seating/tickets/{seated.pk}/")
    assert phone_page.get_by_text("开放打印").is_visible()
    assert phone_page.get_by_role("link", name="下载准考证（PDF）").count() == 0
    assert fits(phone_page)
    shot(phone_page, "ticket-page-not-open-375")


@pytest.mark.parametrize("device", ["phone_page", "page"])
def test_after_the_release_the_ticket_and_its_pdf(request, device, seated, shot):
    browser_page = request.getfixturevalue(device)
    Release.objects.create(
        exam=seated.exam, part=Part.WRITTEN, opens_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    login(browser_page, seated.candidate.user, "/registrations/")
    browser_page.get_by_role("link", name="准考证").click()
    browser_page.wait_for_url(f"**/seating/tickets/{seated.pk}/")
    seat = seated.seats.get()
    assert browser_page.get_by_text(seat.ticket_no).is_visible()
    # Units in Beijing time (the session starts at 01:00 UTC = 09:00), as on the PDF.
    assert browser_page.get_by_text("09:00—11:30").is_visible()
    link = browser_page.get_by_role("link", name="下载准考证（PDF）")
    assert link.is_visible()
    assert fits(browser_page)
    shot(browser_page, f"ticket-page-{'375' if device == 'phone_page' else '1280'}")
    response = browser_page.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
