"""Each rate limit exceeded once, with its Chinese message; the over-limit request changes
nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from factories import DEFAULT_PASSWORD, make_candidate, resident_id

from yikao.accounts.lockout import LOCKOUT_MESSAGE
from yikao.accounts.models import Candidate
from yikao.accounts.recovery import LOCKED
from yikao.core import throttles

pytestmark = pytest.mark.django_db


def _signup(n: int) -> dict:
    return {
        "full_name": "王限流", "id_type": "resident_id",
        "id_number": resident_id(birth="19970101", seq=n), "username": f"xianliu{n:02d}",
        "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
        "security_question": "您的出生地是？", "security_answer": "郑州金水",
        "email": "", "mobile": f"1370000{n:04d}", "accept_terms": "on",
    }  # fmt: skip


def test_signup_limit_per_address(settings):
    settings.RATE_LIMITS = {"signup": (3, 3600)}
    for n in range(3):
        assert Client().post(reverse("accounts:register"), _signup(n)).status_code == 302
    response = Client().post(reverse("accounts:register"), _signup(3))
    assert response.status_code == 200
    assert throttles.SIGNUP.message in response.content.decode()
    assert Candidate.objects.count() == 3
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9").post(reverse("accounts:register"), _signup(4))
    assert other.status_code == 302


def test_signup_default_limit_is_30_an_hour():
    assert throttles.SIGNUP.rate() == (30, 3600)


def test_login_locks_after_five_failures_with_a_chinese_message():
    candidate = make_candidate()
    client = Client()
    for _ in range(5):
        response = client.post(
            reverse("accounts:login"),
            {"username": candidate.user.username, "password": "Wrong2026pass"},
        )
    response = client.post(
        reverse("accounts:login"),
        {"username": candidate.user.username, "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 429
    assert LOCKOUT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock follows the account when it is named by its ID number instead.
    by_id = Client(REMOTE_ADDR="10.1.2.3").post(
        reverse("accounts:login"), {"username": candidate.id_number, "password": DEFAULT_PASSWORD}
    )
    assert by_id.status_code == 429


def test_recovery_limit_per_address():
    client = Client()
    for n in range(20):
        response = client.post(
            reverse("accounts:recovery_start"), {"id_number": resident_id(seq=n)}
        )
        assert response.status_code == 302, n
    response = client.post(reverse("accounts:recovery_start"), {"id_number": resident_id(seq=21)})
    assert response.status_code == 200
    assert LOCKED in response.content.decode()


def test_eligibility_api_limit(settings):
    settings.YIKAO_SELFCHECK_RATE = (3, 60)
    for _ in range(3):
        ok = Client().post(
            "/api/v1/eligibility/check", {"facts": {}}, content_type="application/json"
        )
        assert ok.status_code == 200
    response = Client().post(
        "/api/v1/eligibility/check", {"facts": {}}, content_type="application/json"
    )
    assert response.status_code == 429
    assert "请求过于频繁" in response.json()["detail"]


def test_directory_search_throttle_answers_429_in_chinese(settings, rf):
    settings.RATE_LIMITS = {"directory_search": (2, 60)}
    request = rf.get("/api/v1/directory/institutions?q=zz")
    assert throttles.directory_search(request) is None
    assert throttles.directory_search(request) is None
    refused = throttles.directory_search(request)
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert refused.content.decode() == '{"detail": "查询过于频繁，请稍等一分钟后再试。"}'


def test_directory_search_api_is_limited(settings):
    settings.RATE_LIMITS = {"directory_search": (2, 60)}
    client = Client()
    statuses = [client.get("/api/v1/directory/majors", {"q": "lc"}).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_the_load_balancer_each_candidate_has_their_own_counter(settings):
    """With PROXY_COUNT=1 every request comes from the balancer's address; the limit must
    count the candidate's (the X-Forwarded-For entry the balancer added), not the balancer's."""
    settings.PROXY_COUNT = 1
    settings.RATE_LIMITS = {"signup": (2, 3600)}
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(2):
        client = Client(**balancer, HTTP_X_FORWARDED_FOR="203.0.113.7")
        assert client.post(reverse("accounts:register"), _signup(n)).status_code == 302
    over = Client(**balancer, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert (
        throttles.SIGNUP.message
        in over.post(reverse("accounts:register"), _signup(2)).content.decode()
    )
    # Another candidate behind the same balancer, who also forged a header of their own.
    other = Client(**balancer, HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9")
    assert other.post(reverse("accounts:register"), _signup(3)).status_code == 302
    assert Candidate.objects.count() == 3
