"""Candidate photo checker (library; no Django imports).

from yikao.photos import check_photo, verify_mark, PhotoProfile
report = check_photo(data, profile=PhotoProfile(), key=b"...")
if report.passed: store(report.jpeg)
"""

from yikao.exams.photo_rules import DEFAULT_PROFILE, PhotoProfile

from .decode import sniff
from .mark import verify_mark
from .report import CheckResult, PhotoError, PhotoReport, Status


def check_photo(data: bytes, *, profile: PhotoProfile = DEFAULT_PROFILE, key: bytes) -> PhotoReport:
    """See checker.check_photo. OpenCV (~25 MB per process) loads on the first check, not
    when the app starts: most server processes never check a photo, they only verify marks."""
    from .checker import check_photo as check

    return check(data, profile=profile, key=key)


__all__ = [
    "DEFAULT_PROFILE",
    "CheckResult",
    "PhotoError",
    "PhotoProfile",
    "PhotoReport",
    "Status",
    "check_photo",
    "sniff",
    "verify_mark",
]
