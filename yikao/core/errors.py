"""Error pages that show the request id, never a stack trace or personal data."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def server_error(request):
    """500, or 503 with Retry-After while the database cannot be reached (a restart, a
    failover): nothing was stored, the request can simply be sent again, and a load
    balancer or the candidate's browser treats 503 as "try again" rather than as a bug."""
    unavailable = isinstance(sys.exc_info()[1], OperationalError | InterfaceError)
    # Rendered without the request's context processors: they read request.user, hence the
    # session, hence the database, and an error page that needs the database that just
    # failed would itself fail (gunicorn's bare 500 instead of this page).
    page = loader.get_template("core/500.html").render(
        {"request_id": getattr(request, "request_id", ""), "retry": unavailable}
    )
    response = HttpResponse(page, status=503 if unavailable else 500)
    if unavailable:
        response["Retry-After"] = "5"
    return response
