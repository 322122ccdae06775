"""Every state change of candidate photos, and the on-the-spot check the pages run.

A photo is stored only when its Yikao mark verifies: the mark (yikao.photos.mark) proves the
file came out of our checker unchanged, the way NMEC's upload only takes photos processed by
its 医考报名照片检测工具.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image

from yikao.accounts.models import Candidate
from yikao.core.audit import audit_record, diff_fields
from yikao.photos import DEFAULT_PROFILE, PhotoError, PhotoProfile, PhotoReport, Status
from yikao.photos import check_photo as _check_photo
from yikao.photos import verify_mark as _verify_mark
from yikao.photos.decode import decode
from yikao.photos.keys import photo_mark_key
from yikao.photos.models import CandidatePhoto

log = logging.getLogger(__name__)

REFUSED_MESSAGE = "照片未通过医考照片检测工具检测或检测后被修改，请先使用“照片检测”处理后再上传。"
BUSY_MESSAGE = "照片检测繁忙，请稍等几秒后重新检测。"
PREVIEW_LONG_SIDE = 480
# Checks running at once in one server process (settings.PHOTO_CHECK_SLOTS, default 1): a check
# is CPU-bound and decodes up to decode.FULL_DECODE_MAX_PIXELS, so one per process keeps a worker's
# memory bounded and both cores busy with two workers. A request waits up to PHOTO_CHECK_WAIT_S
# (default 3 s) for a slot, then gets BUSY_MESSAGE instead of queueing behind a pile of checks.
_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None
_slots_count = 0

CHECK_LABELS = {
    "format": "文件格式",
    "orientation": "拍摄方向",
    "metadata": "元数据",
    "min_size": "像素尺寸",
    "screenshot": "截图或翻拍",
    "face_count": "人脸",
    "face_size": "人脸大小",
    "centred": "头部位置",
    "aspect": "宽高比（小二寸）",
    "upscaled": "清晰度",
    "exposure": "面部光线",
    "frontal": "正面端正",
    "background": "白色背景",
    "file_size": "文件大小",
    "decode": "读取文件",
    "too_large": "文件大小",
    "too_many_pixels": "像素数",
    "internal": "处理",
    "timeout": "处理时间",
}
STATUS_LABELS = {
    Status.PASS: "符合",
    Status.FIXED: "已处理",
    Status.FAIL: "不符合",
    Status.SKIPPED: "未检测",
}


class PhotoRefused(Exception):
    """A photo that may not be stored, with a Chinese sentence for the candidate."""

    def __init__(self, message: str = REFUSED_MESSAGE, *, field: str = "photo"):
        super().__init__(message)
        self.message = message
        self.field = field


class PhotoCheckBusy(PhotoRefused):
    """Every check slot of this process stayed taken: nothing was checked; try again shortly."""

    def __init__(self, message: str = BUSY_MESSAGE):
        super().__init__(message)


def _check_slots() -> threading.BoundedSemaphore:
    """The process's semaphore, sized from settings.PHOTO_CHECK_SLOTS (rebuilt if it changes)."""
    global _slots, _slots_count
    count = max(1, int(getattr(settings, "PHOTO_CHECK_SLOTS", 1)))
    with _slots_lock:
        if _slots is None or _slots_count != count:
            _slots, _slots_count = threading.BoundedSemaphore(count), count
        return _slots


@dataclass
class PhotoCheck:
    """The checker's report plus what a page needs to show it (previews as data: URLs)."""

    report: PhotoReport
    original_preview: bytes | None = None
    photo: CandidatePhoto | None = None  # set by photo_check_and_accept when stored
    rows: list[dict] = field(init=False)

    def __post_init__(self) -> None:
        self.rows = [
            {
                "code": c.code,
                "label": CHECK_LABELS.get(c.code, c.code),
                "status": str(c.status),
                "status_label": STATUS_LABELS[c.status],
                "message": c.message,
            }
            for c in self.report.checks
        ]

    @property
    def passed(self) -> bool:
        return self.report.passed

    @property
    def checked_b64(self) -> str:
        return base64.b64encode(self.report.jpeg).decode("ascii") if self.report.jpeg else ""

    @property
    def checked_data_url(self) -> str:
        return f"data:image/jpeg;base64,{self.checked_b64}" if self.report.jpeg else ""

    @property
    def original_data_url(self) -> str:
        if not self.original_preview:
            return ""
        return "data:image/jpeg;base64," + base64.b64encode(self.original_preview).decode("ascii")

    @property
    def size_kb(self) -> str:
        return f"{(self.report.byte_size or 0) / 1024:.1f}"


