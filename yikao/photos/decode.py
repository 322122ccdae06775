"""Safe decoding: sniff the format by content, cap bytes and pixels, apply EXIF orientation.

Every failure becomes a PhotoError with a Chinese message; nothing else escapes decode().
Pixel counts are checked on the header before any pixel is decoded: the profile's cap
(max_pixels) for every file, and FULL_DECODE_MAX_PIXELS for what is decoded at full size
(everything but a baseline JPEG, which libjpeg decodes at 1/2..1/8 scale): a 2 KB, 49 MP WebP
once took a worker to ~1 GB. A large image is reduced right after decoding, before any copy of
it is made (RGB conversion, numpy array). Pillow's process-wide guard (Image.MAX_IMAGE_PIXELS)
is lowered to PIXEL_GUARD, and its DecompressionBombError/Warning are caught as well.

HEIF/HEIC (iPhone photos) is decoded by pillow-heif, whose opener is registered the first time
such a file is sniffed: importing it (libheif and its codecs) at start-up would cost every server
process memory for a format most of them never see.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image

from yikao.exams.photo_rules import PhotoProfile

from .report import PhotoError

ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
# Large JPEGs are decoded by libjpeg at 1/2, 1/4 or 1/8 scale (DCT scaling, "draft" mode) as long
# as the short side stays >= DRAFT_MIN_SIDE: 3× the output width, so the face crop still has more
# pixels than the output and the upscale check sees real detail. Saves most of the decode time.
DRAFT_MIN_SIDE = 1200
# Pixels of an image decoded at full size (PNG, WebP, HEIF, GIF, BMP, TIFF, AVIF, a progressive
# JPEG — libjpeg keeps all of its coefficients at full size whatever the scale — and a baseline
# JPEG still this large after draft mode). 25 MP admits the 24 MP HEIC of recent iPhones; a
# check of a 25 MP PNG or HEIC peaks at ~120-150 MB above the worker's resting size.
FULL_DECODE_MAX_PIXELS = 25_000_000
# WebP goes through libwebp's animation decoder (Pillow's only WebP path), which holds the canvas
# more than once: ~16 bytes per pixel, so a 12 MP WebP already costs ~180 MB (bench/README.md).
FULL_DECODE_MAX_PIXELS_BY_FORMAT = {"WEBP": 12_000_000}
# Pillow's guard for every Image.open in the process: a DecompressionBombWarning above this many
# pixels, an error above twice as many (both refused here). Lowered from Pillow's 89 MP, never
# raised; it sits above DEFAULT_PROFILE.max_pixels, which refuses first.
PIXEL_GUARD = 64_000_000
if not Image.MAX_IMAGE_PIXELS or Image.MAX_IMAGE_PIXELS > PIXEL_GUARD:
    Image.MAX_IMAGE_PIXELS = PIXEL_GUARD
_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_heif_registered = False


@dataclass
class Decoded:
    rgb: np.ndarray  # H×W×3 uint8, upright
    fmt: str  # sniffed format, e.g. "JPEG"
    orientation: int  # EXIF Orientation tag (1 = upright / none)
    had_exif: bool
    had_gps: bool
    src_size: tuple[int, int]  # (w, h) as stored, before rotation

    @property
    def width(self) -> int:
        return int(self.rgb.shape[1])

    @property
    def height(self) -> int:
        return int(self.rgb.shape[0])


def sniff(data: bytes) -> str | None:
    """Format by magic bytes; the file name and extension are never consulted."""
    if data[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:2] == b"BM":
        return "BMP"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if data[4:8] == b"ftyp":
        brands = {data[i : i + 4] for i in range(8, min(len(data), 64), 4)}
        if brands & _AVIF_BRANDS:
            return "AVIF"
        if brands & _HEIF_BRANDS:
            return "HEIF"
    return None


def _format_error(fmt: str | None, profile: PhotoProfile) -> PhotoError | None:
    if fmt is None:
        return PhotoError(
            "format", "文件不是可识别的图片（按文件内容判断，与扩展名无关）。请上传 JPG 照片。"
        )
    if fmt in profile.allowed_formats:
        return None
    allowed = "、".join("JPG" if f == "JPEG" else f for f in profile.allowed_formats)
    if fmt == "HEIF":
        return PhotoError(
            "format",
            f"这是苹果手机的 HEIC/HEIF 格式，本次只接受 {allowed} 格式的照片。请在手机“设置→相机→格式”中选择“兼容性最佳”后重拍，或先转换为 JPG 再上传。",
        )
    return PhotoError("format", f"文件实际格式为 {fmt}，不被接受。请上传 {allowed} 格式的照片。")


def _register_heif() -> None:
    """Teach Pillow to open HEIF, once per process (a second registration would be harmless)."""
    global _heif_registered
    if _heif_registered:
        return
    try:
        from pillow_heif import register_heif_opener
    except ImportError as exc:
        raise PhotoError(
            "format", "暂时无法读取 HEIC/HEIF 格式的照片。请先转换为 JPG 再上传。"
        ) from exc
    register_heif_opener(thumbnails=False)
    _heif_registered = True


def _open(data: bytes, profile: PhotoProfile) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise PhotoError(
            "too_many_pixels",
            f"图片像素过大（疑似恶意文件），请上传 {_mp(profile.max_pixels)}以内的普通照片。",
        ) from exc
    except Exception as exc:
        raise PhotoError(
            "decode", "无法读取图片，文件可能已损坏或不是图片。请重新导出 JPG 照片。"
        ) from exc
    w, h = im.size
    if w <= 0 or h <= 0:
        raise PhotoError("decode", "图片尺寸无效。请重新导出 JPG 照片。")
    if w * h > profile.max_pixels:
        raise _too_many_pixels(w, h, profile.max_pixels, "，可先缩小照片再上传")
    return im


def _mp(pixels: int) -> str:
    """25_000_000 → "2500 万像素"."""
    return f"{pixels // 10_000} 万像素"


def _too_many_pixels(w: int, h: int, limit: int, note: str) -> PhotoError:
    return PhotoError(
        "too_many_pixels", f"图片像素过大（{w}×{h}），请上传 {_mp(limit)}以内的照片{note}。"
    )


def _check_decoded_size(
    im: Image.Image, fmt: str, src_size: tuple[int, int], profile: PhotoProfile
) -> None:
    """Refuse, from the header, what would be decoded at more than its format's limit (call
    after im.draft: a baseline JPEG's size is then the reduced size it will decode at)."""
    w, h = src_size
    progressive = fmt == "JPEG" and bool(im.info.get("progressive") or im.info.get("progression"))
    decoded = w * h if progressive else im.size[0] * im.size[1]
    limit = FULL_DECODE_MAX_PIXELS_BY_FORMAT.get(fmt, FULL_DECODE_MAX_PIXELS)
    if decoded <= limit:
        return
    jpeg_limit = _mp(profile.max_pixels)
    if progressive:
        note = f"（渐进式 JPG；另存为普通 JPG 后可达 {jpeg_limit}）"
    elif fmt == "JPEG":
        note = "（宽高比异常，请先裁剪或缩小照片）"
    else:
        name = "HEIC" if fmt == "HEIF" else fmt
        note = f"（{name} 格式；先缩小照片，或转换为 JPG 后可达 {jpeg_limit}）"
    raise _too_many_pixels(w, h, limit, note)


