"""A submitted registration with a real JPEG photo, for the documents tests."""

import hashlib

from django.core.files.base import ContentFile
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.documents.pdf.samples import sample_photo_jpeg
from yikao.photos.models import CandidatePhoto
from yikao.registrations.services import draft_save, registration_submit


def make_jpeg_photo(candidate, data: bytes | None = None) -> CandidatePhoto:
    data = data or sample_photo_jpeg()
    photo = CandidatePhoto(
        candidate=candidate, sha256=hashlib.sha256(data).hexdigest(), width=413, height=531,
        byte_size=len(data), profile_fingerprint="test", is_current=True,
    )  # fmt: skip
    photo.image.save("p.jpg", ContentFile(data), save=False)
    photo.save()
    return photo


def make_registration(*, exam=None, site=None, candidate=None, year: int = 2027, **who):
    exam = exam or make_exam(year=year)
    candidate = candidate or make_candidate(**who)
    make_bachelor_profile(candidate)
    return submit_registration(candidate, exam, site)


def submit_registration(candidate, exam, site=None):
    """Submit the candidate's profile as it stands (every education ticked) for ``exam``."""
    site = site or make_site(exam)
    photo = make_jpeg_photo(candidate)
    draft = make_draft(candidate, exam, site)
    draft_save(draft=draft, step=5, values={"photo_sha256": photo.sha256})
    return registration_submit(draft=draft, token=draft.token)
