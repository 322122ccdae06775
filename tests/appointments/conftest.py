import sys
from pathlib import Path

import pytest
from factories import make_exam, make_site

# appointments_helpers.py lives beside this file; importlib mode does not add it to the path.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _memory_sender(settings):
    from yikao.inbox.senders import MemorySender

    settings.NOTICE_SENDERS = [
        "yikao.inbox.senders.EmailSender",
        "yikao.inbox.senders.MemorySender",
    ]
    MemorySender.outbox.clear()
    yield
    MemorySender.outbox.clear()


@pytest.fixture
def exam(db):
    return make_exam()


@pytest.fixture
def site(exam):
    """Site 4101 (郑州) of the exam, 100 seats."""
    return make_site(exam, code="4101")
