"""Django's admin (an OTPAdminSite) never answers a missing object with a 500.

django-otp's TOTP device config/QR code views looked the device up with .get(): a missing pk
was a 500 (yikao/core/otp_admin.py makes it a 404). The sweep asks every admin URL for an
object that does not exist, as a verified superuser, with and without
OTP_ADMIN_HIDE_SENSITIVE_DATA.
"""

import contextlib

import pytest
from admin_urls import admin_url_kwargs
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from security_world import make_staff, make_superuser, verified_login

from yikao.core.otp_admin import TOTPDeviceAdmin

pytestmark = pytest.mark.django_db
MISSING = "999999"
DEVICE_VIEWS = ("config", "qrcode")


@pytest.fixture
def superuser_client():
    user = make_superuser()
    client = verified_login(Client(raise_request_exception=False), user)
    client.device = user.device
    return client


def _device_url(pk, view: str) -> str:
    return reverse(f"admin:otp_totp_totpdevice_{view}", kwargs={"pk": pk})


def test_totp_device_admin_is_ours():
    from django.contrib import admin
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert isinstance(admin.site._registry[TOTPDevice], TOTPDeviceAdmin)


@pytest.mark.parametrize("view", DEVICE_VIEWS)
def test_totp_device_view_of_a_missing_device_is_a_404(superuser_client, settings, view):
    settings.OTP_ADMIN_HIDE_SENSITIVE_DATA = False
    assert superuser_client.get(_device_url(MISSING, view)).status_code == 404
    assert superuser_client.get(_device_url(superuser_client.device.pk, view)).status_code == 200


@pytest.mark.parametrize("view", DEVICE_VIEWS)
def test_totp_device_views_stay_refused_when_secrets_are_hidden(superuser_client, view):
    # Our settings hide the secrets: django-otp refuses the views before any lookup.
    assert superuser_client.get(_device_url(MISSING, view)).status_code == 403
    assert superuser_client.get(_device_url(superuser_client.device.pk, view)).status_code == 403


@pytest.mark.parametrize("view", DEVICE_VIEWS)
def test_staff_without_the_permission_cannot_tell_which_devices_exist(settings, view):
    settings.OTP_ADMIN_HIDE_SENSITIVE_DATA = False
    root = make_superuser()
    staff = verified_login(Client(raise_request_exception=False), make_staff("quanguo", "national"))
    assert staff.get(_device_url(MISSING, view)).status_code == 403
    assert staff.get(_device_url(root.device.pk, view)).status_code == 403


def _admin_patterns(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _admin_patterns(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and namespace == "admin:" and pattern.name:
            yield f"admin:{pattern.name}", pattern


def _missing_object_urls(object_id: str) -> list[str]:
    """Every admin URL that names an object, with that object missing."""
    urls = []
    for name, pattern in _admin_patterns(get_resolver().url_patterns):
        groups = pattern.pattern.regex.groupindex
        if not groups or name == "admin:app_list":
            continue
        with contextlib.suppress(NoReverseMatch):  # "abc" where the pattern takes digits
            urls.append(reverse(name, kwargs=admin_url_kwargs(pattern, object_id)))
    return urls


@pytest.mark.parametrize("hide_secrets", [True, False])
def test_no_admin_url_fails_on_a_missing_object(superuser_client, settings, hide_secrets):
    settings.OTP_ADMIN_HIDE_SENSITIVE_DATA = hide_secrets
    urls = _missing_object_urls(MISSING)
    assert len(urls) > 30 and any("/totpdevice/" in u and "/config/" in u for u in urls)
    failed = []
    for url in [*urls, *_missing_object_urls("abc")]:
        responses = [superuser_client.get(url)]
        if url.endswith(("/change/", "/delete/")):
            responses.append(superuser_client.post(url, {"post": "yes"}))
        failed += [(r.request["REQUEST_METHOD"], url, r.status_code) for r in responses
                   if r.status_code >= 500]  # fmt: skip
    assert not failed, failed


def test_every_admin_list_and_add_page_renders(superuser_client):
    """Each registered model's list and add form (the add form renders every widget,
    including the admin's own, Django-template-only ones)."""
    from django.contrib import admin

    failed = []
    for model in admin.site._registry:
        meta = model._meta
        for view in ("changelist", "add"):
            try:
                url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            except NoReverseMatch:
                continue
            status = superuser_client.get(url).status_code
            if status not in (200, 403):  # 403: models whose admin refuses adding
                failed.append((url, status))
    assert not failed, failed
