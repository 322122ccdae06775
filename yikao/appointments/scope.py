"""Which sites a staff login may run collection days for. All staff permission is here.

The staff app's StaffScope (yikao.staff, shared with the back office) decides: a site role works for its site, an
area role for every site of its province, a national role for all sites. The same door as
the review pages: a verified (password + one-time code) staff login with a scope row.
"""

from django.db.models import QuerySet

from yikao.exams.models import ExamSite
from yikao.staff.access import staff_required, staff_scope_of
from yikao.staff.models import Role

__all__ = ["staff_required", "staff_sites"]


def staff_sites(user) -> QuerySet[ExamSite]:
    """The sites the user may see and act on; none for anyone without a verified scope."""
    scope = staff_scope_of(user)
    sites = ExamSite.objects.select_related("area").order_by("code")
    if scope is None:
        return sites.none()
    if scope.role == Role.NATIONAL:
        return sites
    if scope.role == Role.AREA:
        return sites.filter(area_id=scope.area_id)
    if scope.role == Role.SITE:
        return sites.filter(pk=scope.site_id)
    return sites.none()
