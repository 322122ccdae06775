"""/api/v1/appointments: the candidate's collection booking for a WeChat or app front end.

Session auth; writes need the CSRF token (X-CSRFToken header), as every write of the API.
"""

import datetime
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from yikao.appointments import selectors, services
from yikao.appointments.models import Slot
from yikao.appointments.qr import qr_data_url
from yikao.appointments.services import AppointmentError
from yikao.core.api.schemas import ErrorOut

router = Router(tags=["信息采集预约"])

ERROR_STATUS = {"not_found": 404, "full": 409, "exists": 409}


class SlotOut(Schema):
    id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    label: str
    place: str
    capacity: int
    left: int


class BookingOut(Schema):
    code: str
    status: str
    status_label: str
    slot: SlotOut
    cutoff: datetime.datetime
    changeable: bool
    qr_png: str


class RegistrationOut(Schema):
    id: int
    number: str
    exam: str
    category: str
    site: str
    status_label: str
    booking: BookingOut | None


# A day outside selectors.FIRST_DAY..LAST_DAY is refused with the API's 422 (its day
# arithmetic would overflow at 9999-12-31).
Day = Annotated[datetime.date, Field(ge=selectors.FIRST_DAY, le=selectors.LAST_DAY)]


class SlotIn(Schema):
    slot_id: int


def _candidate(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404
    return candidate


def _registration(request, registration_id: int):
    return selectors.registration_for_booking(_candidate(request), registration_id)


def _slot_out(slot: Slot, taken: int | None = None) -> SlotOut:
    if taken is None:
        taken = slot.bookings.exclude(status="cancelled").count()
    return SlotOut(
        id=slot.pk, starts_at=slot.starts_at, ends_at=slot.ends_at,
        label=selectors.slot_label(slot), place=slot.place, capacity=slot.capacity,
        left=max(slot.capacity - taken, 0),
    )  # fmt: skip


def _booking_out(booking) -> BookingOut | None:
    if booking is None:
        return None
    cutoff = selectors.cutoff_of(booking.slot)
    return BookingOut(
        code=booking.display_code, status=booking.status, status_label=booking.get_status_display(),
        slot=_slot_out(booking.slot), cutoff=cutoff,
        changeable=booking.status == "booked" and cutoff > timezone.now(),
        qr_png=qr_data_url(booking.code),
    )  # fmt: skip


def _error(exc: AppointmentError):
    return Status(ERROR_STATUS.get(exc.code, 400), {"detail": exc.message})


def _registration_out(registration) -> RegistrationOut:
    return RegistrationOut(
        id=registration.pk, number=registration.number, exam=registration.exam.name,
        category=str(registration.category), site=registration.site.name,
        status_label=registration.get_status_display(),
        booking=_booking_out(selectors.active_booking(registration)),
    )  # fmt: skip


@router.get(
    "/registrations",
    response={200: list[RegistrationOut], 404: ErrorOut},
    summary="可预约信息采集的报名及其预约",
)
def registrations(request):
    return [_registration_out(r) for r in selectors.bookable_registrations(_candidate(request))]


@router.get(
    "/registrations/{registration_id}/slots",
    response={200: list[SlotOut], 404: ErrorOut},
    summary="可预约的采集时段（含已约满的时段，left 为 0）",
)
def slots(request, registration_id: int, day: Day | None = None):
    registration = _registration(request, registration_id)
    return [_slot_out(s.slot, s.taken) for s in selectors.open_slots(registration, day=day)]


@router.get(
    "/registrations/{registration_id}/booking",
    response={200: RegistrationOut, 404: ErrorOut},
    summary="报名及当前预约",
)
def booking_get(request, registration_id: int):
    return Status(200, _registration_out(_registration(request, registration_id)))


def _slot_for(registration, slot_id: int) -> Slot:
    slot = Slot.objects.filter(pk=slot_id, site_id=registration.site_id, exam_id=registration.exam_id).first()  # fmt: skip
    if slot is None:
        raise AppointmentError("该时段不存在，请重新选择。", code="not_found")
    return slot


@router.post(
    "/registrations/{registration_id}/booking",
    response={201: RegistrationOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="预约采集时段；已有预约时改约到该时段",
)
def booking_put(request, registration_id: int, payload: SlotIn):
    registration = _registration(request, registration_id)
    candidate = _candidate(request)
    try:
        slot = _slot_for(registration, payload.slot_id)
        current = selectors.active_booking(registration)
        if current is None:
            services.booking_create(candidate=candidate, slot=slot)
        else:
            services.booking_reschedule(candidate=candidate, booking=current, slot=slot)
    except AppointmentError as exc:
        return _error(exc)
    return Status(201, _registration_out(registration))


@router.delete(
    "/registrations/{registration_id}/booking",
    response={200: RegistrationOut, 400: ErrorOut, 404: ErrorOut},
    summary="取消预约（截止时间前）",
)
def booking_delete(request, registration_id: int):
    registration = _registration(request, registration_id)
    current = selectors.active_booking(registration)
    if current is None:
        return Status(404, {"detail": "您还没有预约。"})
    try:
        services.booking_cancel(candidate=_candidate(request), booking=current)
    except AppointmentError as exc:
        return _error(exc)
    return Status(200, _registration_out(registration))
