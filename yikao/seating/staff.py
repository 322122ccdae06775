"""What the seating staff pages share: the exam in view, the sites, rooms, sessions and runs
a login reaches. Scope is always in the query (payments.scope: a site sees its site, an
area its province, national all); anything outside it is a 404.

The pages: staff_rooms (a site's rooms, sessions and access needs), staff_runs (the
assignment button and the page of a run). The sheets (签到表, 门贴, 桌贴) are PDFs, drawn
and served by documents (it sits above seating)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from yikao.exams.models import ExamSite
from yikao.payments import scope as payment_scope
from yikao.payments.staff import exam_in_view, exams
from yikao.seating.models import Room, Run, Session

__all__ = ["exam_in_view", "exams", "room_of", "runs", "session_of", "site_of", "site_url", "sites"]


def sites(scope) -> QuerySet[ExamSite]:
    return payment_scope.sites(scope)


def site_of(request, site_id: int) -> ExamSite:
    return get_object_or_404(sites(request.scope), pk=site_id)


def room_of(request, room_id: int) -> Room:
    return get_object_or_404(
        Room.objects.select_related("site").filter(site__in=sites(request.scope)), pk=room_id
    )


def session_of(request, session_id: int) -> Session:
    found = Session.objects.select_related("site", "exam").filter(site__in=sites(request.scope))
    return get_object_or_404(found, pk=session_id)


def runs(scope) -> QuerySet[Run]:
    return Run.objects.select_related("site", "exam", "created_by").filter(site__in=sites(scope))


def site_url(site, exam) -> str:
    return f"{reverse('seating:staff_site', args=[site.pk])}?exam={exam.pk}"
