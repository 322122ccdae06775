"""Named reads for printing, always scoped to the requesting candidate."""

from __future__ import annotations

import logging

from yikao.accounts.models import Candidate
from yikao.photos.models import CandidatePhoto
from yikao.registrations.models import Registration
from yikao.registrations.selectors import registration_of

logger = logging.getLogger(__name__)


def printable_registration(candidate: Candidate, pk: int) -> Registration:
    """The candidate's own registration (404 for anyone else's), abandoned ones included:
    the service decides what may be printed."""
    registration = registration_of(candidate, pk)
    registration.candidate = candidate  # the same row, already loaded (no query to print)
    return registration


def registration_photo(registration: Registration) -> CandidatePhoto | None:
    """The photo submitted with the registration (by its hash), among the candidate's own."""
    if not registration.photo_sha256:
        return None
    return (
        CandidatePhoto.objects.filter(
            candidate_id=registration.candidate_id, sha256=registration.photo_sha256
        )
        .order_by("-created_at", "-id")
        .first()
    )


def registration_photo_jpeg(registration: Registration) -> bytes | None:
    photo = registration_photo(registration)
    if photo is None:
        return None
    try:
        with photo.image.open("rb") as f:
            return f.read()
    except OSError:
        # A missing file must not stop the print: the form shows an empty photo box.
        logger.warning("photo file missing for photo %s", photo.pk)
        return None
