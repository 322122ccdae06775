"""After a staff password reset the one-time password opens the password change page only:
every other page leads there and the API answers 403, until the password is changed."""

import json

import pytest
from django.urls import reverse

from yikao.accounts.middleware import HOLD_NOTICE

pytestmark = pytest.mark.django_db

ONE_TIME = "Temp2026reset"
NEW_PASSWORD = "NewSecret2027"
PAGES = ["portal:home", "profiles:index", "registrations:index"]  # 首页, 个人信息, 考试报名


@pytest.fixture
def reset_client(client, candidate):
    """A candidate whose password staff reset, logged in with the one-time password."""
    user = candidate.user
    user.set_password(ONE_TIME)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": ONE_TIME}
    )
    assert response["Location"] == reverse("accounts:password_change")
    return client


@pytest.mark.parametrize("name", PAGES)
def test_pages_redirect_to_the_password_change_page(reset_client, name):
    response = reset_client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")


def test_posts_and_other_pages_redirect_too(reset_client):
    for url in (reverse("accounts:security"), reverse("accounts:security_question")):
        assert reset_client.get(url)["Location"] == reverse("accounts:password_change")
    posted = reset_client.post(reverse("accounts:security_question"), {})
    assert posted["Location"] == reverse("accounts:password_change")


def test_api_answers_403_in_chinese(reset_client):
    response = reset_client.get("/api/v1/me")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content) == {"detail": HOLD_NOTICE}
    assert HOLD_NOTICE.encode() in response.content  # not \\u-escaped


def test_the_password_page_terms_privacy_static_and_logout_stay_open(reset_client):
    page = reset_client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "请先修改密码，再继续使用" in html
    assert 'role="alert"' in html
    assert reverse("accounts:security") not in html.split("<main", 1)[-1]  # no way out
    assert reset_client.get(reverse("core:terms")).status_code == 200
    assert reset_client.get(reverse("core:privacy")).status_code == 200
    static = reset_client.get("/static/css/site.css")
    assert static.status_code == 200
    b"".join(static.streaming_content)
    logout = reset_client.post(reverse("accounts:logout"))
    assert logout.status_code == 302
    assert logout["Location"] != reverse("accounts:password_change")
    # Logged out: the pages behave as for anyone logged out (the home page is public).
    assert reset_client.get(reverse("portal:home")).status_code == 200


def test_after_changing_the_password_everything_works(reset_client, candidate):
    response = reset_client.post(
        reverse("accounts:password_change"),
        {"old_password": ONE_TIME, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:security")
    candidate.user.refresh_from_db()
    assert not candidate.user.must_change_password
    for name in PAGES:
        assert reset_client.get(reverse(name)).status_code == 200, name
    assert reset_client.get(reverse("accounts:security")).status_code == 200
    assert reset_client.get("/api/v1/me").status_code == 200
    page = reset_client.get(reverse("accounts:password_change")).content.decode()
    assert "请先修改密码，再继续使用" not in page


def test_a_wrong_old_password_keeps_the_hold(reset_client):
    response = reset_client.post(
        reverse("accounts:password_change"),
        {"old_password": "Wrong2026x", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "请先修改密码，再继续使用" in response.content.decode()
    assert reset_client.get(reverse("portal:home"))["Location"] == reverse(
        "accounts:password_change"
    )


def test_a_candidate_without_the_flag_is_not_held(client, candidate):
    client.force_login(candidate.user)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get("/api/v1/me").status_code == 200
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "请先修改密码，再继续使用" not in page
    assert reverse("accounts:security") in page
