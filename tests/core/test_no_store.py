"""Pages with personal data are never kept by a browser's or a proxy's cache: every answer to
a signed-in candidate or staff member carries `Cache-Control: no-store` (unless the view set
its own Cache-Control); anonymous public pages and static files are left alone."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from yikao.core.middleware import SecurityHeadersMiddleware
from yikao.review.services import staff_create

pytestmark = pytest.mark.django_db

CANDIDATE_PAGES = ["profiles:index", "photos:upload", "accounts:security"]


def _no_store(response) -> bool:
    return "no-store" in [p.strip() for p in response.get("Cache-Control", "").split(",")]


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client


@pytest.mark.parametrize("name", CANDIDATE_PAGES)
def test_candidate_pages_are_no_store(logged_in, name):
    url = reverse(name)
    response = logged_in.get(url)
    assert response.status_code == 200, url
    assert _no_store(response)


def test_home_page_of_a_signed_in_candidate_is_no_store(logged_in):
    response = logged_in.get("/")
    assert _no_store(response)


def test_api_answers_to_a_signed_in_candidate_are_no_store(logged_in):
    response = logged_in.get("/api/v1/me")
    assert _no_store(response)


def test_staff_pages_are_no_store(client):
    from django_otp import DEVICE_ID_SESSION_KEY

    user, device = staff_create(
        actor=None, username="guojia_nostore", password="Staff2026pass", role="national"
    )
    client.force_login(user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get("/review/")
    assert response.status_code == 200
    assert _no_store(response)


def test_anonymous_public_pages_keep_their_caching(client):
    for url in ["/", reverse("photos:check")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), url


def test_a_view_s_own_cache_control_is_kept(candidate):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "private, no-cache"  # e.g. photos:current
        return response

    request = RequestFactory().get("/photos/current.jpg")
    request.user = candidate.user
    assert SecurityHeadersMiddleware(view)(request)["Cache-Control"] == "private, no-cache"


def test_static_files_and_anonymous_requests_get_no_header():
    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("x"))
    static = RequestFactory().get("/static/core/site.css")  # WhiteNoise: no user at all
    assert not middleware(static).has_header("Cache-Control")
    anonymous = RequestFactory().get("/")
    anonymous.user = SimpleLazyObject(AnonymousUser)
    assert not middleware(anonymous).has_header("Cache-Control")


def test_a_user_that_cannot_be_read_is_treated_as_signed_in():
    def unavailable():
        raise RuntimeError("session store down")

    middleware = SecurityHeadersMiddleware(lambda request: HttpResponse("x"))
    request = RequestFactory().get("/profile/")
    request.COOKIES["sessionid"] = "abc"
    request.user = SimpleLazyObject(unavailable)
    assert _no_store(middleware(request))
