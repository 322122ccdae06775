"""Named request limits for the endpoints attackers and crowds hit first.

Each limit counts per client address in the shared cache (yikao.core.ratelimit), and can be
changed without code through the RATE_LIMITS setting: {"signup": (30, 3600), ...}.

| name               | default            | where it is applied                                  |
|--------------------|--------------------|------------------------------------------------------|
| signup             | 30 per hour        | accounts.views.register (valid forms)                |
| recovery           | 20 per hour        | accounts.recovery.recovery_start (its own counter)   |
| login              | django-axes        | 5 failures lock the account and the address, 30 min  |
| directory_search   | 120 per minute     | yikao/directory/api.py, each search operation        |
| eligibility API    | YIKAO_SELFCHECK_RATE | eligibility_web.api.check (its own counter)        |
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from yikao.core import ratelimit


@dataclass(frozen=True)
class Throttle:
    name: str
    limit: int
    window: int  # seconds
    message: str

    def rate(self) -> tuple[int, int]:
        return tuple(getattr(settings, "RATE_LIMITS", {}).get(self.name, (self.limit, self.window)))

    def allow(self, request) -> bool:
        """Count this request; False once the client is over the limit in this window."""
        limit, window = self.rate()
        return ratelimit.hit(self.name, ratelimit.client_ip(request), limit=limit, window=window)

    def refusal(self) -> HttpResponse:
        _, window = self.rate()
        response = JsonResponse(
            {"detail": self.message}, status=429, json_dumps_params={"ensure_ascii": False}
        )
        response["Retry-After"] = str(window)
        return response


SIGNUP = Throttle("signup", 30, 3600, "注册过于频繁，请稍后再试。")
DIRECTORY_SEARCH = Throttle("directory_search", 120, 60, "查询过于频繁，请稍等一分钟后再试。")


def directory_search(request) -> HttpResponse | None:
    """None when the search may go on, else the 429 answer to return as is.

    In yikao/directory/api.py, first line of each operation (institutions, schools, majors,
    regions):

        if (refused := throttles.directory_search(request)) is not None:
            return refused
    """
    return None if DIRECTORY_SEARCH.allow(request) else DIRECTORY_SEARCH.refusal()