def _preview(data: bytes, profile: PhotoProfile) -> bytes | None:
    """A small upright JPEG of the original for display, or None when it cannot be read."""
    try:
        im = Image.fromarray(decode(data, profile).rgb)
        im.thumbnail((PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE))
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=80)
        return buf.getvalue()
    except PhotoError:
        return None
    except Exception:  # the checker already reported on the file; a preview is optional
        log.exception("photo preview failed")
        return None


def photo_check(*, data: bytes, profile: PhotoProfile = DEFAULT_PROFILE) -> PhotoCheck:
    """Run the checker (no state change): the report, the marked result when it passes, and a
    preview of the original. Raises PhotoCheckBusy when no check slot frees up in time."""
    slots = _check_slots()
    if not slots.acquire(timeout=float(getattr(settings, "PHOTO_CHECK_WAIT_S", 3.0))):
        log.warning("photo check refused: all %d check slots of this process busy", _slots_count)
        raise PhotoCheckBusy()
    try:
        report = _check_photo(bytes(data), profile=profile, key=photo_mark_key())
        preview = _preview(data, profile) if report.usable else None
    finally:
        slots.release()
    return PhotoCheck(report=report, original_preview=preview)


def photo_mark_valid(*, data: bytes, profile: PhotoProfile = DEFAULT_PROFILE) -> bool:
    """True for a file that came out of our checker for `profile` unchanged."""
    data = bytes(data)
    return len(data) <= profile.max_bytes and _verify_mark(data, profile, photo_mark_key())


def photo_accept(
    *,
    candidate: Candidate,
    data: bytes,
    profile: PhotoProfile = DEFAULT_PROFILE,
    ip_address: str | None = None,
) -> CandidatePhoto:
    """Store a marked photo as the candidate's current photo; refuse anything else."""
    data = bytes(data)
    if not photo_mark_valid(data=data, profile=profile):
        raise PhotoRefused(REFUSED_MESSAGE)
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
    image_field = CandidatePhoto._meta.get_field("image")
    name = default_storage.save(image_field.generate_filename(None, "photo.jpg"), ContentFile(data))
    try:
        with transaction.atomic():
            # Two accepts for one candidate queue here (PostgreSQL row lock; SQLite's IMMEDIATE
            # transaction); the partial unique constraint is the last word.
            Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
            previous = CandidatePhoto.objects.filter(candidate=candidate, is_current=True).first()
            if previous is not None:
                CandidatePhoto.objects.filter(pk=previous.pk).update(is_current=False)
            photo = CandidatePhoto.objects.create(
                candidate=candidate,
                image=name,
                sha256=hashlib.sha256(data).hexdigest(),
                width=width,
                height=height,
                byte_size=len(data),
                profile_fingerprint=profile.fingerprint(),
                is_current=True,
            )
            audit_record(
                actor=candidate.user,
                subject=candidate.user,
                action="photo.accepted",
                target=photo,
                changes=diff_fields(
                    {
                        "current_photo": previous.pk if previous else None,
                        "sha256": previous.sha256 if previous else None,
                    },
                    {"current_photo": photo.pk, "sha256": photo.sha256},
                ),
                ip_address=ip_address,
            )
    except BaseException:
        default_storage.delete(name)
        raise
    return photo


def photo_check_and_accept(
    *,
    candidate: Candidate,
    data: bytes,
    profile: PhotoProfile = DEFAULT_PROFILE,
    ip_address: str | None = None,
) -> PhotoCheck:
    """Check the photo on the spot; when it passes, store the marked result as current.
    `result.photo` is the stored photo, or None when the photo did not pass."""
    result = photo_check(data=data, profile=profile)
    if result.passed:
        result.photo = photo_accept(
            candidate=candidate, data=result.report.jpeg, profile=profile, ip_address=ip_address
        )
    return result
