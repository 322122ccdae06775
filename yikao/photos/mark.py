"""The Yikao photo mark: HMAC-SHA256 over the decoded pixels and the profile fingerprint,
stored in a JPEG COM segment ``YIKAO-PHOTO-MARK v1 <64 hex>``.

This is a project design choice, not an NMEC format (research §4.2: NMEC's marker is not public).

Why pixels and not bytes: the COM segment is inside the file, so the MAC cannot cover the file
bytes; it covers what the file decodes to (width, height, mode, RGB bytes). Any change that
alters a decoded pixel breaks the mark, re-encoding at another quality breaks it, adding EXIF or
other segments does not (they do not change the pixels; an EXIF Orientation tag does, and then
the mark fails). JPEG decoding is deterministic for one libjpeg(-turbo) build and the same
options (Pillow's defaults: ISLOW IDCT, fancy upsampling), so marking and verification must run
with the same Pillow wheel; another decoder may differ by ±1 in some pixels and fail to verify.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import io

import numpy as np
from PIL import Image

from yikao.exams.photo_rules import PhotoProfile

from .decode import decode
from .report import PhotoError

PREFIX = b"YIKAO-PHOTO-MARK v1 "
_DOMAIN = b"yikao.photos.mark.v1\x00"
MARK_BYTES = 4 + len(PREFIX) + 64  # COM marker + length + payload


def _mac(rgb: np.ndarray, profile: PhotoProfile, key: bytes) -> str:
    if not key:
        raise ValueError("mark key must be non-empty bytes")
    h, w = rgb.shape[:2]
    m = hmac.new(bytes(key), digestmod=hashlib.sha256)
    m.update(_DOMAIN + profile.fingerprint().encode() + b"\x00" + f"{w}x{h}xRGB\x00".encode())
    m.update(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes())
    return m.hexdigest()


def _segments(data: bytes):
    """Yield (marker, start, end, payload) for the header segments, up to SOS."""
    if data[:2] != b"\xff\xd8":
        return
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if length < 2 or i + 2 + length > len(data):
            return
        yield marker, i, i + 2 + length, data[i + 4 : i + 2 + length]
        if marker in (0xDA, 0xD9):  # SOS / EOI
            return
        i += 2 + length


def comments(data: bytes) -> list[bytes]:
    return [p for m, _, _, p in _segments(data) if m == 0xFE]


def add_mark(jpeg: bytes, profile: PhotoProfile, key: bytes) -> bytes:
    """Insert the COM segment after SOI (and after the JFIF APP0 segment, which must stay first)."""
    rgb = np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))
    payload = PREFIX + _mac(rgb, profile, key).encode()
    seg = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    at = 2
    for marker, _, end, _ in _segments(jpeg):
        if marker == 0xE0:
            at = end
        break
    return jpeg[:at] + seg + jpeg[at:]


def verify_mark(jpeg_bytes: bytes, profile: PhotoProfile, key: bytes) -> bool:
    """True only for a JPEG with exactly one Yikao mark whose MAC matches its decoded pixels."""
    try:
        data = bytes(jpeg_bytes)
        if data[:3] != b"\xff\xd8\xff" or len(data) > profile.max_input_bytes:
            return False
        marks = [c for c in comments(data) if c.startswith(PREFIX)]
        if len(marks) != 1:
            return False
        claimed = marks[0][len(PREFIX) :].decode("ascii").strip()
        strict = dataclasses.replace(profile, allowed_formats=("JPEG",))
        rgb = decode(data, strict).rgb
        return hmac.compare_digest(claimed, _mac(rgb, profile, key))
    except (PhotoError, ValueError, UnicodeDecodeError, TypeError):
        return False
