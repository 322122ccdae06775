"""Staff pages: publish slots, change or close them, the day's roster, check-in, no-shows."""

import datetime
import re

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikao.appointments import selectors, services
from yikao.appointments.export import roster_xlsx
from yikao.appointments.forms import CheckInForm, SlotBulkForm, SlotCloseForm, SlotForm
from yikao.appointments.models import Booking, Slot
from yikao.appointments.scope import staff_required, staff_sites
from yikao.appointments.services import AppointmentError
from yikao.exams.models import Exam

EXAM_ID = re.compile(r"[0-9]{1,18}")


def _exam(request, site) -> Exam:
    """The exam named by ?exam= (ASCII digits: isdigit() also takes "²"), else the site's
    latest exam with slots, else the latest exam."""
    exam_id = request.GET.get("exam") or request.POST.get("exam") or ""
    if EXAM_ID.fullmatch(exam_id):
        exam = Exam.objects.filter(pk=int(exam_id)).first()
        if exam is not None:
            return exam
    latest = Slot.objects.filter(site=site).order_by("-exam__year", "-exam_id").first()
    exam = latest.exam if latest else Exam.objects.order_by("-year", "-id").first()
    if exam is None:
        raise Http404
    return exam


def _site_url(site, exam, name="appointments:staff_site", **kwargs) -> str:
    return f"{reverse(name, kwargs={'site_id': site.pk, **kwargs})}?exam={exam.pk}"


def _roster_url(site, exam, day: str, after: str | None) -> str:
    """The roster page staff came from: the page's cursor goes back only in its own form."""
    url = _site_url(site, exam, "appointments:staff_roster", date=day)
    return f"{url}&after={after}" if after and selectors.is_roster_cursor(after) else url


def _date(value: str) -> datetime.date:
    day = selectors.parse_day(value)
    if day is None:
        raise Http404
    return day


@staff_required
def home(request):
    sites = list(staff_sites(request.user))
    if len(sites) == 1:
        return redirect("appointments:staff_site", site_id=sites[0].pk)
    return render(request, "appointments/staff_home.html", {"sites": sites})


@staff_required
def site_overview(request, site_id: int):
    site = selectors.staff_site(staff_sites(request.user), site_id)
    exam = _exam(request, site)
    slots = selectors.site_slots(site, exam)
    days: dict[datetime.date, list] = {}
    for seats in slots:
        days.setdefault(selectors.local_day(seats.slot.starts_at), []).append(seats)
    return render(request, "appointments/staff_site.html", {
        "site": site, "exam": exam, "exams": selectors.exams_for_staff(),
        "figures": selectors.day_figures(site, exam), "days": sorted(days.items()),
        "today": timezone.localdate(), "setting": selectors.site_setting(site),
    })  # fmt: skip


@staff_required
def slots_new(request, site_id: int):
    site = selectors.staff_site(staff_sites(request.user), site_id)
    exam = _exam(request, site)
    form = SlotBulkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created, skipped = services.slots_create_bulk(
                actor=request.user, exam=exam, site=site, days=form.days(),
                ranges=data["ranges"], capacity=data["capacity"], place=data["place"],
                category_codes=data["category_codes"], counties=data["counties"],
            )  # fmt: skip
        except AppointmentError as exc:
            form.add_error(None, exc.message)
        else:
            note = f"，{skipped} 个已存在未重复发布" if skipped else ""
            messages.success(request, f"已发布 {len(created)} 个时段{note}。")
            return redirect(_site_url(site, exam))
    return render(request, "appointments/staff_slots_new.html", {"site": site, "exam": exam, "form": form})  # fmt: skip


