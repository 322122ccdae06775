"""What a staff login reaches in the payment back office. All payment staff permission is
here, and always as a query: a site sees its site, an area its province, national all.

The same StaffScope as the review and collection pages (yikao.staff); payments sits below
those apps, so it reads the scope row itself rather than importing their helpers.
"""

from django.db.models import Q, QuerySet

from yikao.exams.models import ExamArea, ExamSite
from yikao.payments.models import Mismatch, Order, Refund
from yikao.registrations.models import Registration
from yikao.staff.access import sites_in_scope
from yikao.staff.models import Role, StaffScope

# Roles that run the money side of a province (reconciliation, refunds, fee schedule).
MONEY_ROLES = (Role.AREA, Role.NATIONAL)


def _site_filter(scope: StaffScope, site_field: str) -> Q | None:
    """The filter on a path to ExamSite; None means everything (national)."""
    if scope.role == Role.NATIONAL:
        return None
    if scope.role == Role.AREA:
        return Q(**{f"{site_field}__area_id": scope.area_id})
    if scope.role == Role.SITE:
        return Q(**{f"{site_field}_id": scope.site_id})
    return Q(pk__in=[])


def _scoped(queryset: QuerySet, scope: StaffScope, site_field: str) -> QuerySet:
    condition = _site_filter(scope, site_field)
    return queryset if condition is None else queryset.filter(condition)


def registrations(scope: StaffScope) -> QuerySet[Registration]:
    return _scoped(Registration.objects.all(), scope, "site")


def orders(scope: StaffScope) -> QuerySet[Order]:
    return _scoped(Order.objects.all(), scope, "registration__site")


def refunds(scope: StaffScope) -> QuerySet[Refund]:
    return _scoped(Refund.objects.all(), scope, "payment__order__registration__site")


def sites(scope: StaffScope) -> QuerySet[ExamSite]:
    return sites_in_scope(scope)


def areas(scope: StaffScope) -> QuerySet[ExamArea]:
    """The provinces whose fee schedule the login may edit (or, for a site, read)."""
    if scope.role == Role.NATIONAL:
        return ExamArea.objects.order_by("code")
    if scope.role == Role.AREA:
        return ExamArea.objects.filter(pk=scope.area_id)
    if scope.role == Role.SITE:
        return ExamArea.objects.filter(sites__pk=scope.site_id)
    return ExamArea.objects.none()


def can_edit_fees(scope: StaffScope) -> bool:
    return scope.role in MONEY_ROLES


def mismatches(scope: StaffScope) -> QuerySet[Mismatch]:
    """Mismatches of orders in the province; rows about orders we do not have (no site to
    place them in) are national staff's alone."""
    if scope.role == Role.NATIONAL:
        return Mismatch.objects.all()
    if scope.role == Role.AREA:
        return Mismatch.objects.filter(order__registration__site__area_id=scope.area_id)
    return Mismatch.objects.none()