def _reduce(im: Image.Image) -> Image.Image:
    """A fully decoded large image reduced by an integer factor (box average, like libjpeg's DCT
    scaling of a large JPEG) so that its short side stays >= DRAFT_MIN_SIDE: every later copy
    (colour conversion, the numpy array, the checks) is then small."""
    k = min(im.size) // DRAFT_MIN_SIDE
    if k < 2:
        return im
    if im.mode.startswith("I;16"):
        im = im.convert("I")
    elif im.mode not in ("RGB", "RGBA", "L", "LA", "I", "F"):  # P, PA, 1, CMYK, …: no reduce
        alpha = im.mode.endswith("A") or "transparency" in im.info
        im = im.convert("RGBA" if alpha else "RGB")
    return im.reduce(k)


def _to_rgb(im: Image.Image) -> Image.Image:
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float64)
        top = max(float(arr.max()), 1.0)
        return Image.fromarray((arr * (255.0 / top)).astype(np.uint8)).convert("RGB")
    if im.mode != "RGB":
        return im.convert("RGB")
    return im


def _metadata(im: Image.Image, fmt: str) -> tuple[int, int, bool, bool]:
    """(EXIF orientation, orientation to report as turned, had EXIF, had GPS)."""
    try:
        exif = im.getexif()
        orientation = int(exif.get(ORIENTATION_TAG, 1) or 1)
        had_gps = bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif
        had_exif = len(exif) > 0
        # libheif has already turned a HEIF image upright (and pillow-heif set the EXIF tag to
        # 1); the stored orientation is kept only to report the fix.
        turned = int(im.info.get("original_orientation") or 1) if fmt == "HEIF" else orientation
    except Exception:
        return 1, 1, False, False
    return orientation, turned, had_exif, had_gps


def decode(data: bytes, profile: PhotoProfile) -> Decoded:
    """Decode untrusted bytes into an upright RGB array, or raise PhotoError."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise PhotoError("decode", "输入不是文件内容。")
    data = bytes(data)
    if len(data) == 0:
        raise PhotoError("decode", "文件为空。请重新选择照片。")
    if len(data) > profile.max_input_bytes:
        mb = profile.max_input_bytes // (1024 * 1024)
        raise PhotoError("too_large", f"文件过大（超过 {mb} MB）。请上传原始照片或先适当缩小。")
    fmt = sniff(data)
    err = _format_error(fmt, profile)
    if err:
        raise err
    if fmt == "HEIF":
        _register_heif()
    im = _open(data, profile)
    if (im.format or "").upper() not in (fmt, "MPO" if fmt == "JPEG" else fmt):
        raise PhotoError("format", "文件内容与其格式标记不一致，无法读取。请重新导出 JPG 照片。")
    src_size = im.size
    try:
        im.seek(0)
        short = min(src_size)
        if fmt == "JPEG" and short >= 2 * DRAFT_MIN_SIDE:
            f = DRAFT_MIN_SIDE / short
            im.draft("RGB", (int(src_size[0] * f) + 1, int(src_size[1] * f) + 1))
        # Before the EXIF is read: Pillow decodes a whole PNG to look for an eXIf chunk.
        _check_decoded_size(im, fmt or "", src_size, profile)
        orientation, turned, had_exif, had_gps = _metadata(im, fmt or "")
        im.load()
        im = _reduce(im)
        upright = im.transpose(_TRANSPOSE[orientation]) if orientation in _TRANSPOSE else im
        rgb = np.asarray(_to_rgb(upright), dtype=np.uint8)
    except PhotoError:
        raise
    except MemoryError as exc:
        raise PhotoError("too_many_pixels", "图片过大，无法处理。请先缩小照片。") from exc
    except Exception as exc:
        raise PhotoError(
            "decode", "图片数据不完整或已损坏（可能下载未完成）。请重新导出 JPG 照片。"
        ) from exc
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise PhotoError("decode", "不支持的颜色模式。请导出为普通彩色 JPG。")
    return Decoded(rgb, fmt or "", turned if 1 <= turned <= 8 else 1, had_exif, had_gps, src_size)
