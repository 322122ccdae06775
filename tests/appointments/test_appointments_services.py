"""Booking services: the refusals, the seat arithmetic, notices and audit rows."""

import datetime

import pytest
from appointments_helpers import at, make_registration, make_slot, make_staff, set_cutoff
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from factories import make_draft, make_exam, make_site

from yikao.appointments.models import ACTIVE, Booking, BookingStatus, Slot
from yikao.appointments.selectors import open_days, open_slots, registration_county
from yikao.appointments.services import (
    SLOT_FULL,
    AppointmentError,
    booking_cancel,
    booking_check_in,
    booking_create,
    booking_mark_no_show,
    booking_reschedule,
    slot_close,
    slot_update,
    slots_create_bulk,
)
from yikao.core.models import AuditEntry
from yikao.inbox.senders import MemorySender
from yikao.registrations.models import Registration
from yikao.registrations.services import registration_abandon, registration_submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def other_site(exam):
    return make_site(exam, code="4102")


@pytest.fixture
def reg(exam, site):
    return make_registration(exam, site, email="kaosheng@example.com")


def refusal(code, **kwargs):
    with pytest.raises(AppointmentError) as info:
        booking_create(**kwargs)
    assert info.value.code == code, info.value.message
    return info.value.message


def test_booking_create_books_sends_notice_and_audits(exam, site, reg):
    slot = make_slot(exam, site, capacity=2, place="一楼大厅")
    booking = booking_create(candidate=reg.candidate, slot=slot)
    assert booking.status == BookingStatus.BOOKED and booking.registration == reg
    assert len(booking.code) == 8 and set(booking.code) <= set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
    [email] = mail.outbox
    assert email.to == ["kaosheng@example.com"] and booking.display_code in email.body
    [notice] = MemorySender.outbox
    assert notice.kind == "booked" and notice.mobile == reg.candidate.mobile
    assert "一楼大厅" in notice.short
    assert AuditEntry.objects.filter(action="appointment.booked", target_id=str(booking.pk)).count() == 1  # fmt: skip


@pytest.mark.parametrize("status", ["approved", "site_approved"])
def test_booking_create_accepts_both_passed_statuses(exam, site, status):
    registration = make_registration(exam, site, status=status)
    slot = make_slot(exam, site)
    assert booking_create(candidate=registration.candidate, slot=slot).pk


@pytest.mark.parametrize("status", ["submitted", "returned"])
def test_booking_create_refuses_wrong_status(exam, site, status):
    registration = make_registration(exam, site, status=status)
    message = refusal("status", candidate=registration.candidate, slot=make_slot(exam, site))
    assert message == "考点审核通过后才能预约信息采集，请留意报名状态。"
    assert not Booking.objects.exists() and not MemorySender.outbox


def test_booking_create_refuses_other_sites_slot(exam, other_site, reg):
    refusal("site", candidate=reg.candidate, slot=make_slot(exam, other_site))


def test_booking_create_refuses_other_exams_slot(exam, site, reg):
    refusal("not_found", candidate=reg.candidate, slot=make_slot(make_exam(), site))


def test_booking_create_refuses_past_the_sites_cutoff(exam, site, reg):
    slot = make_slot(exam, site, starts_at=timezone.now() + datetime.timedelta(hours=23))
    refusal("cutoff", candidate=reg.candidate, slot=slot)
    set_cutoff(site, 12)  # the site's own setting
    assert booking_create(candidate=reg.candidate, slot=slot).pk


def test_booking_create_refuses_a_full_slot(exam, site, reg):
    slot = make_slot(exam, site, capacity=1)
    booking_create(candidate=make_registration(exam, site).candidate, slot=slot)
    assert refusal("full", candidate=reg.candidate, slot=slot) == SLOT_FULL


def test_booking_create_refuses_a_closed_slot(exam, site, reg):
    refusal("closed", candidate=reg.candidate, slot=make_slot(exam, site, is_closed=True))


def test_booking_create_same_slot_twice_returns_the_booking(exam, site, reg):
    slot = make_slot(exam, site)
    first = booking_create(candidate=reg.candidate, slot=slot)
    assert booking_create(candidate=reg.candidate, slot=slot) == first
    refusal("exists", candidate=reg.candidate, slot=make_slot(exam, site, days=4))
    assert Booking.objects.count() == 1 and len(MemorySender.outbox) == 1


