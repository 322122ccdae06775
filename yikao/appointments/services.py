"""Collection-appointment state changes: slots (staff) and bookings (candidates, staff).

Capacity (DESIGN.md rule 4): lock late, once, in a fixed order — candidate, then slots in
ascending id, then bookings — re-count holding bookings from rows, write, in one
transaction (select_for_update on PostgreSQL; SQLite's IMMEDIATE transactions serialise
writers at BEGIN). Staff slot changes lock slot then bookings, never a candidate, so the
order is the same everywhere. Notices are sent after commit.
"""

import datetime
import secrets
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.appointments import notices
from yikao.appointments.models import ACTIVE, Booking, BookingStatus, Slot
from yikao.appointments.scope import staff_sites
from yikao.appointments.selectors import (
    cutoff_hours,
    local_day,
    slot_admits,
    slot_label,
)
from yikao.core.audit import audit_record
from yikao.exams.models import Exam, ExamSite
from yikao.registrations.models import ACTIVE as REGISTRATION_ACTIVE
from yikao.registrations.models import Registration
from yikao.registrations.models import Status as RegistrationStatus


class AppointmentError(Exception):
    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


SLOT_FULL = "该时段已约满，请选择其他时段。"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed
CODE_LENGTH = 8


def normalize_code(text: str) -> str:
    """What a scanner or a person typed: any case, with or without the hyphen."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[: CODE_LENGTH * 2]


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Booking.objects.filter(code=code).exists():
            return code


def _lock_candidate(candidate: Candidate) -> None:
    Candidate.objects.select_for_update().filter(pk=candidate.pk).first()


def _lock_slots(*pks: int) -> dict[int, Slot]:
    # One statement, ascending ids: two reschedules between the same slots cannot deadlock.
    slots = Slot.objects.select_for_update().filter(pk__in=sorted(set(pks))).order_by("pk")
    return {s.pk: s for s in slots}


def _check_slot(slot: Slot, registration: Registration, now: datetime.datetime) -> None:
    if slot.site_id != registration.site_id or slot.exam_id != registration.exam_id:
        raise AppointmentError("只能预约您报名考点的采集时段。", code="site")
    if slot.is_closed:
        raise AppointmentError("该时段已关闭，请选择其他时段。", code="closed")
    if now >= slot.starts_at - datetime.timedelta(hours=cutoff_hours(slot.site_id)):
        raise AppointmentError("该时段已过预约截止时间，请选择其他时段。", code="cutoff")
    if not slot_admits(slot, registration):
        raise AppointmentError(
            "该时段只对指定类别或县区的考生开放，请选择其他时段。", code="reserved"
        )


def _check_seat(slot: Slot) -> None:
    if Booking.objects.filter(ACTIVE, slot=slot).count() >= slot.capacity:
        raise AppointmentError(SLOT_FULL, code="full")


def _check_changeable(booking: Booking, now: datetime.datetime, verb: str) -> None:
    if booking.status != BookingStatus.BOOKED:
        raise AppointmentError(f"该预约{booking.get_status_display()}，不能{verb}。", code="status")
    hours = cutoff_hours(booking.slot.site_id)
    if now >= booking.slot.starts_at - datetime.timedelta(hours=hours):
        raise AppointmentError(
            f"采集开始前 {hours} 小时内不能{verb}。如有特殊情况请联系考点。", code="cutoff"
        )


def _registration_for(candidate: Candidate, exam_id: int) -> Registration:
    # Locked (only its own row), so an abandon or a return running now either commits
    # first — and this sees the new status — or waits and then cancels the new booking.
    registration = (
        Registration.objects.filter(REGISTRATION_ACTIVE, candidate=candidate, exam_id=exam_id)
        .select_for_update(of=("self",))
        .select_related("category")
        .first()
    )
    if registration is None:
        raise AppointmentError("您没有本次考试的有效报名。", code="not_found")
    if registration.status not in RegistrationStatus.BOOKABLE:
        raise AppointmentError("考点审核通过后才能预约信息采集，请留意报名状态。", code="status")
    return registration


def _after_commit(kind: str, booking_pk: int, **extra) -> None:
    transaction.on_commit(partial(notices.send, kind, booking_pk, **extra))


def booking_create(*, candidate: Candidate, slot: Slot) -> Booking:
    """Books a seat in the slot for the candidate's registration of the slot's exam.
    Booking the slot already booked returns that booking (double tap, resent form)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            _lock_candidate(candidate)
            registration = _registration_for(candidate, slot.exam_id)
            existing = Booking.objects.filter(ACTIVE, registration=registration).first()
            if existing is not None:
                if existing.slot_id == slot.pk:
                    return existing
                raise AppointmentError(
                    "您已预约信息采集。如需更换时间，请使用“改约”。", code="exists"
                )
            slot = _lock_slots(slot.pk)[slot.pk]
            _check_slot(slot, registration, now)
            _check_seat(slot)
            booking = Booking.objects.create(
                registration=registration, candidate=candidate, slot=slot, code=_new_code()
            )
            audit_record(
                actor=candidate.user,
                subject=candidate.user,
                action="appointment.booked",
                target=booking,
                changes={"slot": {"old": None, "new": slot_label(slot)}},
            )
            _after_commit("booked", booking.pk)
    except IntegrityError:
        # Only reachable if two transactions slipped past the candidate lock.
        existing = Booking.objects.filter(ACTIVE, candidate=candidate, slot=slot).first()
        if existing is None:
            raise
        return existing
    return booking


