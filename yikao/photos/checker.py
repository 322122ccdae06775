"""check_photo(): decode, check, fix, compress and mark a candidate photo."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from yikao.exams.photo_rules import DEFAULT_PROFILE, TIMEOUT_MESSAGE, PhotoProfile

from . import checks
from .decode import decode
from .face import Box, find_faces, to_gray
from .fix import crop_box, encode_under, flatten_background, resize_down
from .mark import MARK_BYTES, add_mark
from .report import CheckResult, PhotoError, PhotoReport, Status, fail, fixed, ok, skipped

log = logging.getLogger(__name__)

# Codes in report order; checks that could not run are reported as skipped.
CODES = (
    "format", "orientation", "metadata", "min_size", "screenshot", "face_count", "face_size",
    "centred", "aspect", "upscaled", "exposure", "frontal", "background", "file_size",
)  # fmt: skip


def _unusable(err: PhotoError, profile: PhotoProfile, t0: float) -> PhotoReport:
    return PhotoReport(
        checks=[CheckResult(err.code, Status.FAIL, err.message)],
        usable=False,
        profile_fingerprint=profile.fingerprint(),
        elapsed_ms=(time.perf_counter() - t0) * 1000,
    )


def _budget(p: PhotoProfile, t0: float) -> Callable[[str], None]:
    """A check of the time spent so far, called between stages: a stage is never interrupted,
    but no further stage starts once the profile's budget is spent."""
    deadline = t0 + p.time_budget_s

    def on_time(stage: str) -> None:
        if time.perf_counter() > deadline:
            log.warning("photo check over its %.1f s budget after %s", p.time_budget_s, stage)
            raise PhotoError("timeout", TIMEOUT_MESSAGE)

    return on_time


def check_photo(data: bytes, *, profile: PhotoProfile = DEFAULT_PROFILE, key: bytes) -> PhotoReport:
    """Check one uploaded photo. Never raises for bad input: an undecodable or refused file gives
    a report with usable=False and one failed check. `jpeg` holds the fixed, marked photo only
    when every check passes."""
    if not isinstance(key, bytes | bytearray) or not key:
        raise ValueError("key must be non-empty bytes")
    t0 = time.perf_counter()
    try:
        return _check(data, profile, bytes(key), t0)
    except PhotoError as err:
        return _unusable(err, profile, t0)
    except Exception:  # a bug or an unforeseen file: report, never crash the caller
        log.exception("photo check failed unexpectedly")
        err = PhotoError("internal", "照片处理失败，请换一张照片重试。如多次失败请联系考点。")
        return _unusable(err, profile, t0)


def _check(data: bytes, p: PhotoProfile, key: bytes, t0: float) -> PhotoReport:
    on_time = _budget(p, t0)
    dec = decode(data, p)
    on_time("decode")
    res: dict[str, CheckResult] = {}
    if dec.fmt == "JPEG":
        res["format"] = ok("format", "JPG 格式。")
    else:
        res["format"] = fixed("format", f"原文件为 {dec.fmt} 格式，已转换为 JPG。", source=dec.fmt)
    if dec.orientation != 1:
        res["orientation"] = fixed(
            "orientation", "已按拍摄方向（EXIF）将照片转正。", exif_orientation=dec.orientation
        )
    else:
        res["orientation"] = ok("orientation", "照片方向正常。")
    if dec.had_exif:
        what = "EXIF（含 GPS 位置）" if dec.had_gps else "EXIF"
        res["metadata"] = fixed("metadata", f"已删除 {what} 等元数据。", gps=dec.had_gps)
    else:
        res["metadata"] = ok("metadata", "无元数据。")
    rgb = dec.rgb
    res["min_size"] = checks.check_min_size(dec.width, dec.height, p)
    res["screenshot"] = checks.check_screenshot(rgb)
    gray = to_gray(rgb)
    faces = find_faces(rgb, gray)
    on_time("detect")
    res["face_count"] = checks.check_face_count(faces)
    out = None
    if len(faces) == 1 and res["min_size"].passed:
        crop, geo = crop_box(faces[0], dec.width, dec.height, p)
        for r in geo:
            res[r.code] = r
        cropped = rgb[crop.y : crop.y + crop.h, crop.x : crop.x + crop.w]
        gcrop = gray[crop.y : crop.y + crop.h, crop.x : crop.x + crop.w]
        if crop.w < p.min_width or crop.h < p.min_height:
            res["min_size"] = checks.check_min_size(crop.w, crop.h, p, "按人脸裁剪后的照片")
        res["aspect"] = checks.check_aspect(dec.width, dec.height, p)
        res["upscaled"] = checks.check_upscale(gcrop, p)
        res["exposure"] = checks.check_exposure(gray, faces[0])
        res["frontal"] = checks.check_frontal(gray, faces[0])
        small = resize_down(cropped, p)
        f = small.shape[1] / crop.w
        fb = crop.face
        face_small = Box(int(fb.x * f), int(fb.y * f), int(fb.w * f), int(fb.h * f))
        res["background"], flatten = checks.check_background(small, face_small)
        if res["exposure"].detail.get("mean", checks.EXP_DARK) < checks.EXP_DARK:
            # an underexposed photo makes a white wall grey: its colour cannot be judged, and
            # the one thing to fix is the light
            res["background"] = skipped("background", "照片过暗，无法判断背景颜色。")
        if all(r.passed for r in res.values()):
            out = flatten_background(small) if flatten else small
    if out is not None:
        on_time("fix")
        jpeg, info = encode_under(out, p, reserve=MARK_BYTES, on_time=on_time)
        if jpeg is None:
            res["file_size"] = fail(
                "file_size",
                f"无法把照片压缩到 {p.max_bytes // 1024} KB 以内（衣服花纹或背景过于复杂）。请穿纯色衣服、在纯白背景前重拍。",
                **info,
            )
        else:
            jpeg = add_mark(jpeg, p, key)
            kb = len(jpeg) / 1024
            res["file_size"] = ok(
                "file_size",
                f"已压缩为 {kb:.1f} KB（质量 {info['quality']}），不超过 {p.max_bytes // 1024} KB。",
                **info,
            )
            report = PhotoReport(
                checks=[res.get(c) or skipped(c) for c in CODES],
                jpeg=jpeg if all(r.passed for r in res.values()) else None,
                width=info["width"],
                height=info["height"],
                profile_fingerprint=p.fingerprint(),
            )
            report.elapsed_ms = (time.perf_counter() - t0) * 1000
            return report
    return PhotoReport(
        checks=[res.get(c) or skipped(c) for c in CODES],
        profile_fingerprint=p.fingerprint(),
        elapsed_ms=(time.perf_counter() - t0) * 1000,
    )
