"""The mark key the web side signs and verifies with (settings.PHOTO_MARK_KEY)."""

from django.conf import settings


def photo_mark_key() -> bytes:
    key = settings.PHOTO_MARK_KEY
    return key if isinstance(key, bytes) else str(key).encode()
