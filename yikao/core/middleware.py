"""Request id, security headers and the idle-session timeout."""

import contextvars
import secrets
import time

from django.conf import settings
from django.contrib.auth import logout

_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


class RequestIdMiddleware:
    """Tags each request with an id that appears in logs and error pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = secrets.token_hex(8)
        token = _request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response["X-Request-Id"] = request.request_id
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline scripts, and a strict permissions policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        return response


class IdleTimeoutMiddleware:
    """Ends a session after IDLE_TIMEOUT_SECONDS without a request.

    The last-seen time is written at most once a minute, so an active user does not cost
    a session write on every request.
    """

    TOUCH_EVERY = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get("last_seen", now)
            timeout = getattr(request.user, "idle_timeout_seconds", settings.IDLE_TIMEOUT_SECONDS)
            if now - last_seen > timeout:
                logout(request)
                request.session["timed_out"] = True
            elif now - last_seen >= self.TOUCH_EVERY or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)