@staff_required
def slot_edit(request, slot_id: int):
    slot = selectors.staff_slot(staff_sites(request.user), slot_id)
    action = request.POST.get("action") if request.method == "POST" else None
    form = SlotForm.for_slot(slot, request.POST if action == "save" else None)
    close_form = SlotCloseForm(request.POST if action == "close" else None)
    try:
        if action == "save" and form.is_valid():
            starts_at, ends_at = form.times()
            data = form.cleaned_data
            services.slot_update(
                actor=request.user, slot=slot, starts_at=starts_at, ends_at=ends_at,
                capacity=data["capacity"], place=data["place"],
                category_codes=data["category_codes"], counties=data["counties"],
            )  # fmt: skip
            messages.success(request, "时段已修改；已预约的考生会收到时间或地点变更通知。")
            return redirect(_site_url(slot.site, slot.exam))
        if action == "close" and close_form.is_valid():
            n = services.slot_close(actor=request.user, slot=slot, reason=close_form.cleaned_data["reason"])  # fmt: skip
            messages.success(request, f"时段已关闭，{n} 个预约已取消并通知考生重新预约。")
            return redirect(_site_url(slot.site, slot.exam))
    except AppointmentError as exc:
        (form if action == "save" else close_form).add_error(None, exc.message)
    taken = slot.bookings.exclude(status="cancelled").count()
    return render(request, "appointments/staff_slot_edit.html", {
        "slot": slot, "form": form, "close_form": close_form, "taken": taken,
        "slot_label": selectors.slot_label(slot),
    })  # fmt: skip


@staff_required
def roster(request, site_id: int, date: str):
    site = selectors.staff_site(staff_sites(request.user), site_id)
    exam, day = _exam(request, site), _date(date)
    page = selectors.roster(site, exam, day, after=request.GET.get("after"))
    return render(request, "appointments/staff_roster.html", {
        "site": site, "exam": exam, "day": day, "day_label": selectors.day_label(day),
        "page": page, "page_size": selectors.ROSTER_PAGE_SIZE, "after": "" if page.is_first else request.GET["after"],
        "form": CheckInForm(), "is_today": day == timezone.localdate(), "now": timezone.now(),
    })  # fmt: skip


@staff_required
def roster_export(request, site_id: int, date: str):
    site = selectors.staff_site(staff_sites(request.user), site_id)
    exam, day = _exam(request, site), _date(date)
    handle = roster_xlsx(site, day, selectors.roster_rows(site, exam, day))
    return FileResponse(handle, as_attachment=True, filename=f"roster-{site.code}-{day:%Y%m%d}.xlsx")  # fmt: skip


@staff_required
@require_POST
def check_in(request, site_id: int):
    site = selectors.staff_site(staff_sites(request.user), site_id)
    exam = _exam(request, site)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            booking = services.booking_check_in(actor=request.user, site=site, code=form.cleaned_data["code"])  # fmt: skip
        except AppointmentError as exc:
            messages.error(request, exc.message)
        else:
            name = booking.registration.snap.basic.full_name
            messages.success(request, f"签到成功：{name}，报名号 {booking.registration.number}，{selectors.slot_label(booking.slot)}。")  # fmt: skip
    else:
        messages.error(request, "请输入预约码。")
    # The roster page posts its own day; anything else ("a/b" would not even make a URL)
    # goes back to today's.
    day = selectors.parse_day(request.POST.get("day")) or timezone.localdate()
    return redirect(_roster_url(site, exam, f"{day}", request.POST.get("after")))


@staff_required
@require_POST
def no_show(request, booking_id: int):
    booking = (
        Booking.objects.filter(pk=booking_id, slot__site__in=staff_sites(request.user))
        .select_related("slot__site", "slot__exam")
        .first()
    )
    if booking is None:
        raise Http404
    try:
        services.booking_mark_no_show(actor=request.user, booking=booking)
    except AppointmentError as exc:
        messages.error(request, exc.message)
    slot = booking.slot
    day = f"{selectors.local_day(slot.starts_at)}"
    return redirect(_roster_url(slot.site, slot.exam, day, request.POST.get("after")))
