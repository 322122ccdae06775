"""One exam, one site in 河南 with its site and area staff, and a submitted registration."""

import sys
from pathlib import Path

import pytest

# review_helpers (registrations, staff) live with the review tests.
sys.path.insert(0, str(Path(__file__).parents[1] / "review"))

from factories import make_exam, make_site
from review_helpers import make_registration, make_staff


@pytest.fixture
def exam(db):
    return make_exam()


@pytest.fixture
def site(exam):
    return make_site(exam, code="4101", capacity=50)


@pytest.fixture
def site_staff(site):
    return make_staff("kaodian_msg", "site", site=site)


@pytest.fixture
def area_staff(site):
    return make_staff("kaoqu_msg", "area", area=site.area)


@pytest.fixture
def outbox(settings):
    from yikao.inbox.senders import MemorySender

    settings.NOTICE_SENDERS = ["yikao.inbox.senders.MemorySender"]
    MemorySender.outbox.clear()
    return MemorySender.outbox


@pytest.fixture
def registration(exam, site, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_registration(exam, site)
