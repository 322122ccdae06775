"""A photo corpus with expected verdicts (issue 18): two real portraits on several backgrounds,
sizes, enlargements, rotations, crops and JPEG qualities.

Portraits: skimage's astronaut (Eileen Collins; tests/photos/photo_factory.py — the checker's
thresholds were set on her) and matplotlib's sample photo of Grace Hopper (never used to tune the
checker), cut out of her flag-and-sky backdrop with OpenCV's GrabCut from fixed face and uniform
seeds. Both ship inside the packages (no download). Every item names its expected verdict and,
for a refusal, the one check that must refuse it. Expected verdicts follow the rules the checker
implements: Grace Hopper wears a cap, and 免冠 (no hat) is not among them (bench/README.md).

Used by tests/photos/test_photo_corpus.py and bench/photo_corpus.py (the confusion table).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import cv2
import numpy as np
from photo_factory import ID_BLUE, ID_RED, WHITE, encode, jpeg, portrait
from PIL import Image

NEAR_WHITE = (236, 236, 232)  # a white wall in shade: whitened by the fixer
GREY = (150, 150, 150)
TOP_PAD = 60


@dataclass(frozen=True)
class Item:
    name: str
    person: str  # "astronaut" (tuned on) or "hopper" (never tuned on)
    expect: str  # "pass" or "fail"
    reason: str | None  # the check that must refuse it
    make: Callable[[], bytes]


@cache
def _hopper_cutout() -> tuple[np.ndarray, np.ndarray]:
    """Grace Hopper (600×512, with TOP_PAD rows of backdrop added above her cap, as an ID photo
    has) and a soft foreground mask from GrabCut, seeded with her face and uniform as foreground
    and the top edge and the upper sides as background (her shoulders reach the lower sides)."""
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        rgb = np.asarray(Image.open(f).convert("RGB"))
    mask = np.full(rgb.shape[:2], cv2.GC_PR_BGD, np.uint8)
    mask[:8] = mask[:300, :8] = mask[:300, -8:] = cv2.GC_BGD
    mask[130:330, 200:330] = cv2.GC_FGD  # the face
    mask[420:, 120:460] = cv2.GC_FGD  # the uniform
    bgd, fgd = np.zeros((1, 65)), np.zeros((1, 65))
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    cv2.grabCut(bgr, mask, None, bgd, fgd, 5, cv2.GC_INIT_WITH_MASK)
    fg = np.isin(mask, (cv2.GC_FGD, cv2.GC_PR_FGD)).astype(np.float32)
    fg = cv2.GaussianBlur(fg, (0, 0), 1.5)
    pad = ((TOP_PAD, 0), (0, 0))
    rgb = np.pad(rgb, (*pad, (0, 0)), mode="edge").astype(np.float32)
    return rgb, np.pad(fg, pad)[..., None]


def hopper_original() -> np.ndarray:
    from matplotlib import cbook

    with cbook.get_sample_data("grace_hopper.jpg") as f:
        return np.asarray(Image.open(f).convert("RGB"))


def textured(h: int, w: int, seed: int = 7) -> np.ndarray:
    """A room-like backdrop: large soft colour blotches."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(60, 230, (6, 5, 3)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def hopper(bg=WHITE, scale: float = 1.0, noise: float = 2.0, seed: int = 1) -> np.ndarray:
    a, m = _hopper_cutout()
    back = np.empty_like(a)
    back[:] = np.asarray(bg, np.float32) if bg != "textured" else textured(*a.shape[:2])
    img = a * m + back * (1 - m)
    if scale != 1.0:
        img = cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_LANCZOS4)
    if noise:
        img = img + np.random.default_rng(seed).normal(0, noise, img.shape).astype(np.float32)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def astronaut(bg=WHITE, scale: float = 1.0, noise: float = 2.0) -> np.ndarray:
    if bg != "textured":
        return portrait(bg, scale=scale, noise=noise)
    fg = portrait(WHITE, scale=scale, noise=0).astype(np.float32)
    ref = portrait((0, 0, 0), scale=scale, noise=0).astype(np.float32)
    m = 1 - (fg - ref)[..., :1] / 255  # the silhouette: where white and black backdrops agree
    back = textured(*fg.shape[:2])
    img = ref + back * (1 - m)
    img = img + np.random.default_rng(1).normal(0, noise, img.shape).astype(np.float32)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def shrunk(img: np.ndarray, width: int) -> np.ndarray:
    h, w = img.shape[:2]
    return cv2.resize(img, (width, round(h * width / w)), interpolation=cv2.INTER_AREA)


