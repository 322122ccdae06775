"""Encryption of personal data at rest (ID and mobile numbers).

Values are encrypted with AES-GCM under the current key and stored as
``<key id>$<base64(nonce || ciphertext)>``; every configured key can decrypt, so keys
rotate by adding a new one in front and running ``manage.py reencrypt_personal_data``.
A keyed hash (HMAC-SHA256) beside each value serves exact lookups and uniqueness
without decrypting anything.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

NONCE_BYTES = 12


class DecryptionError(ValueError):
    pass


@cache
def _keys(spec: str) -> tuple[str, dict[str, AESGCM]]:
    keys: dict[str, AESGCM] = {}
    current = ""
    for item in spec.split(","):
        kid, _, b64 = item.strip().partition(":")
        raw = base64.urlsafe_b64decode(b64)
        if len(raw) not in (16, 24, 32) or not kid:
            raise ValueError("FIELD_ENCRYPTION_KEYS: each key is kid:base64 of 16, 24 or 32 bytes")
        keys[kid] = AESGCM(raw)
        current = current or kid
    return current, keys


def current_key_id() -> str:
    return _keys(settings.FIELD_ENCRYPTION_KEYS)[0]


def encrypt(plaintext: str, *, purpose: str) -> str:
    kid, keys = _keys(settings.FIELD_ENCRYPTION_KEYS)
    nonce = os.urandom(NONCE_BYTES)
    sealed = keys[kid].encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"{kid}${base64.urlsafe_b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, purpose: str) -> str:
    kid, _, b64 = token.partition("$")
    keys = _keys(settings.FIELD_ENCRYPTION_KEYS)[1]
    if kid not in keys:
        raise DecryptionError(f"unknown key id {kid!r}")
    blob = base64.urlsafe_b64decode(b64)
    try:
        return keys[kid].decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], purpose.encode()).decode()
    except Exception as exc:  # InvalidTag and friends: never leak the value
        raise DecryptionError("cannot decrypt value") from exc


def key_id_of(token: str) -> str:
    return token.partition("$")[0]


def lookup_hash(value: str, *, purpose: str) -> str:
    """Keyed hash for exact-match lookup; the same value always gives the same hash."""
    key = settings.FIELD_HASH_KEY.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
