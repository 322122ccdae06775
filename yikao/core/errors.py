"""Error pages that show the request id, never a stack trace or personal data."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader


def not_found(request, exception=None):
    return render(request, "core/404.html", status=404)


def _outage(exc: BaseException | None) -> bool:
    """The database cannot be reached, or Redis when REDIS_URL holds the sessions, cache and
    rate limits (django-redis wraps redis' errors in ConnectionInterrupted)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    # Without REDIS_URL nothing imports redis, so none of its errors can occur (and
    # importing it here would cost each server process 18 MB).
    if "redis" not in sys.modules:
        return False
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return isinstance(exc, ConnectionInterrupted | RedisConnectionError | RedisTimeoutError)


def server_error(request):
    """500, or 503 with Retry-After while the database or Redis cannot be reached (a
    restart, a failover): nothing was stored, the request can simply be sent again, and a
    load balancer or the candidate's browser treats 503 as "try again" rather than as a bug."""
    unavailable = _outage(sys.exc_info()[1])
    if request.path.startswith("/api/"):
        response = _api_error(unavailable)
    else:
        response = _error_page(request, unavailable)
    if unavailable:
        response["Retry-After"] = "5"
    return response


API_UNAVAILABLE = "系统繁忙，请稍后重试（重复提交不会产生重复数据）。"
API_FAILED = "服务器内部错误，请稍后重试。"


def _api_error(unavailable: bool) -> JsonResponse:
    """The API's one error shape ({"detail": …}, yikao/core/api/errors.py), not an HTML page."""
    if unavailable:
        return JsonResponse({"detail": API_UNAVAILABLE}, status=503)
    return JsonResponse({"detail": API_FAILED}, status=500)


def _error_page(request, unavailable: bool) -> HttpResponse:
    # Rendered without the request's context processors: they read request.user, hence the
    # session, hence the database, and an error page that needs the database that just
    # failed would itself fail (gunicorn's bare 500 instead of this page).
    page = loader.get_template("core/500.html").render(
        {"request_id": getattr(request, "request_id", ""), "retry": unavailable}
    )
    return HttpResponse(page, status=503 if unavailable else 500)
