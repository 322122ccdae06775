"""Masking of personal data for lists, logs and staff overviews."""


def mask_id_number(value: str | None) -> str:
    """4101**********1234 for an 18-character ID; shorter documents keep 2 + 2."""
    if not value:
        return ""
    keep = 4 if len(value) >= 12 else 2
    if len(value) <= keep * 2:
        return "*" * len(value)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def mask_phone(value: str | None) -> str:
    """138****5678."""
    if not value:
        return ""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return (local[:1] + "***" if local else "***") + "@" + domain
