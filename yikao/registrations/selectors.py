"""Named reads of registrations, always scoped to their owner."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count
from django.http import Http404

from yikao.accounts.models import Candidate
from yikao.exams.models import Exam, ExamSite, SiteCapacity
from yikao.registrations.models import ACTIVE, Draft, Registration


@dataclass(frozen=True)
class SiteSeats:
    site: ExamSite
    capacity: int
    taken: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)


def registrations_of(candidate: Candidate) -> list[Registration]:
    return list(
        Registration.objects.filter(candidate=candidate)
        .select_related("exam", "category", "site", "site__area", "replaces")
        .order_by("-submitted_at")[:50]
    )


def registration_of(candidate: Candidate, pk: int) -> Registration:
    """The candidate's own registration, else 404 (whoever else's it is)."""
    registration = (
        Registration.objects.filter(candidate=candidate, pk=pk)
        .select_related("exam", "category", "site", "site__area")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def draft_of(candidate: Candidate, exam_id: int) -> Draft:
    draft = (
        Draft.objects.filter(candidate=candidate, exam_id=exam_id)
        .select_related("exam", "category", "candidate", "candidate__user")
        .first()
    )
    if draft is None:
        raise Http404
    return draft


# Step 5 shows seats left to every candidate of a province; counting ~30,000 rows per view
# (100–200 ms on PostgreSQL at 1 M registrations) is what slowed the rush. Half a minute
# old is fine for display: registration_submit re-counts under the site's lock and never
# overbooks.
SEATS_DISPLAY_SECONDS = 30


def _taken_by_site(exam: Exam, area_code: str) -> dict[int, int]:
    return dict(
        Registration.objects.filter(ACTIVE, exam=exam, site__area__code=area_code)
        .values("site_id")
        .annotate(n=Count("id"))
        .values_list("site_id", "n")
    )


def site_seats(exam: Exam, area_code: str) -> list[SiteSeats]:
    """Seats left per site of an area, counted from rows (for display; submit re-counts)."""
    capacities = (
        SiteCapacity.objects.filter(exam=exam, site__area__code=area_code)
        .select_related("site")
        .order_by("site__code")
    )
    taken = cache.get_or_set(
        f"seats-taken:{exam.pk}:{area_code}",
        lambda: _taken_by_site(exam, area_code),
        SEATS_DISPLAY_SECONDS,
    )
    return [SiteSeats(c.site, c.capacity, taken.get(c.site_id, 0)) for c in capacities]
