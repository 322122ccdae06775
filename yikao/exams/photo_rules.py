"""The photo rules of an exam (NMEC 小二寸, ≤30 KB, ≥190×254 px): a pure dataclass the photo
checker (yikao.photos) applies and Exam.photo_profile() builds from the exam's settings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

# Formats the decoder can recognise by content. HEIF/HEIC (iPhone) is decoded by the
# pillow-heif plugin, loaded only when such a file arrives (decode.py).
KNOWN_FORMATS = ("JPEG", "PNG", "WEBP", "AVIF", "HEIF", "GIF", "BMP", "TIFF")
# Input formats converted to JPEG when a profile accepts converted input (an exam's setting).
CONVERTED_FORMATS = ("PNG", "WEBP", "HEIF")
# Bounds an exam may set (exams.Exam validators): the mark and a face crop need ~8 KB, and no
# exam asks for more than a few tens of KB.
MIN_MAX_BYTES = 10 * 1024
MAX_MAX_BYTES = 200 * 1024
TIMEOUT_MESSAGE = "照片处理超时，请换一张较小的照片重试。"
# Fields that change how a check runs, not which photo passes: left out of the fingerprint.
_NOT_FINGERPRINTED = ("time_budget_s",)


@dataclass(frozen=True)
class PhotoProfile:
    """Limits and geometry for one kind of photo.

    Output size: 413×531 px is 小二寸 (35×45 mm) at 300 dpi, the size NMEC asks for
    (research §4.1). 295×413 is 1寸 (25×35 mm, CPTA) and has the wrong aspect ratio (0.714
    instead of 0.778), so it is not used. The output is resized down to that size, never up;
    a smaller source gives a smaller output, but never below min_width×min_height.
    """

    name: str = "nmec-xiao2cun-v1"
    max_bytes: int = 30 * 1024
    min_width: int = 190
    min_height: int = 254
    aspect_w: int = 35
    aspect_h: int = 45
    # Relative tolerance on width/height. 190/254 = 0.748 is 3.8 % off 35/45 = 0.778, so NMEC's
    # own minimum size must be accepted.
    aspect_tolerance: float = 0.05
    out_width: int = 413
    out_height: int = 531
    dpi: int = 300
    # Input formats accepted (anything else is refused). Non-JPEG input is converted to JPEG.
    allowed_formats: tuple[str, ...] = ("JPEG", *CONVERTED_FORMATS)
    # Hostile-input limits, checked before decoding the pixels.
    max_input_bytes: int = 15 * 1024 * 1024
    max_pixels: int = 50_000_000
    # Standard head position, as fractions of the output frame (see fix.crop_box).
    face_width_ratio: float = 0.46  # Haar face box width / frame width
    face_top_ratio: float = 0.25  # top of the Haar face box / frame height
    face_width_min: float = 0.36
    face_width_max: float = 0.62
    # JPEG quality search range.
    quality_max: int = 92
    quality_min: int = 40
    # Wall-clock seconds one check may take, checked between its stages (decode, detect, fix,
    # each encode of the size search): a pathological file gets TIMEOUT_MESSAGE well before
    # gunicorn's 30 s worker timeout turns it into an error page.
    time_budget_s: float = 10.0

    @property
    def aspect(self) -> float:
        return self.aspect_w / self.aspect_h

    @property
    def max_kb(self) -> int:
        return self.max_bytes // 1024

    @property
    def converts_input(self) -> bool:
        return any(f != "JPEG" for f in self.allowed_formats)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["allowed_formats"] = list(self.allowed_formats)
        return d

    def fingerprint(self) -> str:
        """Stable short id of every field that decides what passes; part of the mark, so a mark
        only verifies under the profile that produced it."""
        d = {k: v for k, v in self.to_dict().items() if k not in _NOT_FINGERPRINTED}
        blob = json.dumps(d, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return f"{self.name}:{hashlib.sha256(blob.encode()).hexdigest()[:16]}"


DEFAULT_PROFILE = PhotoProfile()
