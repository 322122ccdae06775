"""Individual checks. Each returns a CheckResult (code, status, Chinese message, detail).

Thresholds are module constants so they are documented in one place; see bench/PHOTOS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from yikao.exams.photo_rules import PhotoProfile

from .face import Box, detect_eyes, turned_view
from .report import CheckResult, fail, fixed, ok

# --- upscale detection -------------------------------------------------------------------------
# M(g) = rms(g - up2(down2(g))) / rms(g - GaussianBlur(g, sigma=3)): the share of the fine detail
# that lives in the top octave (between half and full Nyquist). A camera image at its own
# resolution gives M ≈ 0.3–0.5; an image enlarged k× by interpolation has almost nothing in the
# top octave: M ≤ 0.22 at k = 2, ≤ 0.15 at k = 4, also after JPEG compression (q60–q92).
# We shrink the crop region in steps of 1/1.5 until M ≥ UPSCALE_M; that width is the effective
# (real) resolution. The check fails when it is below the profile's minimum width, i.e. a photo
# smaller than 190×254 was enlarged. Plain enlargement is detected; enlargement followed by
# added noise or sharpening can pass. Nearest-neighbour enlargement keeps sharp block edges, so M
# stays high: it is caught by the repeat test below.
UPSCALE_M = 0.26
UPSCALE_STEP = 1.5

# --- nearest-neighbour (pixel repetition) enlargement ------------------------------------------
# Enlarging by pixel repetition (many simple tools and phone zooms) by a factor f repeats rows and
# columns: a share 1 - 1/f of the boundaries between adjacent columns carry no change (f = 1.5
# gives an irregular pattern, 2 of 3 columns kept; f = 2.5, 2 of 5; f = 4, 1 of 4). The change
# at a boundary is the mean absolute difference across it, capped so a strong edge weighs no more
# than texture. Two tests, on the central half of the face crop:
# - evidence: a boundary is a repeat when its change is below NN_RATIO of the larger of its two
#   neighbours'. A lens blurs over more than one pixel, so neighbouring boundaries of a camera
#   photo differ far less: real and interpolated photos ≤ 0.07 of the boundaries (JPEG q70–95);
#   pixel-repeated 1.5–10× ≥ 0.27 in both directions (a 1.25× repetition 0.09–0.2). Pixel
#   repetition is taken as shown when both directions reach NN_MIN_SHARE.
# - size: inside a long run (f ≥ 3) JPEG noise compares with noise, so the count above is low;
#   the real pixels are counted as the boundaries whose change reaches NN_RATIO of the largest
#   within ±NN_WINDOW. Measured: 4× of 100 px → 52, 7× of 60 → 33, 1.25× of 485 → 444–485.
#   The crop's width and height times that kept share is its real resolution.
NN_CAP = 40.0  # grey levels
NN_RATIO = 0.5
NN_MIN_SHARE = 0.15
NN_WINDOW = 4


# --- background --------------------------------------------------------------------------------
BG_NEAR_WHITE = 200  # mean of R, G, B
BG_WHITE = 238
BG_MAX_CHROMA = 30  # max(R,G,B) - min(R,G,B)
BG_MIN_SHARE = 0.90

# --- exposure (face box, central part) ---------------------------------------------------------
EXP_DARK, EXP_BRIGHT, EXP_CLIPPED, EXP_MIN_STD, EXP_UNEVEN = 70, 215, 0.20, 15, 45

# --- frontal -----------------------------------------------------------------------------------
MAX_ROLL_DEG, MAX_YAW_OFFSET = 10.0, 0.12

# --- screenshot borders ------------------------------------------------------------------------
BORDER_MAX_STD, BORDER_MIN_STEP = 6.0, 20.0


def _m_ratio(g: np.ndarray) -> float:
    h, w = g.shape
    w2, h2 = w // 2 * 2, h // 2 * 2
    g = g[:h2, :w2]
    d = cv2.resize(g, (w2 // 2, h2 // 2), interpolation=cv2.INTER_AREA)
    r = g - cv2.resize(d, (w2, h2), interpolation=cv2.INTER_CUBIC)
    det = g - cv2.GaussianBlur(g, (0, 0), 3)
    c = (slice(3, -3), slice(3, -3))
    den = float((det[c] ** 2).mean())
    return float(np.sqrt((r[c] ** 2).mean() / den)) if den > 1e-3 else 1.0


def effective_width(gray_crop: np.ndarray, profile: PhotoProfile) -> tuple[int, list[float]]:
    """Effective width of the crop in real pixels (0 when below the minimum), and the M values."""
    g = gray_crop.astype(np.float32)
    h, w = g.shape
    s = min(1.0, 2 * profile.out_width / w, 2 * profile.out_height / h)
    if s < 1.0:
        g = cv2.resize(g, (round(w * s), round(h * s)), interpolation=cv2.INTER_AREA)
    trail: list[float] = []
    while True:
        m = _m_ratio(g)
        trail.append(round(m, 3))
        if m >= UPSCALE_M:
            return (w if len(trail) == 1 else int(g.shape[1])), trail
        if g.shape[1] <= profile.min_width or g.shape[0] <= profile.min_height:
            return 0, trail
        # next level: 1/UPSCALE_STEP smaller, but the last level is exactly the minimum size
        nw = max(profile.min_width, round(g.shape[1] / UPSCALE_STEP))
        nh = max(profile.min_height, round(g.shape[0] / UPSCALE_STEP))
        g = cv2.resize(g, (nw, nh), interpolation=cv2.INTER_AREA)


def _changes(g: np.ndarray, axis: int) -> np.ndarray:
    """Capped mean absolute change across each boundary between adjacent columns (axis=1) or
    rows (axis=0)."""
    return np.minimum(np.abs(np.diff(g.astype(np.float32), axis=axis)), NN_CAP).mean(axis=1 - axis)


def repeat_share(s: np.ndarray) -> float:
    """Share of boundaries whose change is below NN_RATIO of both neighbours' (a repeat)."""
    if s.size < 3:
        return 0.0
    neighbours = np.maximum(s[:-2], s[2:])
    return float((s[1:-1] < NN_RATIO * np.maximum(neighbours, 1e-3)).mean())


