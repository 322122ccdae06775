"""What the page tests of the photo app share: the photo a candidate starts from, how it is
uploaded, and the text of an answer."""

import functools

from django.core.files.uploadedfile import SimpleUploadedFile
from photo_factory import jpeg, portrait


@functools.cache
def raw() -> bytes:
    """An unchecked portrait, as a phone would give it."""
    return jpeg(portrait())


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def text(response) -> str:
    return response.content.decode()