def test_one_active_booking_per_registration_is_a_database_constraint(exam, site, reg):
    booking = booking_create(candidate=reg.candidate, slot=make_slot(exam, site))
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(registration=reg, candidate=reg.candidate,
                               slot=make_slot(exam, site, days=5), code="ZZZZ2222")  # fmt: skip
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    Booking.objects.create(registration=reg, candidate=reg.candidate, slot=booking.slot, code="ZZZZ3333")  # fmt: skip


def test_reserved_slot_admits_only_its_category_codes(exam, site, reg):
    assert reg.category.code == "110"
    other = make_slot(exam, site, category_codes=["210"])
    mine = make_slot(exam, site, days=4, category_codes=["110", "120"])
    assert [s.slot for s in open_slots(reg)] == [mine]
    refusal("reserved", candidate=reg.candidate, slot=other)
    assert booking_create(candidate=reg.candidate, slot=mine).pk


def test_reserved_slot_admits_only_its_counties(exam, site, reg):
    reg.snapshot["work"]["work_unit_code"] = "4101020010010101"
    reg.save(update_fields=["snapshot"])
    assert registration_county(reg) == "410102"
    county = make_slot(exam, site, counties=["410102"])
    city = make_slot(exam, site, days=4, counties=["4101"])
    elsewhere = make_slot(exam, site, days=5, counties=["410305"])
    assert [s.slot for s in open_slots(reg)] == [county, city]
    refusal("reserved", candidate=reg.candidate, slot=elsewhere)


def test_open_days_counts_free_seats_and_hides_past_cutoff(exam, site, reg):
    make_slot(exam, site, days=3, hour=9, capacity=5)
    make_slot(exam, site, days=3, hour=14, capacity=4)
    make_slot(exam, site, starts_at=timezone.now() + datetime.timedelta(hours=2))
    full = make_slot(exam, site, days=4, capacity=1)
    booking_create(candidate=make_registration(exam, site).candidate, slot=full)
    days = open_days(reg)
    assert [(d.slots, d.left) for d in days] == [(2, 9), (1, 0)]


def test_reschedule_moves_the_booking_and_frees_the_old_seat_at_once(exam, site, reg):
    a, b = make_slot(exam, site, capacity=1), make_slot(exam, site, days=4, capacity=1)
    booking = booking_create(candidate=reg.candidate, slot=a)
    moved = booking_reschedule(candidate=reg.candidate, booking=booking, slot=b)
    assert moved.pk == booking.pk and moved.slot == b and moved.code == booking.code
    other = make_registration(exam, site)
    assert booking_create(candidate=other.candidate, slot=a).slot == a
    assert MemorySender.outbox[-2].kind == "rescheduled"
    assert AuditEntry.objects.filter(action="appointment.rescheduled").count() == 1


def test_reschedule_refuses_a_full_slot_and_keeps_the_booking(exam, site, reg):
    a, b = make_slot(exam, site), make_slot(exam, site, days=4, capacity=1)
    booking = booking_create(candidate=reg.candidate, slot=a)
    booking_create(candidate=make_registration(exam, site).candidate, slot=b)
    with pytest.raises(AppointmentError, match="已约满"):
        booking_reschedule(candidate=reg.candidate, booking=booking, slot=b)
    booking.refresh_from_db()
    assert booking.slot == a and booking.status == BookingStatus.BOOKED


def test_reschedule_and_cancel_refused_after_the_cutoff(exam, site, reg):
    set_cutoff(site, 0)
    soon = make_slot(exam, site, starts_at=timezone.now() + datetime.timedelta(hours=5))
    booking = booking_create(candidate=reg.candidate, slot=soon)
    set_cutoff(site, 24)
    with pytest.raises(AppointmentError) as info:
        booking_reschedule(candidate=reg.candidate, booking=booking, slot=make_slot(exam, site))
    assert info.value.code == "cutoff" and "24 小时" in info.value.message
    with pytest.raises(AppointmentError, match="24 小时内不能取消"):
        booking_cancel(candidate=reg.candidate, booking=booking)


def test_cancel_frees_the_seat_and_a_new_booking_is_possible(exam, site, reg):
    slot = make_slot(exam, site, capacity=1)
    booking = booking_create(candidate=reg.candidate, slot=slot)
    cancelled = booking_cancel(candidate=reg.candidate, booking=booking)
    assert cancelled.status == BookingStatus.CANCELLED and cancelled.cancelled_at
    assert booking_cancel(candidate=reg.candidate, booking=booking).status == "cancelled"
    other = make_registration(exam, site)
    booking_create(candidate=other.candidate, slot=slot)
    assert [n.kind for n in MemorySender.outbox] == ["booked", "cancelled", "booked"]


