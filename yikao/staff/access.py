"""The door of the back office: a password and a one-time code, a scope, 15 idle minutes.

Staff sessions end after STAFF_IDLE_SECONDS without a staff request (the core idle
middleware allows candidates 30 minutes; staff pages enforce their own, shorter limit).
"""

import time
from functools import wraps

from django.contrib.auth import logout
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from yikao.exams.models import ExamSite
from yikao.staff.models import Role, StaffScope

STAFF_IDLE_SECONDS = 15 * 60
SESSION_SEEN = "staff_seen"


def staff_scope_of(user) -> StaffScope | None:
    """The scope of a logged-in, OTP-verified staff user, else None."""
    if not user.is_authenticated or not getattr(user, "is_verified", lambda: False)():
        return None
    return (
        StaffScope.objects.select_related("site", "site__area", "area")
        .filter(user=user, user__is_active=True)
        .first()
    )


def sites_in_scope(scope: StaffScope) -> QuerySet[ExamSite]:
    """The sites a staff scope reaches: its site, its province's sites, or all (national).
    The one definition the back-office apps filter by (payments, seating, appointments)."""
    sites = ExamSite.objects.select_related("area").order_by("code")
    if scope.role == Role.NATIONAL:
        return sites
    if scope.role == Role.AREA:
        return sites.filter(area_id=scope.area_id)
    if scope.role == Role.SITE:
        return sites.filter(pk=scope.site_id)
    return sites.none()


def _to_login(request, *, timed_out: bool = False):
    query = {"next": request.get_full_path()} if request.method == "GET" else {}
    if timed_out:
        query["timeout"] = "1"
    url = reverse("review:login")
    return redirect(f"{url}?{urlencode(query)}" if query else url)


def staff_required(view=None, *, roles: tuple[str, ...] | None = None):
    """Sets request.scope; anyone without a verified staff login goes to the staff entrance.

    A verified staff login whose role does not do this work gets 404, like an object
    outside its scope.
    """

    def decorate(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            now = int(time.time())
            seen = request.session.get(SESSION_SEEN)
            if request.user.is_authenticated and seen and now - seen > STAFF_IDLE_SECONDS:
                logout(request)
                return _to_login(request, timed_out=True)
            scope = staff_scope_of(request.user)
            if scope is None:
                return _to_login(request)
            if roles is not None and scope.role not in roles:
                raise Http404
            if seen is None or now - seen >= 30:
                request.session[SESSION_SEEN] = now
            request.scope = scope
            response = func(request, *args, **kwargs)
            response.setdefault("Cache-Control", "private, no-store")
            return response

        return wrapped

    return decorate(view) if view is not None else decorate
