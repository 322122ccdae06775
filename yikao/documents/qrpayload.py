"""The QR code on the 报名申请表: a URL of the staff back office carrying a signed
registration id, nothing personal.

    url = registration_qr_url(registration.pk, base_url="https://yikao.example.cn")
    pk = registration_from_qr(signed)  # InvalidQRCode if tampered with

No expiry: a printed form is scanned months later at the site review. Rotating SECRET_KEY
(with the old key in SECRET_KEY_FALLBACKS) keeps printed codes readable.
"""

from __future__ import annotations

from django.core import signing
from django.urls import NoReverseMatch, reverse

SALT = "documents.registration-qr"
SCAN_URL_NAME = "review:scan"  # the back office's view; its path is assumed below until it exists
SCAN_PATH = "/review/scan/{signed}/"


class InvalidQRCode(ValueError):
    """Not a QR code this system printed (tampered with, truncated or another salt)."""


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def registration_qr_token(registration_id: int) -> str:
    """``"<id>:<signature>"``, URL-safe."""
    return _signer().sign(str(int(registration_id)))


def registration_qr_path(registration_id: int) -> str:
    signed = registration_qr_token(registration_id)
    try:
        return reverse(SCAN_URL_NAME, kwargs={"signed": signed})
    except NoReverseMatch:
        return SCAN_PATH.format(signed=signed)


def registration_qr_url(registration_id: int, *, base_url: str) -> str:
    """The absolute URL printed as the QR code; ``base_url`` is scheme and host."""
    return base_url.rstrip("/") + registration_qr_path(registration_id)


def registration_from_qr(signed: str) -> int:
    """The registration id in a scanned code (the token, or the whole URL)."""
    text = (signed or "").strip()
    if "/" in text:  # a scanner handed over the whole URL: the token is its last segment
        text = text.rstrip("/").rsplit("/", 1)[-1]
    try:
        value = _signer().unsign(text)
    except signing.BadSignature as exc:
        raise InvalidQRCode("二维码无效或已被篡改。") from exc
    if not value.isdigit():
        raise InvalidQRCode("二维码无效或已被篡改。")
    return int(value)
