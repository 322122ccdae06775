"""Named reads of personal information."""

from yikao.accounts.models import Candidate
from yikao.profiles.models import Certificate, Education, Profile, Training, WorkRecord


def profile_of(candidate: Candidate) -> Profile:
    """The candidate's profile, or an unsaved empty one before the first 提交."""
    try:
        return candidate.profile
    except Profile.DoesNotExist:
        return Profile(candidate=candidate)


def entries_of(candidate: Candidate) -> dict[str, list]:
    return {
        "works": list(WorkRecord.objects.filter(candidate=candidate)),
        "educations": list(Education.objects.filter(candidate=candidate)),
        "trainings": list(Training.objects.filter(candidate=candidate)),
        "certificates": list(Certificate.objects.filter(candidate=candidate)),
    }
