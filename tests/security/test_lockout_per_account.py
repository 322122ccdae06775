"""The login lock counts failures per account and per client address, and nobody but the
account itself (its own login, a recovered password, a staff reset) lifts an account's
failures: another account's success from the same address used to wipe every record of
that address (axes' reset on success, and recovery's reset by address)."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from factories import DEFAULT_ANSWER, DEFAULT_PASSWORD, make_candidate
from security_world import STAFF_PASSWORD, make_staff

from yikao.accounts.lockout import LOCKOUT_MESSAGE, STAFF_LOCKOUT_MESSAGE

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
STAFF_LOGIN = "/review/login/"
WRONG = "Wrong2026pass"
ATTACKER = "10.7.0.1"


def _login(client, username, password=DEFAULT_PASSWORD, ip=ATTACKER):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    # A code is accepted once per time step: let the test log in several times a step.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _staff_login(client, user, password=STAFF_PASSWORD, ip=ATTACKER, code=None):
    data = {"username": user.username, "password": password, "otp_token": code or _code(user)}
    return client.post(STAFF_LOGIN, data, REMOTE_ADDR=ip)


def test_lockout_another_accounts_login_never_resets_the_victims_failures():
    victim, attacker = make_candidate(), make_candidate()
    client = Client()
    for _ in range(3):
        for _ in range(4):
            _login(client, victim.user.username, WRONG)
        _login(client, attacker.user.username)  # the attacker's own, right password
        client.post("/accounts/logout/")
    assert AccessAttempt.objects.filter(username=f"user:{victim.user.pk}").exists()
    # The victim's account is locked wherever the right password comes from.
    response = _login(Client(), victim.id_number, ip="10.7.0.2")
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()


def test_lockout_the_accounts_own_login_clears_only_its_own_failures():
    victim, owner = make_candidate(), make_candidate()
    client = Client()
    for _ in range(2):
        _login(client, victim.user.username, WRONG)
        _login(client, owner.user.username, WRONG)
    assert _login(client, owner.user.username).status_code == 302
    assert not AccessAttempt.objects.filter(username=f"user:{owner.user.pk}").exists()
    assert AccessAttempt.objects.get(username=f"user:{victim.user.pk}").failures_since_start == 2


def test_lockout_counts_every_name_of_one_account_together():
    victim = make_candidate(username="Victim2026")
    client = Client()
    names = ["victim2026", "VICTIM2026", victim.id_number.lower(), f" {victim.id_number} "]
    for n, name in enumerate(names):
        _login(client, name, WRONG, ip=f"10.7.1.{n}")
    _login(client, "Victim2026", WRONG, ip="10.7.1.9")
    assert _login(Client(), victim.id_number, ip="10.7.1.20").status_code == 429


def test_lockout_another_accounts_password_recovery_never_resets_the_victims_failures(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    victim, attacker = make_candidate(), make_candidate()
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(4):
        _login(client, victim.user.username, WRONG)
    client.post("/accounts/recover/", {"id_number": attacker.id_number}, REMOTE_ADDR=ATTACKER)
    new = "Recovered2027"
    response = client.post(
        "/accounts/recover/verify/",
        {"security_answer": DEFAULT_ANSWER, "email_code": "", "password1": new, "password2": new},
        REMOTE_ADDR=ATTACKER,
    )
    assert response["Location"] == "/accounts/login/"
    _login(client, victim.user.username, WRONG)  # the fifth
    assert _login(Client(), victim.user.username, ip="10.7.0.3").status_code == 429


def test_lockout_password_recovery_lifts_the_accounts_own_lock(settings):
    victim = make_candidate()
    for _ in range(5):
        _login(Client(), victim.user.username, WRONG, ip="10.7.2.1")
    client = Client(REMOTE_ADDR="10.7.2.2")
    client.post("/accounts/recover/", {"id_number": victim.id_number})
    new = "Recovered2027"
    client.post(
        "/accounts/recover/verify/",
        {"security_answer": DEFAULT_ANSWER, "email_code": "", "password1": new, "password2": new},
    )
    assert _login(Client(), victim.user.username, new, ip="10.7.2.3").status_code == 302


def test_lockout_another_staff_login_never_resets_the_victim_staffs_failures():
    victim, attacker = make_staff("quanguo_v", "national"), make_staff("quanguo_x", "national")
    client = Client()
    for _ in range(3):
        for _ in range(4):
            _staff_login(client, victim, password=WRONG, code="000000")
        _staff_login(client, attacker)
        client.post("/review/logout/")
    response = _staff_login(Client(), victim, ip="10.7.0.4")
    assert response.status_code == 429
    assert STAFF_LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_lockout_wrong_one_time_codes_count_against_the_staff_account():
    staff = make_staff("quanguo_c", "national")
    for n in range(5):
        _staff_login(Client(), staff, code="000000" if _code(staff) != "000000" else "111111",
                     ip=f"10.7.3.{n}")  # fmt: skip
    response = _staff_login(Client(), staff, ip="10.7.3.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


# --- Behind the load balancer ------------------------------------------------------------------


def test_lockout_behind_the_balancer_locks_the_client_not_the_balancer(settings):
    """With PROXY_COUNT=1 every request arrives from the balancer; axes must key its
    address lock on the client's address (core.ratelimit.client_ip), like the rate limits."""
    settings.PROXY_COUNT = 1
    balancer = "10.0.0.2"
    candidate, staff = make_candidate(), make_staff("quanguo_p", "national")
    bad = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="203.0.113.7")
    for n in range(5):
        bad.post(LOGIN, {"username": f"nobody{n}", "password": WRONG})
    assert bad.post(LOGIN, {"username": "nobody9", "password": WRONG}).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}

    good = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="198.51.100.20")
    data = {"username": candidate.user.username, "password": DEFAULT_PASSWORD}
    assert good.post(LOGIN, data).status_code == 302
    other = Client(REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR="198.51.100.21")
    staff_data = {"username": staff.username, "password": STAFF_PASSWORD, "otp_token": _code(staff)}
    response = other.post(STAFF_LOGIN, staff_data)
    assert response.status_code == 302
    assert response["Location"] == "/review/"


