"""Safe decoding: sniff the format by content, cap bytes and pixels, apply EXIF orientation.

Every failure becomes a PhotoError with a Chinese message; nothing else escapes decode().
Pillow's global MAX_IMAGE_PIXELS is not changed: the profile's own pixel cap is checked on the
header size before any pixel is decoded, and Pillow's DecompressionBombError/Warning (raised at
open time for > 89 MP) are caught as well.

HEIF/HEIC (iPhone photos) is decoded by pillow-heif, whose opener is registered the first time
such a file is sniffed: importing it (libheif and its codecs) at start-up would cost every server
process memory for a format most of them never see.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

from .profile import PhotoProfile
from .report import PhotoError

ORIENTATION_TAG = 0x0112
GPS_IFD = 0x8825
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
_AVIF_BRANDS = {b"avif", b"avis"}
# Large JPEGs are decoded by libjpeg at 1/2, 1/4 or 1/8 scale (DCT scaling, "draft" mode) as long
# as the short side stays >= DRAFT_MIN_SIDE: 3× the output width, so the face crop still has more
# pixels than the output and the upscale check sees real detail. Saves most of the decode time.
DRAFT_MIN_SIDE = 1200
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
            "too_many_pixels", "图片像素数过大（疑似恶意文件）。请上传普通的证件照。"
        ) from exc
    except Exception as exc:
        raise PhotoError(
            "decode", "无法读取图片，文件可能已损坏或不是图片。请重新导出 JPG 照片。"
        ) from exc
    w, h = im.size
    if w <= 0 or h <= 0:
        raise PhotoError("decode", "图片尺寸无效。请重新导出 JPG 照片。")
    if w * h > profile.max_pixels:
        mp = profile.max_pixels // 1_000_000
        raise PhotoError(
            "too_many_pixels",
            f"图片像素过多（{w}×{h}），上限为 {mp} 百万像素。请先缩小照片再上传。",
        )
    return im


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
    try:
        exif = im.getexif()
        orientation = int(exif.get(ORIENTATION_TAG, 1) or 1)
        had_gps = bool(exif.get_ifd(GPS_IFD)) or GPS_IFD in exif
        had_exif = len(exif) > 0
        # libheif has already turned a HEIF image upright (and pillow-heif set the EXIF tag to
        # 1); the stored orientation is kept only to report the fix.
        turned = int(im.info.get("original_orientation") or 1) if fmt == "HEIF" else orientation
    except Exception:
        exif, orientation, had_gps, had_exif, turned = None, 1, False, False, 1
    src_size = im.size
    try:
        im.seek(0)
        short = min(src_size)
        if fmt == "JPEG" and short >= 2 * DRAFT_MIN_SIDE:
            f = DRAFT_MIN_SIDE / short
            im.draft("RGB", (int(src_size[0] * f) + 1, int(src_size[1] * f) + 1))
        im.load()
        upright = ImageOps.exif_transpose(im) if orientation != 1 else im
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
