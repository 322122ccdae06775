"""Query bounds of the JSON API: eligibility check, /me, and the directory search."""

import json

import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db

DIRECTORY_TABLES = [
    "directory_institutionkey", "directory_schoolkey", "directory_institution",
    "directory_school", "directory_major", "directory_region", "directory_loadedunit",
]  # fmt: skip


@pytest.fixture(scope="module")
def _directory(django_db_setup, django_db_blocker):
    """Two districts of 郑州 (~500 institutions), the MOE schools and the majors."""
    with django_db_blocker.unblock():
        call_command("load_directory", counties="410102,410103", verbosity=0)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cur:
        for table in DIRECTORY_TABLES:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names


@pytest.fixture
def directory(_directory, db):
    return None


@pytest.mark.parametrize(
    ("url", "bound"),
    # The rate limit (database cache without Redis) costs up to 4 queries per request.
    [
        ("/api/v1/directory/schools?q=zzdx", 8),
        ("/api/v1/directory/schools?q=郑州", 8),
        ("/api/v1/directory/institutions?q=zz", 9),
        # + 1 when the prefix and inner stages do not fill the list: the other readings
        # of places are a third stage (issue 18, bench/DIRECTORY.md).
        ("/api/v1/directory/institutions?q=人民医院&region=4101", 10),
        ("/api/v1/directory/majors?q=lcyx", 6),
        ("/api/v1/directory/regions", 6),
        ("/api/v1/directory/regions?parent=41", 6),
    ],
)
def test_directory_api_query_count(client, directory, url, bound, django_assert_max_num_queries):
    with django_assert_max_num_queries(bound):
        response = client.get(url)
    assert response.status_code == 200


def test_eligibility_api_query_count(client, django_assert_max_num_queries):
    body = {"facts": {"identity": "mainland", "military": "none"}}
    with django_assert_max_num_queries(6):
        response = client.post(
            "/api/v1/eligibility/check", json.dumps(body), content_type="application/json"
        )
    assert response.status_code == 200


def test_api_me_query_count(logged_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        assert logged_in.get("/api/v1/me").status_code == 200
