import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse
from factories import DEFAULT_PASSWORD

from yikao.core.models import AuditEntry


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client


@pytest.mark.django_db
def test_security_pages_need_login(client):
    for name in ["security", "password_change", "security_question"]:
        response = client.get(reverse(f"accounts:{name}"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_security_overview_shows_masked_mobile(logged_in, candidate):
    html = logged_in.get(reverse("accounts:security")).content.decode()
    assert candidate.masked_mobile in html and candidate.mobile not in html
    assert "修改密码" in html and "修改密码提示问题" in html


@pytest.mark.django_db
def test_password_change_ends_other_sessions(logged_in, candidate):
    other = Client()
    other.force_login(candidate.user)
    assert other.get(reverse("accounts:security")).status_code == 200
    response = logged_in.post(
        reverse("accounts:password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "password1": "NewSecret2027",
            "password2": "NewSecret2027",
        },
    )
    assert response.status_code == 302
    candidate.user.refresh_from_db()
    assert candidate.user.check_password("NewSecret2027")
    assert logged_in.get(reverse("accounts:security")).status_code == 200  # this session stays
    assert other.get(reverse("accounts:security")).status_code == 302  # the other one ended
    assert AuditEntry.objects.filter(action="account.password_changed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "old_password": "Wrong2026x",
                "password1": "NewSecret2027",
                "password2": "NewSecret2027",
            },
            "old_password",
        ),
        (
            {"old_password": DEFAULT_PASSWORD, "password1": "short", "password2": "short"},
            "password1",
        ),
        (
            {
                "old_password": DEFAULT_PASSWORD,
                "password1": "NewSecret2027",
                "password2": "Other2027x",
            },
            "password2",
        ),
        (
            {
                "old_password": DEFAULT_PASSWORD,
                "password1": "x" * 10_000,
                "password2": "x" * 10_000,
            },
            "password1",
        ),
        ({}, "old_password"),
    ],
)
def test_password_change_bad_input(logged_in, candidate, data, field):
    response = logged_in.post(reverse("accounts:password_change"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    candidate.user.refresh_from_db()
    assert candidate.user.check_password(DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_security_question_change_needs_password(logged_in, candidate):
    url = reverse("accounts:security_question")
    bad = logged_in.post(
        url,
        {
            "password": "Wrong2026x",
            "security_question": "您的小学？",
            "security_answer": "红星小学",
        },
    )
    assert bad.context["form"].errors["password"] == ["登录密码不正确。"]
    good = logged_in.post(
        url,
        {
            "password": DEFAULT_PASSWORD,
            "security_question": "您的小学？",
            "security_answer": "红星小学",
        },
    )
    assert good.status_code == 302
    candidate.refresh_from_db()
    assert candidate.security_question == "您的小学？"
    assert check_password("红星小学", candidate.security_answer_hash)
    entry = AuditEntry.objects.get(action="account.security_question_changed")
    assert entry.changes["security_question"]["new"] == "您的小学？"


@pytest.mark.django_db
@pytest.mark.parametrize("answer", ["abc", "答" * 31, ""])
def test_security_question_bad_answer(logged_in, answer):
    response = logged_in.post(
        reverse("accounts:security_question"),
        {
            "password": DEFAULT_PASSWORD,
            "security_question": "您的小学？",
            "security_answer": answer,
        },
    )
    assert response.context["form"].errors["security_answer"]
