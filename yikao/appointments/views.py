"""Candidate pages, phone first: days with free seats → a slot → confirm → confirmation."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikao.accounts.decorators import candidate_required
from yikao.appointments import selectors, services
from yikao.appointments.models import Slot
from yikao.appointments.qr import qr_data_url
from yikao.appointments.services import AppointmentError


@candidate_required
def index(request):
    registrations = selectors.bookable_registrations(request.user.candidate)
    if len(registrations) == 1:
        return redirect("appointments:book", registration_id=registrations[0].pk)
    return render(request, "appointments/index.html", {"registrations": registrations})


def _context(request, registration_id: int) -> dict:
    registration = selectors.registration_for_booking(request.user.candidate, registration_id)
    return {
        "registration": registration,
        "booking": selectors.active_booking(registration),
        "setting": selectors.site_setting(registration.site),
    }


@candidate_required
def book(request, registration_id: int):
    """The booking when there is one (code, QR, change); else the days with free seats."""
    context = _context(request, registration_id)
    booking = context["booking"]
    if booking is not None and request.GET.get("change") != "1":
        cutoff = selectors.cutoff_of(booking.slot)
        return render(request, "appointments/booking.html", {
            **context, "qr": qr_data_url(booking.code), "slot_label": selectors.slot_label(booking.slot),
            "cutoff": cutoff, "changeable": booking.status == "booked" and cutoff > timezone.now(),
        })  # fmt: skip
    days = selectors.open_days(context["registration"])
    return render(request, "appointments/days.html", {**context, "days": days})


@candidate_required
def day(request, registration_id: int, date: str):
    context = _context(request, registration_id)
    chosen = selectors.parse_day(date)
    if chosen is None:
        return redirect("appointments:book", registration_id=registration_id)
    slots = selectors.open_slots(context["registration"], day=chosen)
    return render(request, "appointments/slots.html", {**context, "day": chosen, "slots": slots})


@candidate_required
def confirm(request, registration_id: int, slot_id: int):
    context = _context(request, registration_id)
    registration, booking = context["registration"], context["booking"]
    slot = Slot.objects.filter(pk=slot_id, site=registration.site, exam=registration.exam).first()
    if slot is None:
        messages.error(request, "该时段不存在，请重新选择。")
        return redirect("appointments:book", registration_id=registration_id)
    if request.method == "POST":
        candidate = request.user.candidate
        try:
            if booking is None:
                services.booking_create(candidate=candidate, slot=slot)
                messages.success(request, "预约成功！请在采集当天出示预约码或二维码。")
            else:
                services.booking_reschedule(candidate=candidate, booking=booking, slot=slot)
                messages.success(request, "改约成功！预约码不变。")
        except AppointmentError as exc:
            messages.error(request, exc.message)
            if exc.code in ("full", "cutoff", "closed", "reserved"):
                return redirect("appointments:day", registration_id, f"{selectors.local_day(slot.starts_at)}")  # fmt: skip
        return redirect("appointments:book", registration_id=registration_id)
    return render(request, "appointments/confirm.html", {
        **context, "slot": slot, "slot_label": selectors.slot_label(slot),
    })  # fmt: skip


@candidate_required
@require_POST
def cancel(request, registration_id: int):
    context = _context(request, registration_id)
    if context["booking"] is not None:
        try:
            services.booking_cancel(candidate=request.user.candidate, booking=context["booking"])
        except AppointmentError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已取消预约，名额已释放。可以重新预约。")
    return redirect("appointments:book", registration_id=registration_id)