def booking_reschedule(*, candidate: Candidate, booking: Booking, slot: Slot) -> Booking:
    """Moves the booking to another slot; the old seat is free as soon as this commits."""
    now = timezone.now()
    with transaction.atomic():
        _lock_candidate(candidate)
        current = Booking.objects.filter(pk=booking.pk, candidate=candidate).first()
        if current is None:
            raise AppointmentError("找不到该预约。", code="not_found")
        if current.slot_id == slot.pk:
            return current
        slots = _lock_slots(current.slot_id, slot.pk)
        booking = Booking.objects.select_for_update().select_related("registration__category").get(pk=current.pk)  # fmt: skip
        old, new = slots[booking.slot_id], slots[slot.pk]
        booking.slot = old
        _check_changeable(booking, now, "改约")
        _check_slot(new, booking.registration, now)
        _check_seat(new)
        booking.slot = new
        booking.save(update_fields=["slot", "updated_at"])
        audit_record(
            actor=candidate.user,
            subject=candidate.user,
            action="appointment.rescheduled",
            target=booking,
            changes={"slot": {"old": slot_label(old), "new": slot_label(new)}},
        )
        _after_commit("rescheduled", booking.pk, before=slot_label(old))
    return booking


def booking_cancel(*, candidate: Candidate, booking: Booking) -> Booking:
    now = timezone.now()
    with transaction.atomic():
        _lock_candidate(candidate)
        booking = (
            Booking.objects.select_for_update()
            .select_related("slot")
            .filter(pk=booking.pk, candidate=candidate)
            .first()
        )
        if booking is None:
            raise AppointmentError("找不到该预约。", code="not_found")
        if booking.status == BookingStatus.CANCELLED:
            return booking
        _check_changeable(booking, now, "取消")
        booking.status = BookingStatus.CANCELLED
        booking.cancelled_at = now
        booking.cancel_reason = "考生取消"
        booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
        audit_record(
            actor=candidate.user,
            subject=candidate.user,
            action="appointment.cancelled",
            target=booking,
            changes={"status": {"old": BookingStatus.BOOKED, "new": BookingStatus.CANCELLED}},
        )
        _after_commit("cancelled", booking.pk)
    return booking


# Why a registration's booking is cancelled with it: (cancel reason, notice kind).
REGISTRATION_ENDED = {
    RegistrationStatus.ABANDONED: ("报名已放弃", "registration_abandoned"),
    RegistrationStatus.RETURNED: ("报名被退回", "registration_returned"),
    RegistrationStatus.UNPAID: ("未缴费视为放弃", "registration_unpaid"),
}


def on_registration_moved(*, registration: Registration, actor, **_) -> None:
    """registrations.lifecycle.moved: a registration that leaves the states that may hold
    a booking (returned, abandoned) gives its booking up."""
    if registration.status in RegistrationStatus.ENDS_BOOKING:
        booking_cancel_for_registration(actor=actor, registration=registration)


def booking_cancel_for_registration(*, actor, registration: Registration) -> list[Booking]:
    """Cancels the registration's booking because the registration was abandoned or
    returned, inside the transaction that changed the registration's status (the
    registration row locked). The seat is free as soon as that commits; the candidate is
    told after commit. Cut-off times do not apply. A checked-in or no-show booking is a
    record of the day and is kept. Returns the bookings cancelled."""
    reason, kind = REGISTRATION_ENDED[registration.status]
    now = timezone.now()
    with transaction.atomic():
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(registration=registration, status=BookingStatus.BOOKED)
            .select_related("candidate__user")
        )
        for booking in bookings:
            _cancel_for_the_candidate(
                booking, actor=actor, now=now, cancel_reason=reason, reason=reason,
                action="appointment.cancelled_with_registration", notice=kind,
            )  # fmt: skip
    return bookings


