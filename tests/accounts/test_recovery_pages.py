import re

import pytest
from django.core import mail
from django.urls import reverse
from factories import DEFAULT_ANSWER, make_candidate, resident_id

START = "/accounts/recover/"
FINISH = "/accounts/recover/verify/"


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def finish(client, answer=DEFAULT_ANSWER, code="", password="Recovered2027"):
    return client.post(
        FINISH,
        {
            "security_answer": answer,
            "email_code": code,
            "password1": password,
            "password2": password,
        },
    )


@pytest.mark.django_db
def test_recovery_by_security_answer(client, candidate):
    response = client.post(START, {"id_number": candidate.id_number})
    assert response["Location"] == FINISH
    page = client.get(FINISH).content.decode()
    assert candidate.security_question in page
    response = finish(client, answer=DEFAULT_ANSWER.upper())
    assert response["Location"] == reverse("accounts:login")
    candidate.user.refresh_from_db()
    assert candidate.user.check_password("Recovered2027")


@pytest.mark.django_db(transaction=True)
def test_recovery_with_email_needs_the_code(client):
    candidate = make_candidate(email="me@example.com")
    client.post(START, {"id_number": candidate.id_number})
    [message] = mail.outbox
    code = re.search(r"\d{6}", message.body).group()
    assert finish(client, code="000000" if code != "000000" else "111111").status_code == 200
    assert finish(client, code=code)["Location"] == reverse("accounts:login")


@pytest.mark.django_db
def test_recovery_unknown_id_looks_the_same(client, candidate):
    unknown = resident_id(birth="19800101", seq=3)
    response = client.post(START, {"id_number": unknown})
    assert response["Location"] == FINISH
    page = client.get(FINISH).content.decode()
    assert "密码提示问题" in page
    response = finish(client)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["密码提示答案或邮箱验证码不正确。"]


@pytest.mark.django_db
def test_recovery_wrong_answers_lock_after_five(client, candidate):
    client.post(START, {"id_number": candidate.id_number})
    for _ in range(4):
        assert finish(client, answer="wrong answer").status_code == 200
    response = finish(client, answer="wrong answer")
    assert response["Location"] == START
    client.post(START, {"id_number": candidate.id_number})
    # Still locked for this account, even with the right answer, even in a new session.
    assert finish(client)["Location"] == START
    candidate.user.refresh_from_db()
    assert not candidate.user.check_password("Recovered2027")


@pytest.mark.django_db
def test_recovery_finish_without_start_redirects(client):
    assert client.get(FINISH)["Location"] == START


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "12", "x" * 10_000])
def test_recovery_start_bad_input(client, value):
    response = client.post(START, {"id_number": value})
    assert response.status_code == 200
    assert response.context["form"].errors["id_number"]


@pytest.mark.django_db
def test_recovery_pages_tell_what_to_do_when_everything_is_lost(client):
    assert "考点" in client.get(START).content.decode()
