"""Scale-out: two app servers share one PostgreSQL and one Redis (bench/cluster.py).

Skipped unless PostgreSQL (SCALEOUT_DATABASE_URL, default the local server) and Redis
(SCALEOUT_REDIS_URL) answer. Needs no Django test database: the servers are separate
processes, so it builds its own database and drops it afterwards.
"""

import os

import pytest

pytestmark = pytest.mark.scaleout

DATABASE_URL = os.environ.get(
    "SCALEOUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("SCALEOUT_REDIS_URL", "redis://127.0.0.1:6379/7")


def _services_answer() -> bool:
    try:
        import psycopg
        import redis

        with psycopg.connect(DATABASE_URL, connect_timeout=3):
            pass
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception:
        return False
    return True


@pytest.fixture(scope="module")
def outcome():
    if not _services_answer():
        # In CI both services run on the machine: a skip there would hide a broken set-up.
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL and Redis do not answer; CI must run the scale-out test")
        pytest.skip("PostgreSQL and Redis are needed for the scale-out test")
    from bench import cluster

    return cluster.run(DATABASE_URL, REDIS_URL)


def test_two_servers_a_login_on_one_is_a_session_on_the_other(outcome):
    assert outcome["sessions_move"] is True


def test_two_servers_rush_fills_exactly_the_seats(outcome):
    from bench.cluster import CANDIDATES, SEATS

    assert outcome["errors"] == []
    assert outcome["registrations"] == SEATS
    assert outcome["candidates_refused_site_full"] == CANDIDATES - SEATS
    assert outcome["numbers_unique"] is True


def test_two_servers_double_submit_to_both_gives_one_registration(outcome):
    from bench.cluster import SEATS

    assert outcome["candidates_with_two"] == 0
    assert outcome["candidates_registered"] == SEATS


def test_two_servers_double_submit_both_answers_are_the_registration(outcome):
    from bench.cluster import SEATS

    assert outcome["candidates_registered_both_answers_same"] == SEATS