def test_another_candidate_cannot_cancel_or_move_a_booking(exam, site, reg):
    booking = booking_create(candidate=reg.candidate, slot=make_slot(exam, site))
    intruder = make_registration(exam, site).candidate
    with pytest.raises(AppointmentError, match="找不到该预约"):
        booking_cancel(candidate=intruder, booking=booking)
    with pytest.raises(AppointmentError, match="找不到该预约"):
        booking_reschedule(candidate=intruder, booking=booking, slot=make_slot(exam, site, days=5))


# --- Staff ------------------------------------------------------------------------------


def test_slots_create_bulk_days_times_ranges_skipping_weekends_and_existing(exam, site):
    staff = make_staff(site=site)
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    ranges = [(datetime.time(8, 30), datetime.time(11, 30)), (datetime.time(14), datetime.time(17))]
    created, skipped = slots_create_bulk(actor=staff, exam=exam, site=site, days=days[:5],
                                         ranges=ranges, capacity=30, place="A", category_codes=["110"])  # fmt: skip
    assert (len(created), skipped) == (10, 0)
    created, skipped = slots_create_bulk(actor=staff, exam=exam, site=site, days=days[4:5],
                                         ranges=ranges, capacity=30, place="A")  # fmt: skip
    assert (len(created), skipped) == (0, 2)
    slot = Slot.objects.order_by("starts_at").first()
    assert timezone.localtime(slot.starts_at).time() == datetime.time(8, 30)
    assert slot.category_codes == ["110"] and slot.capacity == 30


def test_staff_of_another_site_cannot_touch_slots(exam, site, other_site):
    stranger = make_staff(site=other_site)
    with pytest.raises(AppointmentError) as info:
        slots_create_bulk(actor=stranger, exam=exam, site=site, days=[timezone.localdate()],
                          ranges=[(datetime.time(9), datetime.time(10))], capacity=1)  # fmt: skip
    assert info.value.code == "forbidden"
    with pytest.raises(AppointmentError, match="没有该考点的权限"):
        slot_close(actor=stranger, slot=make_slot(exam, site), reason="x")


def test_area_staff_may_act_for_every_site_of_the_province(exam, site, other_site):
    area_staff = make_staff("area", area=site.area)
    slot = make_slot(exam, other_site)
    assert slot_close(actor=area_staff, slot=slot, reason="场地调整") == 0


def test_slot_update_cannot_go_below_booked_and_tells_booked_candidates(exam, site, reg):
    staff = make_staff(site=site)
    slot = make_slot(exam, site, capacity=3, place="一楼")
    booking_create(candidate=reg.candidate, slot=slot)
    booking_create(candidate=make_registration(exam, site).candidate, slot=slot)
    with pytest.raises(AppointmentError, match="已有 2 人预约，名额不能少于 2"):
        slot_update(actor=staff, slot=slot, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=1)  # fmt: skip
    MemorySender.outbox.clear()
    slot_update(actor=staff, slot=slot, starts_at=slot.starts_at, ends_at=slot.ends_at, capacity=2, place="一楼")  # fmt: skip
    assert MemorySender.outbox == []  # capacity only: nothing to tell
    later = slot.starts_at + datetime.timedelta(hours=1)
    slot_update(actor=staff, slot=slot, starts_at=later, ends_at=later + datetime.timedelta(hours=2), capacity=2, place="二楼")  # fmt: skip
    assert [n.kind for n in MemorySender.outbox] == ["slot_changed", "slot_changed"]
    assert "二楼" in MemorySender.outbox[0].body and "原 " in MemorySender.outbox[0].body


def test_slot_close_cancels_bookings_and_asks_to_book_again(exam, site, reg):
    staff = make_staff(site=site)
    slot = make_slot(exam, site)
    booking = booking_create(candidate=reg.candidate, slot=slot)
    MemorySender.outbox.clear()
    assert slot_close(actor=staff, slot=slot, reason="停电") == 1
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and "停电" in booking.cancel_reason
    [notice] = MemorySender.outbox
    assert notice.kind == "slot_closed" and "重新预约" in notice.body
    assert AuditEntry.objects.filter(action="appointment.cancelled_by_site", subject=reg.candidate.user).exists()  # fmt: skip
    # The candidate can book another slot straight away.
    assert booking_create(candidate=reg.candidate, slot=make_slot(exam, site, days=6)).pk


