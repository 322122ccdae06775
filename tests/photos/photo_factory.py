"""Image factories for the photo checker tests (a plain module: tests/conftest.py is taken), all built from skimage.data.astronaut()."""

from __future__ import annotations

import io
from functools import cache

import cv2
import numpy as np
from PIL import Image
from skimage import data as skdata

KEY = b"test-photo-key-0123456789abcdef"
WHITE = (255, 255, 255)
BLUE = (40, 110, 210)


@cache
def _astronaut_cutout() -> tuple[np.ndarray, np.ndarray]:
    """The astronaut (head and shoulders) and a soft silhouette mask, cropped to x 40..420,
    y 0..420 of the 512×512 original."""
    a = skdata.astronaut()
    mask = np.zeros(a.shape[:2], np.uint8)
    cv2.ellipse(mask, (227, 92), (72, 82), 0, 0, 360, 255, -1)
    poly = [(118, 183), (138, 152), (300, 148), (318, 190), (350, 250), (372, 330), (385, 512)]
    poly += [(40, 512), (30, 330), (60, 250), (100, 215)]
    cv2.fillPoly(mask, [np.array(poly, np.int32)], 255)
    # the studio backdrop (light grey, low colour) left inside the head ellipse is removed too
    px = a[:150].astype(np.int16)
    grey = (px.max(axis=2) - px.min(axis=2) <= 22) & (px.mean(axis=2) >= 170)
    mask[:150][grey] = 0
    side = a[:300].astype(np.int16)  # backdrop beside the neck ring, outside x 130..305
    grey = (side.max(axis=2) - side.min(axis=2) <= 22) & (side.mean(axis=2) >= 170)
    grey[:, 130:305] = False
    mask[:300][grey] = 0
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    m = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), 1.5)
    return a[0:420, 40:420].astype(np.float32), m[0:420, 40:420, None]


def portrait(
    bg=WHITE, scale: float = 1.0, noise: float = 2.0, top: int = 60, side: int = 40, seed: int = 1
) -> np.ndarray:
    """RGB uint8: the astronaut cut out on a plain background, enlarged by `scale` (Lanczos)
    with Gaussian sensor-like noise of `noise` grey levels added afterwards, so the enlargement
    is not a plain interpolation. `top`/`side` are background margins in source pixels."""
    a, m = _astronaut_cutout()
    bgc = np.array(bg, np.float32)
    img = a * m + bgc * (1 - m)
    h, w = img.shape[:2]
    canvas = np.empty((h + top, w + 2 * side, 3), np.float32)
    canvas[:] = bgc
    canvas[top:, side : side + w] = img
    if scale != 1.0:
        canvas = cv2.resize(canvas, None, fx=scale, fy=scale, interpolation=cv2.INTER_LANCZOS4)
    if noise:
        rng = np.random.default_rng(seed)
        canvas = canvas + rng.normal(0, noise, canvas.shape).astype(np.float32)
    return np.clip(canvas + 0.5, 0, 255).astype(np.uint8)


def encode(rgb: np.ndarray, fmt: str = "JPEG", **kw) -> bytes:
    buf = io.BytesIO()
    kw.setdefault("quality", 92) if fmt == "JPEG" else None
    Image.fromarray(rgb).save(buf, format=fmt, **kw)
    return buf.getvalue()


def jpeg(rgb: np.ndarray, quality: int = 92, **kw) -> bytes:
    return encode(rgb, "JPEG", quality=quality, **kw)


def with_exif(rgb: np.ndarray, *, orientation: int | None = None, gps: bool = False) -> bytes:
    im = Image.fromarray(rgb)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    if orientation is not None:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)}
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def upscaled_small(w: int = 100, h: int = 130, big=(400, 520)) -> np.ndarray:
    """A w×h head-and-shoulders photo enlarged to `big` with Lanczos (plain interpolation)."""
    region = portrait(scale=1, noise=0)[20:352, :]
    small = cv2.resize(region, (w, h), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, big, interpolation=cv2.INTER_LANCZOS4)


def heic(rgb: np.ndarray, *, orientation: int | None = None, quality: int = 90) -> bytes:
    """An iPhone-style HEIC made by pillow-heif (imported here only: the checker loads it
    itself when it sniffs a HEIF file). `orientation` is written to EXIF; pillow-heif stores it
    as the HEIF rotation, as phones do."""
    import pillow_heif

    im = Image.fromarray(rgb)
    kw = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x010F] = "Apple"  # Make
        exif[0x0112] = orientation
        kw["exif"] = exif.tobytes()
    buf = io.BytesIO()
    pillow_heif.from_pillow(im).save(buf, quality=quality, **kw)
    return buf.getvalue()


ID_BLUE = (67, 142, 219)  # the usual blue of ID photos: the gray level of skin
ID_RED = (220, 20, 40)


def nn_enlarged(w: int, h: int, big: tuple[int, int]) -> np.ndarray:
    """A w×h head-and-shoulders photo enlarged to `big` by pixel repetition (nearest neighbour,
    as simple tools and phone zooms do); `big`/(w, h) need not be a whole number."""
    region = portrait(scale=1, noise=0)[20:352, :]
    small = cv2.resize(region, (w, h), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, big, interpolation=cv2.INTER_NEAREST)
