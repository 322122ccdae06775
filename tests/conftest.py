import contextlib
import sys
from pathlib import Path

import pytest

# Test helpers (factories) live beside this file; importlib mode does not add it to the path.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    # A test without database access cannot reach the database cache; it needs no clearing.
    with contextlib.suppress(Exception):
        cache.clear()
    yield


@pytest.fixture
def candidate(db):
    from factories import make_candidate

    return make_candidate()


def pytest_configure(config):
    """Tests serve static files from the source tree, without a collected manifest."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