def enlarged(img: np.ndarray, f: float, how: int) -> np.ndarray:
    return cv2.resize(img, None, fx=f, fy=f, interpolation=how)


def rotated(img: np.ndarray, deg: float) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def darker(img: np.ndarray, k: float) -> np.ndarray:
    return (img.astype(np.float32) * k).astype(np.uint8)


NN, CUBIC = cv2.INTER_NEAREST, cv2.INTER_CUBIC
# Left edge of the face box in each person's photo at scale 1: cutting the photo just left of it
# puts the face at the frame's edge.
FACE_LEFT = {"astronaut": 170, "hopper": 155}


def _variants(person: str, photo: Callable[..., np.ndarray]) -> list[Item]:
    def item(name, expect, reason, build, q=92):
        return Item(f"{person}/{name}", person, expect, reason, lambda: jpeg(build(), q))

    return [
        item("white", "pass", None, lambda: photo()),
        item("white-q85", "pass", None, lambda: photo(), 85),
        item("white-q70", "pass", None, lambda: photo(), 70),
        item("near-white", "pass", None, lambda: photo(NEAR_WHITE)),
        item("phone-3x", "pass", None, lambda: photo(scale=3.0, noise=6.0), 90),
        item("rotated-4deg", "pass", None, lambda: rotated(photo(), 4)),
        item("blue", "fail", "background", lambda: photo(ID_BLUE)),
        item("blue-2x", "fail", "background", lambda: photo(ID_BLUE, scale=2.0)),
        # issue 18's case: the PNG (no JPEG noise) of the astronaut on ID blue showed no face
        Item(f"{person}/blue-2x-png", person, "fail", "background",
             lambda: encode(photo(ID_BLUE, scale=2.0), "PNG")),
        item("red", "fail", "background", lambda: photo(ID_RED)),
        item("grey", "fail", "background", lambda: photo(GREY)),
        item("textured", "fail", "background", lambda: photo("textured")),
        item("small-150", "fail", "min_size", lambda: shrunk(photo(noise=0), 150)),
        item("nn-2x", "fail", "upscaled", lambda: enlarged(shrunk(photo(noise=0), 200), 2, NN)),
        item("nn-2x-q70", "fail", "upscaled",
             lambda: enlarged(shrunk(photo(noise=0), 200), 2, NN), 70),
        item("nn-1.5x", "fail", "upscaled",
             lambda: enlarged(shrunk(photo(noise=0), 230), 1.5, NN)),
        item("nn-2.5x", "fail", "upscaled",
             lambda: enlarged(shrunk(photo(noise=0), 160), 2.5, NN), 85),
        item("nn-4x", "fail", "upscaled", lambda: enlarged(shrunk(photo(noise=0), 120), 4, NN)),
        item("bicubic-3x", "fail", "upscaled",
             lambda: enlarged(shrunk(photo(noise=0), 140), 3, CUBIC)),
        item("rotated-15deg", "fail", "frontal", lambda: rotated(photo(), 15)),
        item("dark", "fail", "exposure", lambda: darker(photo(), 0.3)),
        item("face-at-edge", "fail", "centred", lambda: photo()[:, FACE_LEFT[person] :]),
    ]  # fmt: skip


def corpus() -> list[Item]:
    items = _variants("astronaut", astronaut) + _variants("hopper", hopper)
    items.append(
        Item("hopper/flag-backdrop", "hopper", "fail", "background",
             lambda: jpeg(hopper_original(), 92))
    )  # fmt: skip
    return items


def decode_jpeg(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