def kept_share(s: np.ndarray) -> float:
    """Share of boundaries carrying a real change: at least NN_RATIO of the largest change
    within ±NN_WINDOW boundaries."""
    if s.size == 0:
        return 1.0
    local_max = cv2.dilate(s[None, :], np.ones((1, 2 * NN_WINDOW + 1), np.uint8))[0]  # max filter
    return float((s >= NN_RATIO * local_max).mean())


@dataclass(frozen=True)
class Repeats:
    columns: float  # share of column boundaries that are repeats
    rows: float
    kept_columns: float  # share of column boundaries carrying a real change
    kept_rows: float

    @property
    def shown(self) -> bool:
        return min(self.columns, self.rows) >= NN_MIN_SHARE

    def detail(self) -> dict:
        return {"repeat_columns": round(self.columns, 3), "repeat_rows": round(self.rows, 3)}


def pixel_repeat(gray_crop: np.ndarray) -> Repeats:
    """Measured on the central half of the crop: the face, textured and away from the frame's
    plain background."""
    h, w = gray_crop.shape
    centre = gray_crop[h // 4 : h - h // 4, w // 4 : w - w // 4]
    sx, sy = _changes(centre, 1), _changes(centre, 0)
    return Repeats(repeat_share(sx), repeat_share(sy), kept_share(sx), kept_share(sy))


def check_upscale(gray_crop: np.ndarray, profile: PhotoProfile) -> CheckResult:
    h, w = gray_crop.shape
    rep = pixel_repeat(gray_crop)
    if rep.shown:
        ew, eh = round(w * rep.kept_columns), round(h * rep.kept_rows)
        d = {"crop_width": w, "effective_width": ew, "effective_height": eh, **rep.detail()}
        if ew < profile.min_width or eh < profile.min_height:
            return fail(
                "upscaled",
                f"照片由小图放大而来（像素成块重复，实际清晰度约 {ew}×{eh} 像素，不足 {profile.min_width}×{profile.min_height}）。请勿放大小照片，请使用原始照片或重新拍摄。",
                **d,
            )
        return ok("upscaled", "照片曾被放大（像素成块重复），但实际清晰度仍符合要求。", **d)
    eff, trail = effective_width(gray_crop, profile)
    if eff < profile.min_width:
        return fail(
            "upscaled",
            f"照片疑似由小图放大而来，有效清晰度不足 {profile.min_width} 像素宽。请勿放大小照片，请使用原始照片或重新拍摄。",
            crop_width=w,
            m=trail,
            **rep.detail(),
        )
    return ok(
        "upscaled",
        "照片清晰度正常，未发现放大。",
        crop_width=w,
        effective_width=eff,
        m=trail,
        **rep.detail(),
    )


def check_min_size(w: int, h: int, profile: PhotoProfile, what: str = "照片") -> CheckResult:
    if w < profile.min_width or h < profile.min_height:
        return fail(
            "min_size",
            f"{what}尺寸 {w}×{h} 像素，小于最低要求 {profile.min_width}×{profile.min_height}。请使用分辨率更高的原始照片（不要放大小照片）。",
            width=w,
            height=h,
        )
    return ok("min_size", f"尺寸 {w}×{h} 像素，符合要求。", width=w, height=h)


def check_aspect(w: int, h: int, profile: PhotoProfile) -> CheckResult:
    ratio = w / h
    if abs(ratio / profile.aspect - 1) <= profile.aspect_tolerance:
        return ok("aspect", f"宽高比 {ratio:.3f}，符合 {profile.aspect_w}:{profile.aspect_h}。")
    return fixed(
        "aspect",
        f"原图宽高比 {ratio:.3f}，已按人脸位置自动裁剪为 {profile.aspect_w}:{profile.aspect_h}（小二寸）。",
        ratio=round(ratio, 3),
    )


def check_face_count(faces: list[Box]) -> CheckResult:
    n = len(faces)
    if n == 1:
        return ok("face_count", "检测到一张人脸。")
    if n == 0:
        return fail("face_count", "未检测到人脸。请上传本人正面免冠、五官清晰的证件照。", count=0)
    return fail("face_count", f"检测到 {n} 张人脸。照片中只能有考生本人。", count=n)


def background_sample(rgb: np.ndarray, face: Box) -> np.ndarray:
    """Pixels of the top corners and the side bands of the crop above the shoulders, outside a
    column over the face (the head and hair) that runs up to the top edge."""
    h, w = rgb.shape[:2]
    m = np.zeros((h, w), bool)
    m[: max(2, int(0.06 * h)), :] = True
    bottom = min(h, face.y + int(0.6 * face.h))  # above the shoulders
    side = max(2, int(0.08 * w))
    m[:bottom, :side] = True
    m[:bottom, w - side :] = True
    pad_x = int(0.35 * face.w)  # the head and the hair above it, up to the top edge
    m[: face.y + face.h, max(0, face.x - pad_x) : face.x + face.w + pad_x] = False
    return rgb[m]


def check_background(rgb: np.ndarray, face: Box) -> tuple[CheckResult, bool]:
    """Returns the result and whether the background should be flattened to pure white."""
    px = background_sample(rgb, face).astype(np.int16)
    if len(px) == 0:
        return fail("background", "照片中头部上方及两侧没有背景区域。请留出白色背景后重拍。"), False
    bright = px.mean(axis=1)
    chroma = px.max(axis=1) - px.min(axis=1)
    near = float(((bright >= BG_NEAR_WHITE) & (chroma <= BG_MAX_CHROMA)).mean())
    white = float(((bright >= BG_WHITE) & (chroma <= BG_MAX_CHROMA)).mean())
    med = [int(v) for v in np.median(px, axis=0)]
    detail = {"near_white_share": round(near, 3), "white_share": round(white, 3), "median_rgb": med}
    if near < BG_MIN_SHARE:
        return fail(
            "background",
            f"背景不是白色（背景主色约为 RGB{tuple(med)}）。请在白色背景前重新拍摄，不要使用蓝底、红底或彩色背景。",
            **detail,
        ), False
    if white >= BG_MIN_SHARE:
        return ok("background", "背景为白色。", **detail), True
    return fixed("background", "背景接近白色，已自动调整为纯白。", **detail), True


def check_exposure(gray: np.ndarray, face: Box) -> CheckResult:
    x0, y0 = face.x + face.w // 5, face.y + face.h // 5
    region = gray[y0 : y0 + face.h * 3 // 5, x0 : x0 + face.w * 3 // 5].astype(np.float32)
    if region.size == 0:
        return fail("exposure", "无法评估面部亮度。请重新拍摄。")
    mean, std = float(region.mean()), float(region.std())
    clipped = float((region >= 250).mean())
    half = region.shape[1] // 2
    uneven = abs(float(region[:, :half].mean()) - float(region[:, half:].mean()))
    d = {
        "mean": round(mean, 1),
        "std": round(std, 1),
        "clipped": round(clipped, 3),
        "uneven": round(uneven, 1),
    }
    if mean < EXP_DARK:
        return fail("exposure", "面部过暗。请在光线充足、均匀的环境下重新拍摄。", **d)
    if mean > EXP_BRIGHT or clipped > EXP_CLIPPED:
        return fail("exposure", "面部过亮（曝光过度）。请避免强光直射或闪光灯，重新拍摄。", **d)
    if std < EXP_MIN_STD:
        return fail("exposure", "面部对比度过低、看不清五官。请重新拍摄清晰的照片。", **d)
    if uneven > EXP_UNEVEN:
        return fail("exposure", "面部左右明暗差异过大（光照不均）。请正面均匀打光后重新拍摄。", **d)
    return ok("exposure", "面部亮度正常。", **d)


def check_frontal(gray: np.ndarray, face: Box) -> CheckResult:
    # A face found only on a turned copy (face.turned) is measured there: turning the photo by
    # t degrees (counter-clockwise) subtracts t from every roll, so the head's roll is the roll
    # measured on the copy plus t.
    g, box = (gray, face) if not face.turned else turned_view(gray, face)
    eyes = detect_eyes(g, box)
    pairs = [
        (a, b)
        for i, a in enumerate(eyes)
        for b in eyes[i + 1 :]
        if 0.25 * box.w <= abs(b.cx - a.cx) <= 0.7 * box.w and abs(b.cy - a.cy) <= 0.3 * box.h
    ]
    if not pairs:
        if abs(face.turned) > MAX_ROLL_DEG:
            return fail(
                "frontal",
                "头部歪斜。请保持头部端正、双眼平视镜头后重拍。",
                roll_deg=face.turned,
                eyes=len(eyes),
            )
        return ok("frontal", "检测为正面人脸（未能单独定位双眼）。", eyes=len(eyes))
    a, b = min(pairs, key=lambda p: abs((p[0].cx + p[1].cx) / 2 - box.cx))
    roll = float(np.degrees(np.arctan2(b.cy - a.cy, b.cx - a.cx))) + face.turned
    yaw = ((a.cx + b.cx) / 2 - box.cx) / box.w
    d = {"roll_deg": round(roll, 1), "eye_offset": round(yaw, 3)}
    if abs(roll) > MAX_ROLL_DEG:
        return fail("frontal", "头部歪斜。请保持头部端正、双眼平视镜头后重拍。", **d)
    if abs(yaw) > MAX_YAW_OFFSET:
        return fail("frontal", "脸部没有正对镜头。请正面面对镜头重拍。", **d)
    return ok("frontal", "正面免冠，头部端正。", **d)


def _uniform_border(band: np.ndarray, inner: np.ndarray) -> bool:
    if band.size == 0 or inner.size == 0:
        return False
    b = band.reshape(-1, 3).astype(np.float32)
    i = inner.reshape(-1, 3).astype(np.float32)
    mean = b.mean(axis=0)
    if float(b.std(axis=0).max()) > BORDER_MAX_STD:
        return False
    whiteish = mean.mean() >= BG_NEAR_WHITE and mean.max() - mean.min() <= BG_MAX_CHROMA
    step = float(np.abs(i.mean(axis=0) - mean).max()) >= BORDER_MIN_STEP or float(
        i.std()
    ) > 4 * max(1.0, float(b.std()))
    return (not whiteish) and step


def check_screenshot(rgb: np.ndarray) -> CheckResult:
    h, w = rgb.shape[:2]
    bh, bw = max(2, round(0.01 * h)), max(2, round(0.01 * w))
    sides = {
        "top": (rgb[:bh], rgb[2 * bh : 6 * bh]),
        "bottom": (rgb[h - bh :], rgb[h - 6 * bh : h - 2 * bh]),
        "left": (rgb[:, :bw], rgb[:, 2 * bw : 6 * bw]),
        "right": (rgb[:, w - bw :], rgb[:, w - 6 * bw : w - 2 * bw]),
    }
    found = [name for name, (band, inner) in sides.items() if _uniform_border(band, inner)]
    if found:
        return fail(
            "screenshot",
            "照片边缘有纯色边框，疑似截图或翻拍的照片。请使用相机直接拍摄的原始照片。",
            sides=found,
        )
    return ok("screenshot", "未发现截图或翻拍边框。")