def test_lockout_behind_the_balancer_ignores_a_forged_header_part(settings):
    settings.PROXY_COUNT = 1
    bad = Client(REMOTE_ADDR="10.0.0.2")
    for n in range(5):
        # The client writes its own X-Forwarded-For; the balancer appends the real address.
        bad.post(
            LOGIN,
            {"username": f"nobody{n}", "password": WRONG},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.8",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.8"}
    response = bad.post(
        LOGIN, {"username": "x", "password": WRONG}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert response.status_code == 429


# --- What the lock table keeps -----------------------------------------------------------------


def _all_axes_text() -> str:
    from axes.models import AccessFailureLog, AccessLog

    rows = [*AccessAttempt.objects.all(), *AccessFailureLog.objects.all(), *AccessLog.objects.all()]
    return "\n".join(str(row.__dict__) for row in rows)


def test_lockout_table_stores_no_request_parameters(settings):
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    staff = make_staff("quanguo_d", "national")
    candidate = make_candidate()
    csrf = "CsrfMarker" + "q" * 54
    client = Client()
    for code in ("135790", "246801"):
        client.post(
            STAFF_LOGIN + "?next=/review/?secret=GetMarker1",
            {"username": staff.username, "password": WRONG, "otp_token": code,
             "csrfmiddlewaretoken": csrf, "next": "/review/"},
        )  # fmt: skip
        client.post(
            STAFF_LOGIN,
            {"username": staff.username, "password": STAFF_PASSWORD, "otp_token": code,
             "csrfmiddlewaretoken": csrf},
        )  # fmt: skip
    client.post(
        LOGIN,
        {"username": candidate.user.username, "password": WRONG, "csrfmiddlewaretoken": csrf},
    )
    attempts = list(AccessAttempt.objects.all())
    assert attempts
    assert all(a.get_data == "" and a.post_data == "" for a in attempts)
    text = _all_axes_text()
    for secret in ("135790", "246801", csrf, "GetMarker1", "otp_token", WRONG, "csrfmiddleware"):
        assert secret not in text
