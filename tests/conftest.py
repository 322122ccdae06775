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


@pytest.fixture(scope="session", autouse=True)
def _payment_keys(tmp_path_factory):
    """Payment keys of the tests' own (a fresh clone has none under var/): our pair and a
    platform pair, so the notification address answers every test as a configured server
    does. Payment tests that talk to the simulator point these at its keys themselves."""
    from yikao.payments import services
    from yikao.payments.gateway import ensure_key_pair

    root = tmp_path_factory.mktemp("app-paykeys")
    ensure_key_pair(root / "merchant_private.pem", root / "merchant_public.pem")
    ensure_key_pair(root / "platform_private.pem", root / "platform_public.pem")
    patch = pytest.MonkeyPatch()
    patch.setenv("YIKAO_PAY_PRIVATE_KEY", str(root / "merchant_private.pem"))
    patch.setenv("YIKAO_PAY_PLATFORM_PUBLIC_KEY", str(root / "platform_public.pem"))
    services.gateway.cache_clear()
    yield
    patch.undo()
    services.gateway.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _ticket_key(tmp_path_factory):
    """The 准考证 signing key of the tests' own (a fresh clone has none under var/)."""
    root = tmp_path_factory.mktemp("app-ticketkey")
    patch = pytest.MonkeyPatch()
    patch.setenv("YIKAO_TICKET_KEY", str(root / "ed25519.pem"))
    yield root / "ed25519.pem"
    patch.undo()


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
