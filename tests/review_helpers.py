"""Helpers of the review tests: registrations, staff logins and their one-time codes."""

from factories import make_bachelor_profile, make_candidate, make_draft

from yikao.registrations.services import registration_submit
from yikao.review.services import staff_create


def make_registration(exam, site, **candidate_fields):
    candidate = make_candidate(**candidate_fields)
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    return registration_submit(draft=draft, token=draft.token)


def make_staff(username, role, *, site=None, area=None, full_id_export=False):
    user, device = staff_create(
        actor=None, username=username, password="Staff2026pass", role=role,
        site=site, area=area, full_id_export=full_id_export,
    )  # fmt: skip
    user.device = device
    return user


def staff_login(client, user):
    """A logged-in, OTP-verified staff session (the login page itself is tested apart)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = user.device.persistent_id
    session.save()
    return client


def staff_session_cookie(user, base_url):
    """A verified staff session as a browser cookie (a second browser, or a browser test
    that does not go through the login page: a one-time code works only once)."""
    from django.test import Client

    client = staff_login(Client(), user)
    return [{"name": "sessionid", "value": client.session.session_key, "url": base_url}]


def totp_now(device) -> str:
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
