"""A candidate with everything the candidate pages show: profile, photo, a registration,
a wizard draft for a second exam. Query counts are bounded per request; lists are checked
not to grow with the number of rows."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
# The access matrix's tables and world (tests/security) drive test_query_counts_all_routes.py.
sys.path.insert(0, str(Path(__file__).parents[1] / "security"))


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Query counts, not hashing, are measured here (login is bounded in queries only).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    from factories import (
        make_bachelor_profile,
        make_candidate,
        make_draft,
        make_exam,
        make_photo,
        make_site,
    )

    from yikao.registrations.services import registration_submit

    exam = make_exam()
    site = make_site(exam, capacity=100)
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    make_photo(candidate)
    draft = make_draft(candidate, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    later = make_exam(year=2028)
    return {"exam": exam, "later": later, "site": site, "candidate": candidate,
            "registration": registration}  # fmt: skip


@pytest.fixture
def logged_in(client, world):
    client.force_login(world["candidate"].user)
    return client
