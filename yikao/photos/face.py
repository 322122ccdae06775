"""Face and eye detection with the Haar cascades shipped inside opencv-python (no downloads)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import cv2
import numpy as np

DETECT_LONG_SIDE = 480  # faces are searched on a copy scaled to at most this long side
_local = threading.local()  # CascadeClassifier objects are not shared between threads


@dataclass(frozen=True)
class Box:
    x: int
    y: int
    w: int
    h: int
    # Degrees the photo had to be turned (counter-clockwise) for the face to be found: a head
    # tilted that much the other way (0 when found upright).
    turned: float = 0.0

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _cascade(name: str) -> cv2.CascadeClassifier:
    cache = getattr(_local, "cascades", None)
    if cache is None:
        cache = _local.cascades = {}
    if name not in cache:
        clf = cv2.CascadeClassifier(cv2.data.haarcascades + name)
        if clf.empty():  # pragma: no cover - broken OpenCV install
            raise RuntimeError(f"OpenCV cascade {name} not found")
        cache[name] = clf
    return cache[name]


def to_gray(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def detect_faces(gray: np.ndarray, turn: float = 0.0) -> list[Box]:
    """Frontal faces, largest first, in the coordinates of `gray`; with `turn`, searched on a
    copy turned by that many degrees (counter-clockwise), the boxes mapped back (centre turned
    back, size kept).

    Faces narrower than 10 % of the short side (of the downscaled copy) are ignored: they are too
    small to be the subject of an ID photo and are the usual Haar false positives (badges,
    patterned clothes).
    """
    h, w = gray.shape[:2]
    scale = min(1.0, DETECT_LONG_SIDE / max(h, w))
    small = (
        gray
        if scale == 1.0
        else cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    )
    small = cv2.equalizeHist(small)
    back = None
    if turn:
        sh, sw = small.shape[:2]
        m = cv2.getRotationMatrix2D((sw / 2, sh / 2), turn, 1.0)
        small = cv2.warpAffine(small, m, (sw, sh), borderMode=cv2.BORDER_REPLICATE)
        back = cv2.invertAffineTransform(m)
    min_side = max(24, int(0.10 * min(small.shape[:2])))
    found = _cascade("haarcascade_frontalface_default.xml").detectMultiScale(
        small, scaleFactor=1.1, minNeighbors=6, minSize=(min_side, min_side)
    )
    boxes = []
    for x, y, bw, bh in found:
        if back is not None:
            x, y = back @ np.array([x + bw / 2, y + bh / 2, 1.0]) - np.array([bw / 2, bh / 2])
        boxes.append(Box(*(round(v / scale) for v in (x, y, bw, bh)), turned=turn))
    return sorted(boxes, key=lambda b: b.w * b.h, reverse=True)


# A plain background: at least PLAIN_SHARE of the frame's border pixels lie within PLAIN_DIST
# (largest channel difference) of the border's median colour.
PLAIN_DIST, PLAIN_SHARE = 40, 0.7


def neutral_gray(rgb: np.ndarray) -> np.ndarray | None:
    """Gray copy of `rgb` with a plain background turned white, or None when the border is not
    plain. The ID-photo blue (about RGB(67,142,219)) has the gray level of skin, so on the
    equalised gray the face's outline vanishes and the cascade finds nothing; on white it does."""
    h, w = rgb.shape[:2]
    b = max(2, min(h, w) // 20)
    border = np.concatenate(
        [
            rgb[:b].reshape(-1, 3),
            rgb[: h // 2, :b].reshape(-1, 3),
            rgb[: h // 2, -b:].reshape(-1, 3),
        ]
    ).astype(np.int16)
    colour = np.median(border, axis=0)
    if float((np.abs(border - colour).max(axis=1) <= PLAIN_DIST).mean()) < PLAIN_SHARE:
        return None
    gray = to_gray(rgb)
    gray[(np.abs(rgb.astype(np.int16) - colour).max(axis=2) <= PLAIN_DIST)] = 255
    return gray


# Turns tried, in order, when no face is found upright: Haar's frontal cascade tolerates a head
# tilted by a few degrees only, and a tilted head is a thing the candidate can fix (frontal).
TURNS = (8.0, -8.0, 16.0, -16.0)


def find_faces(rgb: np.ndarray, gray: np.ndarray) -> list[Box]:
    """detect_faces() on the photo; when it finds none, once more with a plain coloured
    background turned white, so a blue- or red-background photo is refused for its background
    (the thing to fix) rather than told that no face was found; then on turned copies, so a
    tilted head is refused as tilted."""
    faces = detect_faces(gray)
    if faces:
        return faces
    neutral = neutral_gray(rgb)
    if neutral is not None:
        faces = detect_faces(neutral)
        if faces:
            return faces
    base = gray if neutral is None else neutral
    for turn in TURNS:
        faces = detect_faces(base, turn)
        if faces:
            return faces
    return []


def turned_view(gray: np.ndarray, face: Box) -> tuple[np.ndarray, Box]:
    """The photo turned by face.turned (as detect_faces turned it to find the face) and the
    face box in it, upright."""
    h, w = gray.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), face.turned, 1.0)
    g = cv2.warpAffine(gray, m, (w, h), borderMode=cv2.BORDER_REPLICATE)
    cx, cy = m @ np.array([face.cx, face.cy, 1.0])
    return g, Box(round(cx - face.w / 2), round(cy - face.h / 2), face.w, face.h)


def detect_eyes(gray: np.ndarray, face: Box) -> list[Box]:
    """Eyes in the upper 60 % of the face box, in full-image coordinates, left to right."""
    top = gray[face.y : face.y + int(face.h * 0.6), face.x : face.x + face.w]
    if top.size == 0:
        return []
    scale = min(1.0, 200 / max(1, face.w))
    if scale < 1.0:
        top = cv2.resize(top, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    fw = max(1, int(face.w * scale))
    found = _cascade("haarcascade_eye.xml").detectMultiScale(
        top,
        scaleFactor=1.1,
        minNeighbors=5,
        minSize=(max(8, fw // 10), max(8, fw // 10)),
        maxSize=(fw // 3, fw // 3),
    )
    eyes = [Box(*(round(v / scale) for v in e)) for e in found]
    eyes = [Box(e.x + face.x, e.y + face.y, e.w, e.h) for e in eyes]
    return sorted(eyes, key=lambda b: b.x)
