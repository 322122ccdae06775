import sys
from pathlib import Path

import pytest

# photo_factory.py lives beside this file; importlib mode does not add it to the path.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def photo_settings(settings, tmp_path):
    """Uploads go to a fresh folder; photos are marked with the tests' key."""
    from photo_factory import KEY

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_MARK_KEY = KEY.decode()


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client
