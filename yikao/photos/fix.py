"""Fixes: crop to 35:45 around the face, flatten a near-white background, resize down, encode
under the byte limit."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from yikao.exams.photo_rules import PhotoProfile

from .checks import BG_MAX_CHROMA, BG_NEAR_WHITE
from .face import Box
from .report import CheckResult, fail, ok

CENTRE_TOLERANCE = 0.10  # face centre may be off the frame centre by 10 % of the frame width
TOP_TOLERANCE = 0.08  # face top may be off its standard height by 8 % of the frame height
SIZE_STEP = 0.85  # shrink factor when even the lowest quality is over the byte limit


@dataclass(frozen=True)
class Crop:
    x: int
    y: int
    w: int
    h: int
    face: Box  # face box in crop coordinates


def crop_box(face: Box, img_w: int, img_h: int, p: PhotoProfile) -> tuple[Crop, list[CheckResult]]:
    """The standard head position: face box width = face_width_ratio of the frame, face box top
    at face_top_ratio of the frame height, face centred. If the photo is too tight, the frame
    shrinks (face looks larger, up to face_width_max) and then shifts inside the photo."""
    results: list[CheckResult] = []
    w = face.w / p.face_width_ratio
    w = max(w, p.min_width + 1, (p.min_height + 1) * p.aspect)  # a smaller face, not too few pixels
    w = min(w, img_w, img_h * p.aspect)
    h = w / p.aspect
    ratio = face.w / w
    x0 = min(max(face.cx - w / 2, 0.0), img_w - w)
    y0 = min(max(face.y - p.face_top_ratio * h, 0.0), img_h - h)
    wi, hi = int(w), round(int(w) / p.aspect)
    hi = min(hi, img_h)
    xi, yi = round(min(x0, img_w - wi)), round(min(y0, img_h - hi))
    crop = Crop(xi, yi, wi, hi, Box(face.x - xi, face.y - yi, face.w, face.h))
    if ratio < p.face_width_min:
        results.append(
            fail(
                "face_size",
                "人脸在照片中过小。请靠近镜头，拍摄头部和肩部的半身照。",
                ratio=round(ratio, 3),
            )
        )
    elif ratio > p.face_width_max:
        results.append(
            fail(
                "face_size",
                "人脸过大或离照片边缘太近。请离镜头远一些，头顶上方和两侧留出空白后重拍。",
                ratio=round(ratio, 3),
            )
        )
    else:
        results.append(ok("face_size", "人脸大小合适。", ratio=round(ratio, 3)))
    off_x = (face.cx - xi) / wi - 0.5
    off_y = (face.y - yi) / hi - p.face_top_ratio
    d = {"offset_x": round(off_x, 3), "offset_y": round(off_y, 3)}
    if abs(off_x) > CENTRE_TOLERANCE:
        results.append(
            fail("centred", "人脸不在照片中间，一侧留白不足。请居中拍摄，两侧留出空白。", **d)
        )
    elif off_y < -TOP_TOLERANCE:
        results.append(
            fail(
                "centred",
                "头部太靠上，头顶上方空间不足。请降低相机或后退，留出头顶空白后重拍。",
                **d,
            )
        )
    elif off_y > TOP_TOLERANCE:
        results.append(fail("centred", "头部太靠下。请使头部位于照片上部，露出双肩后重拍。", **d))
    else:
        results.append(ok("centred", "头部位置居中、端正。", **d))
    return crop, results


def flatten_background(rgb: np.ndarray) -> np.ndarray:
    """Near-white, low-colour pixels connected to the frame edge become pure white (soft edge)."""
    px = rgb.astype(np.int16)
    bright = px.mean(axis=2)
    chroma = px.max(axis=2) - px.min(axis=2)
    mask = ((bright >= BG_NEAR_WHITE) & (chroma <= BG_MAX_CHROMA)).astype(np.uint8)
    n, labels = cv2.connectedComponents(mask, connectivity=4)
    if n <= 1:
        return rgb
    edge = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    keep = np.unique(edge[edge > 0])
    bg = np.isin(labels, keep).astype(np.float32)
    alpha = cv2.GaussianBlur(bg, (0, 0), 1.0)[..., None]
    out = rgb.astype(np.float32) * (1 - alpha) + 255.0 * alpha
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


def resize_down(rgb: np.ndarray, p: PhotoProfile) -> np.ndarray:
    h, w = rgb.shape[:2]
    if w <= p.out_width and h <= p.out_height:
        return rgb
    s = min(p.out_width / w, p.out_height / h)
    return cv2.resize(rgb, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)


def _jpeg(rgb: np.ndarray, quality: int, dpi: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, "JPEG", quality=quality, optimize=True, dpi=(dpi, dpi))
    return buf.getvalue()


def encode_under(
    rgb: np.ndarray,
    p: PhotoProfile,
    reserve: int = 0,
    on_time: Callable[[str], None] | None = None,
) -> tuple[bytes | None, dict]:
    """Highest JPEG quality (binary search) that fits max_bytes; if none fits at quality_min,
    shrink by SIZE_STEP and retry, never below min_width×min_height. At most ~8 encodes per
    size and ~6 sizes, so the time is bounded. `reserve` bytes are kept free for the mark. No EXIF/ICC/XMP is written (only JFIF).
    `on_time(stage)` is called before each encode and may raise to stop the search."""
    cur = rgb
    tries = 0
    while True:
        lo, hi, best = p.quality_min, p.quality_max, None
        while lo <= hi:
            if on_time is not None:
                on_time("encode")
            q = (lo + hi) // 2
            data = _jpeg(cur, q, p.dpi)
            tries += 1
            if len(data) <= p.max_bytes - reserve:
                best, lo = (data, q), q + 1
            else:
                hi = q - 1
        h, w = cur.shape[:2]
        if best is not None:
            return best[0], {"quality": best[1], "width": w, "height": h, "encodes": tries}
        nw, nh = int(w * SIZE_STEP), int(h * SIZE_STEP)
        if nw < p.min_width or nh < p.min_height:
            if w > p.min_width and h > p.min_height:
                nh = max(p.min_height, round(p.min_width / p.aspect))
                nw = max(p.min_width, round(nh * p.aspect))
            else:
                return None, {"encodes": tries, "width": w, "height": h}
        cur = cv2.resize(cur, (nw, nh), interpolation=cv2.INTER_AREA)