def _cancel_for_the_candidate(
    booking: Booking,
    *,
    actor,
    now,
    cancel_reason: str,
    reason: str,
    action: str,
    notice: str,
    notice_extra: dict | None = None,
) -> None:
    """A booking cancelled by the site or by the end of its registration, not by the
    candidate: the row (locked by the caller), its audit row, the notice after commit."""
    booking.status, booking.cancelled_at = BookingStatus.CANCELLED, now
    booking.cancel_reason = cancel_reason[:100]
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        subject=booking.candidate.user,
        action=action,
        target=booking,
        reason=reason,
        changes={"status": {"old": BookingStatus.BOOKED, "new": BookingStatus.CANCELLED}},
    )
    _after_commit(notice, booking.pk, **(notice_extra or {}))


def _check_registration(booking: Booking, verb: str) -> None:
    """Attendance is only for a registration that may still book (not abandoned, not
    returned)."""
    registration = booking.registration
    if registration.status not in RegistrationStatus.BOOKABLE:
        raise AppointmentError(
            f"该考生的报名当前为“{registration.get_status_display()}”，不能{verb}。",
            code="registration",
        )


# --- Staff ------------------------------------------------------------------------------


def _require_site(actor, site_id: int) -> None:
    if not staff_sites(actor).filter(pk=site_id).exists():
        raise AppointmentError("您没有该考点的权限。", code="forbidden")


def _clean_codes(values: list[str]) -> list[str]:
    return sorted({v.strip() for v in values if v.strip()})


def slots_create_bulk(
    *,
    actor,
    exam: Exam,
    site: ExamSite,
    days: list[datetime.date],
    ranges: list[tuple[datetime.time, datetime.time]],
    capacity: int,
    place: str = "",
    category_codes: list[str] | None = None,
    counties: list[str] | None = None,
) -> tuple[list[Slot], int]:
    """Days × time ranges, each with `capacity` seats. Slots that exist already (same
    start and place) are left as they are; returns (created, skipped)."""
    _require_site(actor, site.pk)
    if capacity < 1:
        raise AppointmentError("名额至少为 1。", code="capacity")
    wanted = []
    for day in sorted(set(days)):
        for start, end in ranges:
            starts_at = timezone.make_aware(datetime.datetime.combine(day, start))
            ends_at = timezone.make_aware(datetime.datetime.combine(day, end))
            if ends_at <= starts_at:
                raise AppointmentError(f"时间段 {start:%H:%M}–{end:%H:%M} 的结束时间应晚于开始时间。", code="range")  # fmt: skip
            wanted.append((starts_at, ends_at))
    with transaction.atomic():
        existing = set(
            Slot.objects.filter(
                exam=exam, site=site, place=place, starts_at__in=[s for s, _ in wanted]
            ).values_list("starts_at", flat=True)
        )
        created = Slot.objects.bulk_create(
            [
                Slot(exam=exam, site=site, starts_at=s, ends_at=e, place=place,
                     capacity=capacity, category_codes=_clean_codes(category_codes or []),
                     counties=_clean_codes(counties or []), created_by=actor)
                for s, e in wanted if s not in existing
            ]
        )  # fmt: skip
        audit_record(
            actor=actor,
            action="appointment.slots_created",
            target=site,
            changes={"slots": {"old": None, "new": len(created)}, "exam": {"old": None, "new": exam.code}},
        )  # fmt: skip
    return created, len(wanted) - len(created)


SLOT_FIELDS = ("starts_at", "ends_at", "place", "capacity", "category_codes", "counties")


def slot_update(
    *,
    actor,
    slot: Slot,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    capacity: int,
    place: str = "",
    category_codes: list[str] | None = None,
    counties: list[str] | None = None,
) -> Slot:
    """Changes a slot; candidates booked into it are told of a new time or place."""
    _require_site(actor, slot.site_id)
    if ends_at <= starts_at:
        raise AppointmentError("结束时间应晚于开始时间。", code="range")
    with transaction.atomic():
        slot = _lock_slots(slot.pk)[slot.pk]
        taken = Booking.objects.filter(ACTIVE, slot=slot).count()
        if capacity < max(taken, 1):
            raise AppointmentError(f"已有 {taken} 人预约，名额不能少于 {max(taken, 1)}。", code="capacity")  # fmt: skip
        before = {f: getattr(slot, f) for f in SLOT_FIELDS}
        label_before = slot_label(slot) + (f" {slot.place}" if slot.place else "")
        slot.starts_at, slot.ends_at, slot.place, slot.capacity = (
            starts_at,
            ends_at,
            place,
            capacity,
        )
        slot.category_codes = _clean_codes(category_codes or [])
        slot.counties = _clean_codes(counties or [])
        try:
            with transaction.atomic():
                slot.save()
        except IntegrityError:
            raise AppointmentError("同一地点同一开始时间已有时段。", code="duplicate") from None
        after = {f: getattr(slot, f) for f in SLOT_FIELDS}
        changes = {
            f: {"old": str(before[f]), "new": str(after[f])} for f in SLOT_FIELDS if before[f] != after[f]
        }  # fmt: skip
        audit_record(actor=actor, action="appointment.slot_changed", target=slot, changes=changes)
        if {"starts_at", "ends_at", "place"} & set(changes):
            for pk in Booking.objects.filter(slot=slot, status=BookingStatus.BOOKED).values_list("pk", flat=True):  # fmt: skip
                _after_commit("slot_changed", pk, before=label_before)
    return slot


