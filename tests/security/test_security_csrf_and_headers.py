"""CSRF on every state-changing route, and the production security headers and cookies."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from security_world import candidate_login, verified_login
from test_security_access_matrix import (
    ADMIN,
    API,
    AREA,
    CANDIDATE,
    OWN,
    ROUTES,
    SIGNED,
    STAFF,
    _api_call,
)

from yikao.core.models import AuditEntry

# A pure computation without a session (auth=None): no CSRF token by design.
CSRF_EXEMPT_API = {("POST", "/api/v1/eligibility/check")}


def _client_for(kind, world):
    client = Client(enforce_csrf_checks=True)
    if kind in (CANDIDATE, OWN):
        return candidate_login(client, world.cand_b)
    if kind == STAFF:
        return verified_login(client, world.staff_b)
    if kind == AREA:
        return verified_login(client, world.area_staff)
    if kind == ADMIN:
        return verified_login(client, world.superuser)
    return client


POST_ROUTES = sorted(
    name for name, spec in ROUTES.items() if "POST" in spec.methods and spec.kind != SIGNED
)
# Called by an outside platform, which has no CSRF token: the signature is the check.
SIGNED_ROUTES = sorted(name for name, spec in ROUTES.items() if spec.kind == SIGNED)


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_ROUTES)
def test_signed_routes_need_their_signature_not_a_token(name, world):
    response = Client(enforce_csrf_checks=True).post(reverse(name), {"order_no": "Y1"})
    assert response.status_code == 400 and response.content == b"FAIL"
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("name", POST_ROUTES)
def test_post_without_csrf_token_is_refused(name, world):
    spec = ROUTES[name]
    url = reverse(name, kwargs=spec.kwargs(world))
    audits = AuditEntry.objects.count()
    response = _client_for(spec.kind, world).post(url, spec.post(world))
    assert response.status_code == 403, (url, response.status_code)
    assert AuditEntry.objects.count() == audits


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operation",
    sorted(op for op in API if op[0] != "GET" and op not in CSRF_EXEMPT_API),
    ids=lambda op: f"{op[0]} {op[1]}",
)
def test_api_write_without_csrf_token_is_refused(operation, world):
    method, path = operation
    spec = API[operation]
    client = _client_for(spec.kind, world)
    url = path.format(**spec.params(world))
    response = _api_call(client, method, url, spec.body(world) if spec.body else None)
    assert response.status_code == 403, (url, response.status_code, response.content[:200])


def test_api_exemptions_are_sessionless():
    from yikao.api.api import api

    schema = api.get_openapi_schema()
    for method, path in CSRF_EXEMPT_API:
        assert not schema["paths"][path][method.lower()].get("security"), path


# --- Production settings ------------------------------------------------------------------------

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "X_FRAME_OPTIONS", "SECURE_REFERRER_POLICY",
    "SECURE_CONTENT_TYPE_NOSNIFF", "CONTENT_SECURITY_POLICY", "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_HTTPONLY", "DEBUG",
]  # fmt: skip


def production_settings(tmp_path) -> dict:
    """The security settings exactly as yikao/settings.py computes them for production."""
    env = {
        **os.environ,
        "YIKAO_ENV": "production",
        "SECRET_KEY": "p" * 60,
        "FIELD_ENCRYPTION_KEYS": "p1:" + "A" * 43 + "=",
        "FIELD_HASH_KEY": "h" * 44,
        "ALLOWED_HOSTS": "yikao.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
        "YIKAO_VAR_DIR": str(tmp_path),
    }
    for name in ("HTTPS", "SECURE_SSL_REDIRECT", "DEBUG"):
        env.pop(name, None)
    code = (
        "import json, yikao.settings as s;"
        f"print(json.dumps({{n: getattr(s, n, None) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env,
        cwd=settings.BASE_DIR, timeout=60, check=True,
    )  # fmt: skip
    values = json.loads(result.stdout)
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.mark.django_db
def test_production_headers_and_cookies(tmp_path, world):
    prod = production_settings(tmp_path)
    assert prod["DEBUG"] is False and prod["SECURE_HSTS_SECONDS"] >= 31536000
    with override_settings(**prod, ALLOWED_HOSTS=["yikao.example.cn"]):
        plain = Client(HTTP_HOST="yikao.example.cn")
        redirect = plain.get("/accounts/login/")
        assert redirect.status_code == 301
        assert redirect["Location"] == "https://yikao.example.cn/accounts/login/"
        client = Client(HTTP_HOST="yikao.example.cn", HTTP_X_FORWARDED_PROTO="https")
        for url in ("/", "/accounts/login/", "/accounts/register/", "/api/v1/openapi.json"):
            response = client.get(url)
            assert response.status_code == 200, url
            hsts = response["Strict-Transport-Security"]
            assert "max-age=31536000" in hsts and "includeSubDomains" in hsts, url
            csp = response["Content-Security-Policy"]
            assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
            assert "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp, url
            assert response["X-Frame-Options"] == "DENY", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["X-Content-Type-Options"] == "nosniff", url
        csrf_cookie = client.get("/accounts/login/").cookies["csrftoken"]
        assert csrf_cookie["secure"] and csrf_cookie["httponly"]
        login = Client(
            HTTP_HOST="yikao.example.cn", HTTP_X_FORWARDED_PROTO="https", REMOTE_ADDR="10.0.0.8"
        )
        from factories import DEFAULT_PASSWORD

        response = login.post(
            "/accounts/login/",
            {"username": world.cand_a.user.username, "password": DEFAULT_PASSWORD},
        )
        assert response.status_code == 302
        session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert session_cookie["secure"] and session_cookie["httponly"]
        assert session_cookie["samesite"] == "Lax"
