"""Request id, security headers (with no-store for signed-in users) and the idle-session
timeout."""

import contextvars
import secrets
import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.functional import empty

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


def _signed_in(request) -> bool:
    """Whether the response goes to a signed-in user (candidate or staff). False for what
    WhiteNoise answered (static files: the auth middleware never ran, there is no user) and,
    without a query, for a request without a session cookie. When the user cannot be read
    (the session store is down) the answer is True: no-store is the safe side."""
    user = getattr(request, "user", None)
    if user is None:
        return False
    if getattr(user, "_wrapped", None) is empty and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return False
    try:
        return bool(user.is_authenticated)
    except Exception:
        return True


class SecurityHeadersMiddleware:
    """Content-Security-Policy without inline scripts, a strict permissions policy, and
    `Cache-Control: no-store` on every answer to a signed-in user that sets no Cache-Control
    of its own: candidate and staff pages carry personal data, which neither the browser's
    cache (a shared computer at a school or an internet café) nor a proxy may keep. Public
    pages for anonymous visitors and static files keep their caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self)")
        if not response.has_header("Cache-Control") and _signed_in(request):
            response["Cache-Control"] = "no-store"
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