def slot_close(*, actor, slot: Slot, reason: str) -> int:
    """Closes the slot and cancels its bookings; their candidates are asked to book again.
    Returns the number of bookings cancelled."""
    _require_site(actor, slot.site_id)
    reason = reason.strip()[:100] or "考点调整安排"
    now = timezone.now()
    with transaction.atomic():
        slot = _lock_slots(slot.pk)[slot.pk]
        slot.is_closed = True
        slot.save(update_fields=["is_closed", "updated_at"])
        audit_record(actor=actor, action="appointment.slot_closed", target=slot, reason=reason,
                     changes={"is_closed": {"old": False, "new": True}})  # fmt: skip
        # Only the booking rows: locking their candidates too (a plain FOR UPDATE locks every
        # joined table) would take slot → candidate while booking_create takes candidate →
        # slot, and the two could deadlock on PostgreSQL.
        bookings = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(slot=slot, status=BookingStatus.BOOKED)
            .select_related("candidate__user")
        )
        for booking in bookings:
            _cancel_for_the_candidate(
                booking, actor=actor, now=now, cancel_reason=f"时段关闭：{reason}",
                reason=reason, action="appointment.cancelled_by_site", notice="slot_closed",
                notice_extra={"reason": reason},
            )  # fmt: skip
    return len(bookings)


def booking_check_in(*, actor, site: ExamSite, code: str) -> Booking:
    """Checks in the booking with this code at the actor's site, on the slot's day. A
    second scan of the same code returns the booking unchanged."""
    _require_site(actor, site.pk)
    code = normalize_code(code)
    now = timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot", "registration", "candidate__user")
            .filter(code=code, slot__site=site)
            .first()
        )
        if booking is None:
            raise AppointmentError("找不到该预约码，请核对后重新输入。", code="not_found")
        if booking.status == BookingStatus.CHECKED_IN:
            return booking
        if booking.status == BookingStatus.CANCELLED:
            raise AppointmentError("该预约已取消，不能签到。", code="status")
        _check_registration(booking, "签到")
        if local_day(booking.slot.starts_at) != local_day(now):
            raise AppointmentError(
                f"该预约的采集时间为 {slot_label(booking.slot)}，不是今天。", code="day"
            )
        old = booking.status
        booking.status, booking.checked_in_at, booking.checked_in_by = (
            BookingStatus.CHECKED_IN, now, actor,
        )  # fmt: skip
        booking.save(update_fields=["status", "checked_in_at", "checked_in_by", "updated_at"])
        audit_record(actor=actor, subject=booking.candidate.user, action="appointment.checked_in",
                     target=booking, changes={"status": {"old": old, "new": booking.status}})  # fmt: skip
    return booking


def booking_mark_no_show(*, actor, booking: Booking) -> Booking:
    """未到: only for a booked candidate once the slot has begun; a late arrival can still
    be checked in afterwards."""
    _require_site(actor, booking.slot.site_id)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("slot", "registration", "candidate__user")
            .get(pk=booking.pk)
        )
        if booking.status == BookingStatus.NO_SHOW:
            return booking
        if booking.status != BookingStatus.BOOKED:
            raise AppointmentError(f"该预约{booking.get_status_display()}，不能标记未到。", code="status")  # fmt: skip
        _check_registration(booking, "标记未到")
        if timezone.now() < booking.slot.starts_at:
            raise AppointmentError("时段开始后才能标记未到。", code="early")
        booking.status = BookingStatus.NO_SHOW
        booking.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, subject=booking.candidate.user, action="appointment.no_show",
                     target=booking, changes={"status": {"old": BookingStatus.BOOKED, "new": BookingStatus.NO_SHOW}})  # fmt: skip
    return booking
