import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Photos and rendered files go to a throwaway folder per test."""
    settings.MEDIA_ROOT = tmp_path / "media"