def _booking_today(exam, site, reg, *, hours_from_now=1):
    """A booking whose slot is today (booked earlier, the day has come)."""
    slot = make_slot(exam, site)
    booking = booking_create(candidate=reg.candidate, slot=slot)
    start = timezone.now() + datetime.timedelta(hours=hours_from_now)
    if timezone.localtime(start).date() != timezone.localdate():
        start = timezone.now()
    Slot.objects.filter(pk=slot.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    booking.refresh_from_db()
    return booking


def test_check_in_by_typed_code_any_case_with_hyphen_and_twice(exam, site, reg):
    staff = make_staff(site=site)
    booking = _booking_today(exam, site, reg)
    checked = booking_check_in(actor=staff, site=site, code=f" {booking.display_code.lower()} ")
    assert checked.status == BookingStatus.CHECKED_IN and checked.checked_in_by == staff
    again = booking_check_in(actor=staff, site=site, code=booking.code)
    assert again.checked_in_at == checked.checked_in_at
    assert AuditEntry.objects.filter(action="appointment.checked_in").count() == 1


def test_check_in_refuses_other_site_other_day_and_cancelled(exam, site, other_site, reg):
    booking = _booking_today(exam, site, reg)
    with pytest.raises(AppointmentError, match="找不到该预约码"):
        booking_check_in(actor=make_staff(site=other_site), site=other_site, code=booking.code)
    staff = make_staff(site=site)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=at(2), ends_at=at(2, 12))
    with pytest.raises(AppointmentError, match="不是今天"):
        booking_check_in(actor=staff, site=site, code=booking.code)
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)
    with pytest.raises(AppointmentError, match="已取消"):
        booking_check_in(actor=staff, site=site, code=booking.code)


def test_no_show_only_after_the_start_and_a_late_arrival_still_checks_in(exam, site, reg):
    staff = make_staff(site=site)
    booking = booking_create(candidate=reg.candidate, slot=make_slot(exam, site))
    with pytest.raises(AppointmentError, match="时段开始后"):
        booking_mark_no_show(actor=staff, booking=booking)
    start = timezone.now() - datetime.timedelta(minutes=1)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=start, ends_at=start + datetime.timedelta(hours=1))  # fmt: skip
    assert booking_mark_no_show(actor=staff, booking=booking).status == BookingStatus.NO_SHOW
    if timezone.localtime(start).date() == timezone.localdate():
        assert booking_check_in(actor=staff, site=site, code=booking.code).status == "checked_in"


# --- The registration ends (abandoned, returned) ----------------------------------------


def test_check_in_refused_after_the_registration_is_abandoned(exam, site, reg):
    staff = make_staff(site=site)
    booking = _booking_today(exam, site, reg)
    registration_abandon(candidate=reg.candidate, registration=reg)
    with pytest.raises(AppointmentError, match="不能签到"):
        booking_check_in(actor=staff, site=site, code=booking.code)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.checked_in_at is None
    assert not AuditEntry.objects.filter(action="appointment.checked_in").exists()


@pytest.mark.parametrize("status", ["abandoned", "returned", "submitted"])
def test_check_in_and_no_show_refused_when_the_registration_is_not_bookable(
    exam, site, reg, status
):
    # A booking left behind by a registration that can no longer book (e.g. from before
    # abandon and return cancelled bookings): staff cannot mark attendance on it.
    staff = make_staff(site=site)
    booking = _booking_today(exam, site, reg, hours_from_now=-1)
    Registration.objects.filter(pk=reg.pk).update(status=status)
    label = Registration(status=status).get_status_display()
    with pytest.raises(AppointmentError) as info:
        booking_check_in(actor=staff, site=site, code=booking.code)
    assert info.value.code == "registration"
    assert info.value.message == f"该考生的报名当前为“{label}”，不能签到。"
    with pytest.raises(AppointmentError, match="不能标记未到") as info:
        booking_mark_no_show(actor=staff, booking=booking)
    assert info.value.code == "registration"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED


def test_re_registered_candidate_can_book_once_only(exam, site, reg):
    candidate = reg.candidate
    slot = make_slot(exam, site, capacity=1)
    first = booking_create(candidate=candidate, slot=slot)
    registration_abandon(candidate=candidate, registration=reg)
    draft = make_draft(candidate, exam, site)
    again = registration_submit(draft=draft, token=draft.token)
    Registration.objects.filter(pk=again.pk).update(status="site_approved")
    # The abandoned registration's seat is free: the new registration takes it.
    second = booking_create(candidate=candidate, slot=slot)
    assert second.registration_id == again.pk and second.pk != first.pk
    refusal("exists", candidate=candidate, slot=make_slot(exam, site, days=4))
    assert Booking.objects.filter(ACTIVE, candidate=candidate).get() == second
    assert Booking.objects.filter(ACTIVE, slot=slot).count() == 1
