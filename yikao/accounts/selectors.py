"""Named reads of accounts."""

from yikao.accounts.models import Candidate, User
from yikao.core.crypto import lookup_hash
from yikao.core.text import to_half_width


def id_number_hash(number: str) -> str:
    return lookup_hash(number.upper(), purpose="id_number")


def mobile_hash(number: str) -> str:
    return lookup_hash(number, purpose="mobile")


def _compact_identifier(identifier: str) -> str:
    return "".join(to_half_width(identifier or "").split()).replace("(", "").replace(")", "")


def user_by_login_identifier(identifier: str) -> User | None:
    """The account behind a 用户名 (case-insensitive) or a 证件号码, or None."""
    value = _compact_identifier(identifier)
    if not value or len(value) > 40:
        return None
    user = User.objects.with_username(value).first()
    if user is not None:
        return user
    candidate = (
        Candidate.objects.select_related("user")
        .filter(id_number_hash=id_number_hash(value))
        .first()
    )
    return candidate.user if candidate else None


def candidate_by_id_number(number: str) -> Candidate | None:
    value = _compact_identifier(number)
    if not value or len(value) > 40:
        return None
    return (
        Candidate.objects.select_related("user")
        .filter(id_number_hash=id_number_hash(value))
        .first()
    )
