"""Named reads of candidate photos, always scoped to one candidate, and of the photo rules."""

from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.exams.models import Exam
from yikao.exams.photo_rules import DEFAULT_PROFILE, PhotoProfile
from yikao.photos.models import CandidatePhoto


def current_photo(candidate: Candidate | None) -> CandidatePhoto | None:
    if candidate is None or candidate.pk is None:
        return None
    return CandidatePhoto.objects.filter(candidate=candidate, is_current=True).first()


def candidate_photo(candidate: Candidate | None, photo_id: int) -> CandidatePhoto | None:
    """One of the candidate's own photos; None for anyone else's."""
    if candidate is None or candidate.pk is None:
        return None
    return CandidatePhoto.objects.filter(candidate=candidate, pk=photo_id).first()


def photo_exam(exam_id: object = None) -> Exam | None:
    """The exam a photo is checked for: the published exam asked for (the wizard passes its
    own), else the published exam whose registration window is open now (the one closing first
    when several are), else None. An id that names no published exam counts as not given."""
    published = Exam.objects.filter(is_published=True)
    text = str(exam_id) if isinstance(exam_id, int | str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 9:  # fits any database's integer
        exam = published.filter(pk=int(text)).first()
        if exam is not None:
            return exam
    now = timezone.now()
    return (
        published.filter(window_start__lte=now, window_end__gte=now)
        .order_by("window_end", "pk")
        .first()
    )


def photo_fits(photo: CandidatePhoto | None, exam: Exam | None) -> bool:
    """Whether the photo was checked under `exam`'s photo rules (its mark's fingerprint):
    a photo checked for an exam with other limits (size, pixels) may not meet these."""
    return photo is not None and photo.profile_fingerprint == photo_profile_for(exam).fingerprint()


def photo_profile_for(exam: Exam | None) -> PhotoProfile:
    """The photo rules a check, an upload or a mark verification uses for `exam`."""
    return exam.photo_profile() if exam is not None else DEFAULT_PROFILE
