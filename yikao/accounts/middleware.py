"""A password reset by staff holds the account on the password change page until the
one-time password is replaced (before: only the login landed there, and a click away kept
the site usable with it)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

HOLD_NOTICE = "请先修改密码，再继续使用。"


class MustChangePasswordMiddleware:
    """While the logged-in user's `must_change_password` is set, pages redirect to the
    password change page and the API answers 403.

    The flag is a column of the user row the authentication middleware loads anyway (the
    idle timeout reads `request.user` on every request), so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_paths: tuple[str, ...] = ()

    def _open(self, path: str) -> bool:
        if not self.open_paths:  # reversed on first use: the URLconf is loaded by then
            self.open_paths = tuple(
                reverse(name)
                for name in (
                    "accounts:password_change",
                    "accounts:logout",
                    "core:terms",
                    "core:privacy",
                )
            )
        return path in self.open_paths or path.startswith(settings.STATIC_URL)

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.must_change_password and not self._open(request.path):
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    {"detail": HOLD_NOTICE},
                    status=403,
                    json_dumps_params={"ensure_ascii": False},
                )
            return redirect("accounts:password_change")
        return self.get_response(request)
