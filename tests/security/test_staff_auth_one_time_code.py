"""Every way a member of staff authenticates asks for the one-time code: the candidates'
login, the admin's login and the password change. Before, the candidates' login let staff
in with the password alone, the password change took no code, and the admin's login
showed the OTP device picker only when the password was right."""

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from security_world import STAFF_PASSWORD, make_staff, make_superuser, verified_login

pytestmark = pytest.mark.django_db

WRONG = "Wrong2026pass"
NEW = "Changed2027pass"


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def test_staff_auth_candidate_login_refuses_staff_like_a_wrong_password():
    staff = make_staff("quanguo_l", "national")
    right = Client().post(
        "/accounts/login/", {"username": staff.username, "password": STAFF_PASSWORD}
    )
    wrong = Client().post("/accounts/login/", {"username": staff.username, "password": WRONG})
    assert right.status_code == wrong.status_code == 200
    assert "_auth_user_id" not in right.client.session
    assert right.context["form"].non_field_errors() == wrong.context["form"].non_field_errors()
    # Both count towards the lock alike: the lock cannot tell a right password either.
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_staff_auth_candidate_login_refuses_staff_even_with_a_code_field():
    staff = make_staff("quanguo_m", "national")
    data = {"username": staff.username, "password": STAFF_PASSWORD, "otp_token": _code(staff)}
    response = Client().post("/accounts/login/", data)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session


def test_staff_auth_admin_login_answers_alike_whether_the_password_is_right():
    root = make_superuser()
    pages = []
    for password in (STAFF_PASSWORD, WRONG):
        response = Client().post(
            "/admin/login/?next=/admin/", {"username": root.username, "password": password}
        )
        assert response.status_code == 200
        assert "_auth_user_id" not in response.client.session
        pages.append(_without_csrf(response.content.decode()))
    assert pages[0] == pages[1]
    assert 'name="otp_device"' not in pages[0]


def test_staff_auth_admin_login_answers_alike_for_a_wrong_code():
    root = make_superuser()
    pages = []
    for password in (STAFF_PASSWORD, WRONG):
        code = "000000" if _code(root) != "000000" else "111111"
        response = Client().post(
            "/admin/login/?next=/admin/",
            {"username": root.username, "password": password, "otp_token": code},
        )
        assert response.status_code == 200
        pages.append(_without_csrf(response.content.decode()))
    assert pages[0] == pages[1]


def test_staff_auth_admin_login_with_password_and_code_is_verified():
    root = make_superuser()
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": root.username, "password": STAFF_PASSWORD, "otp_token": _code(root),
         "next": "/admin/"},
    )  # fmt: skip
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_auth_admin_login_bad_input_never_500():
    for data in ({}, {"username": "x" * 5000, "password": "y", "otp_token": "z" * 500},
                 {"username": ["a", "b"], "password": "p", "otp_token": "１２３４５６"}):  # fmt: skip
        assert Client().post("/admin/login/", data).status_code == 200


def test_staff_auth_password_change_needs_the_one_time_code():
    staff = make_staff("quanguo_n", "national")
    client = verified_login(Client(), staff)
    url = "/accounts/security/password/"
    data = {"old_password": STAFF_PASSWORD, "password1": NEW, "password2": NEW}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors.get("otp_token")
    staff.refresh_from_db()
    assert staff.check_password(STAFF_PASSWORD)

    response = client.post(
        url, {**data, "otp_token": "000000" if _code(staff) != "000000" else "1"}
    )
    assert response.status_code == 200
    staff.refresh_from_db()
    assert staff.check_password(STAFF_PASSWORD)

    response = client.post(url, {**data, "otp_token": _code(staff)})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(NEW)


def test_staff_auth_password_change_page_asks_staff_for_the_code_and_not_candidates():
    from factories import make_candidate
    from security_world import candidate_login

    staff = make_staff("quanguo_o", "national")
    page = verified_login(Client(), staff).get("/accounts/security/password/").content.decode()
    assert 'name="otp_token"' in page
    candidate_page = candidate_login(Client(), make_candidate()).get("/accounts/security/password/")
    assert 'name="otp_token"' not in candidate_page.content.decode()


def test_staff_auth_review_login_still_works_with_password_and_code():
    staff = make_staff("quanguo_q", "national")
    client = Client()
    data = {"username": staff.username, "password": STAFF_PASSWORD, "otp_token": _code(staff)}
    response = client.post("/review/login/", data)
    assert response.status_code == 302
    assert client.get("/review/").status_code == 200
