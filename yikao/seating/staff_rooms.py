"""A site's seating data for one exam: its rooms (add, edit, take out of use), the sessions
of each part, and the candidates who need an accessible seat. Every change is audited."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yikao.core.audit import audit_record, diff_fields
from yikao.payments import scope as payment_scope
from yikao.registrations.models import Registration, Status
from yikao.seating import staff
from yikao.seating.models import AccessNeed, Part, Room, Seat, Session
from yikao.seating.staff_forms import AccessNeedForm, RoomForm, SessionForm, units_text
from yikao.staff.access import staff_required

ROOM_FIELDS = ("code", "name", "place", "capacity", "columns", "accessible_seats")
SESSION_FIELDS = ("part", "number", "label", "starts_at", "ends_at", "units")


def _room_values(room: Room) -> dict:
    return {f: getattr(room, f) for f in ROOM_FIELDS}


def _session_values(session: Session) -> dict:
    values = {f: getattr(session, f) for f in SESSION_FIELDS}
    values["starts_at"], values["ends_at"] = (
        values["starts_at"].isoformat(), values["ends_at"].isoformat()
    )  # fmt: skip
    return values


@staff_required
def sites(request):
    """The sites of the scope; a site login goes straight to its own."""
    exam = staff.exam_in_view(request)
    found = list(staff.sites(request.scope))
    if len(found) == 1:
        return redirect(staff.site_url(found[0], exam))
    return render(request, "seating/staff_sites.html", {
        "exam": exam, "exams": staff.exams(), "sites": found,
    })  # fmt: skip


def _access_needs(exam, site):
    needs = AccessNeed.objects.filter(registration__exam=exam, registration__site=site)
    return needs.select_related("registration__candidate").order_by("registration__number")


def site_context(request, site, exam, **extra) -> dict:
    rooms = list(Room.objects.filter(site=site).order_by("code"))
    sessions = list(Session.objects.filter(exam=exam, site=site).order_by("part", "number"))
    seated = dict(
        Seat.objects.filter(session__exam=exam, session__site=site)
        .values_list("part").annotate(n=Count("pk")).values_list("part", "n")
    )  # fmt: skip
    paid = site_paid(exam, site)
    active = [r for r in rooms if r.is_active]
    parts = []
    for value, label in Part.choices:
        of_part = [s for s in sessions if s.part == value]
        parts.append({
            "value": value, "label": label, "sessions": of_part,
            "seats": len(of_part) * sum(r.capacity for r in active),
            "seated": seated.get(value, 0), "paid": paid,
        })  # fmt: skip
    for session in sessions:
        session.units_text = units_text(session.units)
    needs = list(_access_needs(exam, site))
    recent = staff.runs(request.scope).filter(exam=exam, site=site)[:10]
    return {
        "site": site, "exam": exam, "exams": staff.exams(), "rooms": rooms, "parts": parts,
        "active_rooms": active, "needs": needs, "runs": recent,
        "sites_count": staff.sites(request.scope).count(),
        "need_form": extra.pop("need_form", None) or AccessNeedForm(), **extra,
    }  # fmt: skip


def site_paid(exam, site) -> int:
    return Registration.objects.filter(exam=exam, site=site, status=Status.PAID).count()


@staff_required
def site_page(request, site_id: int):
    site = staff.site_of(request, site_id)
    exam = staff.exam_in_view(request)
    return render(request, "seating/staff_site.html", site_context(request, site, exam))


def _posted(request):
    """The posted data on POST (even an empty post is a bound, invalid form), else None."""
    return request.POST if request.method == "POST" else None


def _form_page(request, template, status=200, **context):
    return render(request, template, context, status=status)


@staff_required
def room_add(request, site_id: int):
    site = staff.site_of(request, site_id)
    exam = staff.exam_in_view(request)
    form = RoomForm(_posted(request), site=site)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            room = Room.objects.create(site=site, **{f: form.cleaned_data[f] for f in ROOM_FIELDS})
            audit_record(actor=request.user, action="seating.room_added", target=room,
                         changes=diff_fields({}, _room_values(room)))  # fmt: skip
        messages.success(request, f"已新增考场 {room.code} {room.name}。")
        return redirect(staff.site_url(site, exam))
    return _form_page(request, "seating/staff_room_form.html", form=form, site=site, exam=exam,
                      status=400 if form.is_bound else 200)  # fmt: skip


@staff_required
def room_edit(request, room_id: int):
    room = staff.room_of(request, room_id)
    exam = staff.exam_in_view(request)
    form = RoomForm(_posted(request), site=room.site, room=room)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = _room_values(room)
            for field in ROOM_FIELDS:
                setattr(room, field, form.cleaned_data[field])
            room.save(update_fields=list(ROOM_FIELDS))
            changes = diff_fields(before, _room_values(room))
            if changes:
                audit_record(actor=request.user, action="seating.room_changed", target=room,
                             changes=changes)  # fmt: skip
        messages.success(request, f"已保存考场 {room.code} {room.name}。")
        return redirect(staff.site_url(room.site, exam))
    return _form_page(request, "seating/staff_room_form.html", form=form, site=room.site,
                      exam=exam, room=room, status=400 if form.is_bound else 200)  # fmt: skip


@staff_required
@require_POST
def room_active(request, room_id: int):
    """Take a room out of use (its seats move at the next assignment) or back into use."""
    room = staff.room_of(request, room_id)
    exam = staff.exam_in_view(request)
    active = request.POST.get("active") == "1"
    if active != room.is_active:
        with transaction.atomic():
            room.is_active = active
            room.save(update_fields=["is_active"])
            audit_record(actor=request.user, action="seating.room_active_changed", target=room,
                         changes={"is_active": {"old": not active, "new": active}})  # fmt: skip
    state = "启用" if active else "停用"
    note = "" if active else "已编排在此考场的考生将在下次编排时调到其他考场。"
    messages.success(request, f"已{state}考场 {room.code} {room.name}。{note}")
    return redirect(staff.site_url(room.site, exam))


@staff_required
def session_add(request, site_id: int):
    site = staff.site_of(request, site_id)
    exam = staff.exam_in_view(request)
    form = SessionForm(_posted(request), exam=exam, site=site)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            session = Session.objects.create(
                exam=exam, site=site, **{f: form.cleaned_data[f] for f in SESSION_FIELDS}
            )
            audit_record(actor=request.user, action="seating.session_added", target=session,
                         changes=diff_fields({}, _session_values(session)))  # fmt: skip
        messages.success(request, f"已新增场次 {session}。")
        return redirect(staff.site_url(site, exam))
    return _form_page(request, "seating/staff_session_form.html", form=form, site=site,
                      exam=exam, status=400 if form.is_bound else 200)  # fmt: skip


@staff_required
def session_edit(request, session_id: int):
    session = staff.session_of(request, session_id)
    form = SessionForm(_posted(request), exam=session.exam, site=session.site,
                       session=session)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = _session_values(session)
            for field in SESSION_FIELDS:
                setattr(session, field, form.cleaned_data[field])
            session.save(update_fields=list(SESSION_FIELDS))
            changes = diff_fields(before, _session_values(session))
            if changes:
                audit_record(actor=request.user, action="seating.session_changed",
                             target=session, changes=changes)  # fmt: skip
        messages.success(request, f"已保存场次 {session}。")
        return redirect(staff.site_url(session.site, session.exam))
    return _form_page(request, "seating/staff_session_form.html", form=form, site=session.site,
                      exam=session.exam, session=session,
                      status=400 if form.is_bound else 200)  # fmt: skip


@staff_required
@require_POST
def access_add(request, site_id: int):
    site = staff.site_of(request, site_id)
    exam = staff.exam_in_view(request)
    form = AccessNeedForm(request.POST)
    if form.is_valid():
        registration = (
            payment_scope.registrations(request.scope)
            .filter(exam=exam, site=site, number=form.cleaned_data["number"])
            .select_related("access_need", "candidate__user")
            .first()
        )
        if registration is None:
            form.add_error("number", "本考点本次考试没有这个报名号。")
        elif registration.status != Status.PAID:
            form.add_error("number", "该报名尚未缴费（已缴费的报名才编排座位）。")
        elif hasattr(registration, "access_need"):
            form.add_error("number", "该考生已标记需要无障碍座位。")
        else:
            with transaction.atomic():
                need = AccessNeed.objects.create(registration=registration,
                                                 note=form.cleaned_data["note"],
                                                 recorded_by=request.user)  # fmt: skip
                audit_record(actor=request.user, action="seating.access_marked",
                             subject=registration.candidate.user, target=need,
                             changes={"note": {"old": None, "new": need.note}})  # fmt: skip
            messages.success(request, f"已标记报名号 {registration.number} 需要无障碍座位。")
            return redirect(staff.site_url(site, exam))
    context = site_context(request, site, exam, need_form=form)
    return render(request, "seating/staff_site.html", context, status=400)


@staff_required
@require_POST
def access_remove(request, need_id: int):
    scoped = AccessNeed.objects.select_related(
        "registration__site", "registration__exam", "registration__candidate__user"
    )
    scoped = scoped.filter(registration__site__in=staff.sites(request.scope))
    need = scoped.filter(pk=need_id).first()
    if need is None:
        raise Http404
    registration = need.registration
    with transaction.atomic():
        audit_record(actor=request.user, action="seating.access_unmarked",
                     subject=registration.candidate.user,
                     target=need, changes={"note": {"old": need.note, "new": None}})  # fmt: skip
        need.delete()
    messages.success(request, f"已取消报名号 {registration.number} 的无障碍座位标记。")
    return redirect(staff.site_url(registration.site, registration.exam))
