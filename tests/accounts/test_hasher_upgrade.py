"""Old password hashes are upgraded to Yikao's Argon2id at the next successful login."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from factories import DEFAULT_PASSWORD, make_candidate

from yikao.accounts.models import User

ARGON2ID_OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def login(client, username, password=DEFAULT_PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_new_accounts_get_argon2id_at_owasp_minimum():
    candidate = make_candidate()
    assert candidate.user.password.startswith(ARGON2ID_OWASP)


def _old_hash(kind: str) -> str:
    if kind == "pbkdf2":
        return make_password(DEFAULT_PASSWORD, None, "pbkdf2_sha256")
    # Django's own Argon2 parameters (100 MiB, p=8): not in PASSWORD_HASHERS any more.
    return Argon2PasswordHasher().encode(DEFAULT_PASSWORD, Argon2PasswordHasher().salt())


@pytest.mark.django_db
@pytest.mark.parametrize("old_hasher", ["pbkdf2", "django-default-argon2"])
def test_login_upgrades_an_old_hash(client, old_hasher):
    user = make_candidate().user
    User.objects.filter(pk=user.pk).update(password=_old_hash(old_hasher))
    user.refresh_from_db()
    assert not user.password.startswith(ARGON2ID_OWASP)

    assert login(client, user.username).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith(ARGON2ID_OWASP)
    assert user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_a_failed_login_leaves_the_old_hash(client):
    user = make_candidate().user
    old = make_password(DEFAULT_PASSWORD, None, "pbkdf2_sha256")
    User.objects.filter(pk=user.pk).update(password=old)
    assert login(client, user.username, "wrong-Passw0rd").status_code == 200
    user.refresh_from_db()
    assert user.password == old


@pytest.mark.django_db
def test_a_login_is_verified_by_yikaos_hasher_once(client, monkeypatch):
    """Through its concurrency limit, and only once (no second hash per login)."""
    from yikao.accounts import hashers

    user = make_candidate().user
    before = user.password
    calls = []
    verify = hashers.YikaoArgon2PasswordHasher.verify

    def counted(self, password, encoded):
        calls.append(encoded)
        return verify(self, password, encoded)

    monkeypatch.setattr(hashers.YikaoArgon2PasswordHasher, "verify", counted)
    assert login(client, user.username).status_code == 302
    assert calls == [before]
    user.refresh_from_db()
    assert user.password == before  # not hashed again
