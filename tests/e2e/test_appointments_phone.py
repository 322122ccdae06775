"""预约信息采集 on a 375-px phone: book, reschedule, cancel; then staff check-in."""

import datetime
import sys
from pathlib import Path

import pytest
from browser_waits import image_loaded
from django.test import Client
from django.utils import timezone
from factories import DEFAULT_PASSWORD, make_exam, make_site

from yikao.appointments.models import Booking, BookingStatus, SiteSetting, Slot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "appointments"))
from appointments_helpers import at, make_registration, make_slot, make_staff, staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def login(page, user, next_url: str) -> None:
    user.has_seen_profile = True  # the first login would land on 个人信息 instead
    user.save(update_fields=["has_seen_profile"])
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def assert_fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways: {width}px"


def assert_large(locator):
    box = locator.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 120, box


def test_book_reschedule_cancel_on_a_phone_then_staff_check_in(phone_page, page, shot, live_server):
    exam = make_exam()
    site = make_site(exam, code="4101")
    site.address = "郑州市金水区经三路 1 号"
    site.save()
    SiteSetting.objects.create(site=site, cutoff_hours=24, instructions="请携带身份证原件及网上报名成功通知单。")  # fmt: skip
    first = make_slot(exam, site, days=3, hour=8, capacity=20, place="一楼大厅")
    make_slot(exam, site, days=3, hour=14, capacity=1, place="一楼大厅")
    later = make_slot(exam, site, days=4, hour=9, capacity=20, place="二楼会议室")
    registration = make_registration(exam, site)
    # The afternoon slot is taken by someone else: it shows as 已约满.
    from yikao.appointments.services import booking_create

    full = Slot.objects.get(exam=exam, starts_at=at(3, 14))
    booking_create(candidate=make_registration(exam, site).candidate, slot=full)

    phone = phone_page
    login(phone, registration.candidate.user, "/registrations/")
    # The next step at the top says it too; this is the registration card's own link.
    phone.get_by_role("article").get_by_role("link", name="预约信息采集").click()
    phone.wait_for_url(f"**/appointments/{registration.pk}/")
    assert_fits_phone(phone)
    day_link = phone.locator("a.appt-day").first
    assert_large(day_link)
    shot(phone, "appointments-01-phone-days")

    day_link.click()
    assert phone.locator(".appt-slot.is-full").count() == 1
    slot_link = phone.locator("a.appt-slot").first
    assert_large(slot_link)
    assert_fits_phone(phone)
    shot(phone, "appointments-02-phone-slots")

    slot_link.click()
    confirm = phone.get_by_role("button", name="确认预约")
    assert_large(confirm)
    shot(phone, "appointments-03-phone-confirm")
    confirm.click()
    phone.wait_for_url(f"**/appointments/{registration.pk}/")
    booking = Booking.objects.get(registration=registration)
    assert booking.slot == first
    assert phone.locator(".appt-code").inner_text() == booking.display_code
    assert phone.get_by_role("img", name="预约码二维码").is_visible()
    assert image_loaded(phone, "img[alt='预约码二维码']", min_width=100)
    assert "预约成功" in phone.content()
    assert_fits_phone(phone)
    shot(phone, "appointments-04-phone-booked")

    # Reschedule to the next day.
    phone.get_by_role("link", name="改约").click()
    phone.locator("a.appt-day").nth(1).click()
    phone.locator("a.appt-slot").first.click()
    phone.get_by_role("button", name="确认改约").click()
    phone.wait_for_url(f"**/appointments/{registration.pk}/")
    assert "改约成功" in phone.content() and "二楼会议室" in phone.content()
    booking.refresh_from_db()
    assert booking.slot == later
    shot(phone, "appointments-05-phone-rescheduled")

    # Cancel (the browser asks first), then book again.
    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="取消预约").click()
    phone.wait_for_load_state()
    assert "已取消预约" in phone.content()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    shot(phone, "appointments-06-phone-cancelled")
    phone.locator("a.appt-day").first.click()
    phone.locator("a.appt-slot").first.click()
    phone.get_by_role("button", name="确认预约").click()
    phone.wait_for_url(f"**/appointments/{registration.pk}/")
    again = Booking.objects.get(registration=registration, status=BookingStatus.BOOKED)

    # The day has come: the slot starts shortly; staff check the candidate in by code.
    start = timezone.now() + datetime.timedelta(minutes=5)
    if timezone.localtime(start).date() != timezone.localdate():
        start = timezone.now()
    Slot.objects.filter(pk=again.slot_id).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))  # fmt: skip
    client = staff_login(Client(), make_staff(site=site))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])  # fmt: skip
    page.goto(f"/appointments/staff/sites/{site.pk}/")
    assert "已预约" in page.content()
    shot(page, "appointments-07-staff-overview")
    page.get_by_role("link", name="名单与签到").first.click()
    code_input = page.get_by_label("预约码")
    assert code_input.evaluate("el => el === document.activeElement")  # ready for a scanner
    code_input.fill(again.display_code.lower())
    code_input.press("Enter")
    page.wait_for_load_state()
    assert "签到成功" in page.content()
    again.refresh_from_db()
    assert again.status == BookingStatus.CHECKED_IN
    candidate = registration.candidate
    assert (
        candidate.id_number not in page.content() and candidate.masked_id_number in page.content()
    )
    shot(page, "appointments-08-staff-checked-in")
