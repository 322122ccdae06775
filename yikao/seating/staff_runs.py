"""编排考场: the button that seats a site's paid candidates in one part (services.assign_site,
audited there), and the page of a run: its seed, whom it placed, moved and could not seat."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yikao.registrations.models import Registration
from yikao.seating import services, staff
from yikao.seating.models import AccessNeed, Part, Room, Seat, Session
from yikao.seating.staff_rooms import site_paid
from yikao.staff.access import staff_required

NO_SEAT = "座位不足"
NO_ACCESSIBLE_SEAT = "无可用的无障碍座位"


def _part(part: str) -> str:
    if part not in Part.values:
        raise Http404
    return part


@staff_required
def assign(request, site_id: int, part: str):
    """GET: what a run would seat (a confirmation); POST: run it and show the run."""
    site = staff.site_of(request, site_id)
    exam = staff.exam_in_view(request)
    part = _part(part)
    if request.method == "POST":
        try:
            run = services.assign_site(exam=exam, site=site, part=part, actor=request.user)
        except services.SeatingError as error:
            messages.error(request, error.message)
            return redirect(staff.site_url(site, exam))
        messages.success(request, f"编排完成：已安排 {run.placed} 人，调整 {len(run.moved)} 人，"
                                  f"未能安排 {len(run.unplaced)} 人。")  # fmt: skip
        return redirect("seating:staff_run", run_id=run.pk)
    sessions = Session.objects.filter(exam=exam, site=site, part=part).count()
    rooms = list(Room.objects.filter(site=site, is_active=True))
    return render(request, "seating/staff_assign.html", {
        "site": site, "exam": exam, "part": part, "part_label": Part(part).label,
        "paid": site_paid(exam, site), "sessions": sessions, "rooms": len(rooms),
        "seats": sessions * sum(r.capacity for r in rooms),
        "seated": Seat.objects.filter(session__exam=exam, session__site=site, part=part).count(),
        "needs": AccessNeed.objects.filter(registration__exam=exam,
                                           registration__site=site).count(),
    })  # fmt: skip


def _people(ids: list) -> list[Registration]:
    ids = [i for i in ids if isinstance(i, int)][:2000]
    found = Registration.objects.filter(pk__in=ids).select_related("candidate", "access_need")
    return sorted(found, key=lambda r: r.number)


@staff_required
def run_page(request, run_id: int):
    run = get_object_or_404(staff.runs(request.scope), pk=run_id)
    seats = {
        s.registration_id: s
        for s in Seat.objects.filter(registration_id__in=run.moved, part=run.part)
        .select_related("session", "room")
    }  # fmt: skip
    moved = [(r, seats.get(r.pk)) for r in _people(run.moved)]
    unplaced = [
        (r, NO_ACCESSIBLE_SEAT if hasattr(r, "access_need") else NO_SEAT)
        for r in _people(run.unplaced)
    ]
    previous = staff.runs(request.scope).filter(exam=run.exam, site=run.site, part=run.part)
    return render(request, "seating/staff_run.html", {
        "run": run, "moved": moved, "unplaced": unplaced, "previous": previous[:20],
        "site_url": staff.site_url(run.site, run.exam),
        "assign_url": f"{reverse('seating:staff_assign', args=[run.site_id, run.part])}"
                      f"?exam={run.exam_id}",
    })  # fmt: skip
