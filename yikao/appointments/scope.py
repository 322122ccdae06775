"""Which sites a staff login may run collection days for. All staff permission is here.

The staff app's StaffScope (yikao.staff, shared with the back office) decides: a site role works for its site, an
area role for every site of its province, a national role for all sites. The same door as
the review pages: a verified (password + one-time code) staff login with a scope row.
"""

from django.db.models import QuerySet

from yikao.exams.models import ExamSite
from yikao.staff.access import sites_in_scope, staff_required, staff_scope_of

__all__ = ["staff_required", "staff_sites"]


def staff_sites(user) -> QuerySet[ExamSite]:
    """The sites the user may see and act on; none for anyone without a verified scope."""
    scope = staff_scope_of(user)
    if scope is None:
        return ExamSite.objects.none()
    return sites_in_scope(scope)
