"""What a candidate sees when something fails: a Chinese page with the request id, and 503
(try again) rather than 500 while the database cannot be reached."""

import pytest
from django.db import OperationalError
from django.urls import reverse
from factories import make_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_client(client):
    client.raise_request_exception = False
    client.force_login(make_candidate().user)
    return client


def test_a_lost_database_connection_answers_503_with_retry_after(candidate_client, monkeypatch):
    def unavailable(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("yikao.registrations.views.registrations_of", unavailable)
    response = candidate_client.get(reverse("registrations:index"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert "系统繁忙，请稍后再试" in html and "重复提交不会产生两份报名" in html
    assert "server closed the connection" not in html


@pytest.mark.parametrize("error", ["django-redis", "redis"])
def test_redis_out_of_reach_is_a_503_too(candidate_client, monkeypatch, error):
    """With REDIS_URL the sessions, cache and rate limits live in Redis: its outage is as
    temporary as the database's."""
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import ConnectionError as RedisConnectionError

    def unavailable(*args, **kwargs):
        if error == "redis":
            raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        raise ConnectionInterrupted(connection=None) from RedisConnectionError("refused")

    monkeypatch.setattr("yikao.registrations.views.registrations_of", unavailable)
    response = candidate_client.get(reverse("registrations:index"))
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert "6379" not in response.content.decode()


def test_any_other_failure_is_a_500_page_with_the_request_id(candidate_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("yikao.registrations.views.registrations_of", broken)
    response = candidate_client.get(reverse("registrations:index"))
    assert response.status_code == 500
    html = response.content.decode()
    assert response["X-Request-ID"] in html
    assert "a bug" not in html and "重复提交" not in html


def test_the_error_page_itself_needs_no_database(client, monkeypatch, settings):
    """With the database gone, even loading the session fails; the page must not read the
    session again (the navigation reads request.user) or gunicorn answers a bare 500."""

    def unavailable(self, *args, **kwargs):
        raise OperationalError("the database system is shutting down")

    settings.SESSION_ENGINE = "yikao.core.sessions"  # sessions in the database, as without Redis
    client.raise_request_exception = False
    client.force_login(make_candidate().user)
    monkeypatch.setattr("yikao.core.sessions.SessionStore.load", unavailable)
    response = client.get(reverse("registrations:index"))
    assert response.status_code == 503
    assert "系统繁忙，请稍后再试" in response.content.decode()


def test_a_session_saved_during_an_outage_is_an_outage_not_a_bad_request(monkeypatch):
    """Django's db store turns any DatabaseError into UpdateError, which the middleware
    answers 400 "session interrupted"; an outage must stay an OperationalError (503)."""
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.models import Session
    from django.db import DatabaseError

    from yikao.core.sessions import SessionStore

    store = SessionStore()
    store["step"] = 1
    store.create()
    store["step"] = 2

    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(Session, "save", refused)
    with pytest.raises(OperationalError):
        store.save()

    def no_rows(*args, **kwargs):  # the session was deleted by a concurrent logout
        raise DatabaseError("Forced update did not affect any rows.")

    monkeypatch.setattr(Session, "save", no_rows)
    with pytest.raises(UpdateError):
        store.save()
