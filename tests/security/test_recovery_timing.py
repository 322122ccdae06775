"""找回密码 does the same expensive work whatever the ID number: before, an account with
an e-mail address cost one Argon2 hash (the e-mail code's) and an unknown number none, so
the response time told whether an account with that number exists. Counted in hasher
calls, not in milliseconds."""

from unittest import mock

import argon2
import pytest
from factories import make_candidate, resident_id

pytestmark = pytest.mark.django_db

START = "/accounts/recover/"
FINISH = "/accounts/recover/verify/"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def hashes():
    """Counts every Argon2 computation, a new hash or the check of one, whichever Django
    hasher class asks for it (both are named "argon2")."""
    calls = []
    hash_secret, verify = argon2.low_level.hash_secret, argon2.PasswordHasher.verify

    def counting_hash(*args, **kwargs):
        calls.append("hash")
        return hash_secret(*args, **kwargs)

    def counting_verify(self, *args, **kwargs):
        calls.append("verify")
        return verify(self, *args, **kwargs)

    with (
        mock.patch.object(argon2.low_level, "hash_secret", counting_hash),
        mock.patch.object(argon2.PasswordHasher, "verify", counting_verify),
    ):
        yield calls


def _start_cost(client, hashes, id_number) -> int:
    hashes.clear()
    response = client.post(START, {"id_number": id_number})
    assert response["Location"] == FINISH
    return len(hashes)


def test_recovery_start_hashes_alike_for_unknown_and_known_accounts(client, hashes):
    with_email = make_candidate(email="me@example.com")
    without_email = make_candidate()
    unknown = resident_id(birth="19800101", seq=3)
    costs = {
        "email": _start_cost(client, hashes, with_email.id_number),
        "no_email": _start_cost(client, hashes, without_email.id_number),
        "unknown": _start_cost(client, hashes, unknown),
    }
    assert costs["email"] >= 1
    assert costs["unknown"] == costs["email"] == costs["no_email"], costs


def _finish_cost(client, hashes, id_number) -> int:
    client.post(START, {"id_number": id_number})
    hashes.clear()
    response = client.post(
        FINISH,
        {"security_answer": "wrong answer", "email_code": "123456",
         "password1": "Recovered2027", "password2": "Recovered2027"},
    )  # fmt: skip
    assert response.status_code == 200
    return len(hashes)


def test_recovery_finish_hashes_alike_for_unknown_and_known_accounts(client, hashes):
    with_email = make_candidate(email="me2@example.com")
    without_email = make_candidate()
    unknown = resident_id(birth="19800101", seq=5)
    costs = {
        "email": _finish_cost(client, hashes, with_email.id_number),
        "no_email": _finish_cost(client, hashes, without_email.id_number),
        "unknown": _finish_cost(client, hashes, unknown),
    }
    assert costs["unknown"] == costs["email"] == costs["no_email"], costs
