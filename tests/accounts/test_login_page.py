import time

import pytest
from django.urls import reverse
from factories import DEFAULT_PASSWORD, make_candidate

from yikao.accounts.lockout import LOCKOUT_MESSAGE

URL = "/accounts/login/"


def login(client, username, password=DEFAULT_PASSWORD, **extra):
    return client.post(URL, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_page_get(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert "用户名或证件号码" in response.content.decode()


@pytest.mark.django_db
def test_first_login_lands_on_profile_then_home(client, candidate):
    response = login(client, candidate.user.username)
    assert response["Location"] == reverse("profiles:index")
    client.get(reverse("profiles:index"))
    client.post(reverse("accounts:logout"))
    response = login(client, candidate.user.username)
    assert response["Location"] == reverse("portal:home")


@pytest.mark.django_db
def test_login_with_id_number_and_with_other_case_username(client):
    candidate = make_candidate(username="MixedCase1")
    candidate.user.has_seen_profile = True
    candidate.user.save()
    assert login(client, candidate.id_number.lower())["Location"] == "/"
    client.post(reverse("accounts:logout"))
    assert login(client, "mixedcase1")["Location"] == "/"


@pytest.mark.django_db
def test_login_wrong_password_message_is_generic(client, candidate):
    wrong = login(client, candidate.user.username, "Wrong2026pass")
    unknown = login(client, "nobody_here", "Wrong2026pass")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].non_field_errors() == unknown.context["form"].non_field_errors()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "x" * 10_000, "password": "y"},
        {"username": "' OR 1=1 --", "password": "a"},
        {"username": ["a", "b"], "password": "x"},
    ],
)
def test_login_bad_input_never_500(client, data):
    assert client.post(URL, data).status_code == 200


@pytest.mark.django_db
def test_five_failures_lock_account_even_with_right_password(client, candidate):
    for _ in range(5):
        login(client, candidate.user.username, "Wrong2026pass", REMOTE_ADDR="10.0.0.1")
    # From another address, by ID number: the same account, still locked.
    response = login(client, candidate.id_number, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_address(client, candidate):
    for n in range(5):
        login(client, f"nobody{n}", "Wrong2026pass", REMOTE_ADDR="10.0.0.9")
    response = login(client, candidate.user.username, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


@pytest.mark.django_db
def test_lockout_looks_the_same_for_unknown_accounts(client):
    for _ in range(5):
        login(client, "ghost_user", "Wrong2026pass", REMOTE_ADDR="10.0.0.3")
    response = login(client, "ghost_user", "Wrong2026pass", REMOTE_ADDR="10.0.0.4")
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_lock_table_never_holds_an_id_number(client, candidate):
    from axes.models import AccessAttempt

    login(client, candidate.id_number, "Wrong2026pass")
    login(client, "110105194912310021", "Wrong2026pass")
    for attempt in AccessAttempt.objects.all():
        assert candidate.id_number not in str(attempt.__dict__)
        assert "110105194912310021" not in str(attempt.__dict__)


@pytest.mark.django_db
def test_session_ends_after_30_idle_minutes(client, candidate, monkeypatch):
    client.force_login(candidate.user)
    assert client.get(reverse("accounts:security")).status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
def test_logout_requires_post_and_ends_session(client, candidate):
    client.force_login(candidate.user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:security")).status_code == 302


@pytest.mark.django_db
def test_login_next_must_be_local(client, candidate):
    candidate.user.has_seen_profile = True
    candidate.user.save()
    response = client.post(
        URL + "?next=https://evil.example/",
        {
            "username": candidate.user.username,
            "password": DEFAULT_PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response["Location"] == "/"
