"""What the profile asks of the reference directory: names behind chosen codes, and
hand-typed schools recorded as unverified directory entries."""

from yikao.directory.models import Institution, Major, School
from yikao.directory.services import school_create_unverified


def work_unit(code: str) -> tuple[str, str] | None:
    """(code, full name) of a directory institution, or None when the code is unknown."""
    if not code:
        return None
    found = Institution.objects.filter(code=code).only("code", "name").first()
    return (found.code, found.name) if found else None


def school(code: str, name: str, *, actor=None) -> tuple[str, str, bool]:
    """(code, name, verified). A name not in the list becomes an unverified school."""
    found = School.objects.filter(code=code).first() if code else None
    if found is None:
        found = School.objects.filter(name=name).order_by("-verified").first()
    if found is None:
        found = school_create_unverified(name=name, kind="其他", actor=actor)
    return found.code, found.name, found.verified


def major_code(name: str, code: str) -> str:
    """The catalogue code of the major when the name is the catalogue's, else ""."""
    found = Major.objects.filter(code=code, name=name).first() if code else None
    found = found or Major.objects.filter(name=name).first()
    return found.code if found else ""
