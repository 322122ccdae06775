"""Photo forms. A file field is read into `cleaned_data["data"]` (bytes) only after its size
was checked; the upload handler in views.py stops a larger file before it is read at all."""

import base64
import binascii

from django import forms

from yikao.exams.photo_rules import MAX_MAX_BYTES
from yikao.photos import DEFAULT_PROFILE, PhotoProfile

MAX_UPLOAD_BYTES = DEFAULT_PROFILE.max_input_bytes  # 15 MB, the checker's own input limit
MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
TOO_LARGE_MESSAGE = f"文件过大（超过 {MAX_UPLOAD_MB} MB）。请上传原始照片或先适当缩小后再试。"
NO_FILE_MESSAGE = "请选择照片文件。"
EMPTY_MESSAGE = "文件为空。请重新选择照片。"
EXPIRED_MESSAGE = "检测结果已失效，请重新检测照片。"

_FILE_ERRORS = {
    "required": NO_FILE_MESSAGE,
    "empty": EMPTY_MESSAGE,
    "missing": NO_FILE_MESSAGE,
    "invalid": NO_FILE_MESSAGE,
}


class _PhotoFileForm(forms.Form):
    """Reads the first file given in `file_fields` into cleaned_data["data"]."""

    file_fields: tuple[str, ...] = ("photo",)

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        if too_large:  # the file was dropped unread: report its size, not a missing file
            for name in self.file_fields:
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if self.too_large:
            self.add_error("photo", TOO_LARGE_MESSAGE)
            return cleaned
        if self.has_error("photo") or any(self.has_error(n) for n in self.file_fields):
            return cleaned
        upload = next((cleaned[n] for n in self.file_fields if cleaned.get(n)), None)
        if upload is None:
            self.add_error("photo", NO_FILE_MESSAGE)
            return cleaned
        if upload.size > MAX_UPLOAD_BYTES:
            self.add_error("photo", TOO_LARGE_MESSAGE)
            return cleaned
        data = upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            self.add_error("photo", TOO_LARGE_MESSAGE)
        elif not data:
            self.add_error("photo", EMPTY_MESSAGE)
        else:
            cleaned["data"] = data
        return cleaned


def formats_help(profile: PhotoProfile) -> str:
    names = {"JPEG": "JPG", "HEIF": "HEIC（苹果手机）"}
    shown = [names.get(f, f) for f in profile.allowed_formats]
    listed = shown[0] if len(shown) == 1 else "、".join(shown[:-1]) + " 或 " + shown[-1]
    return f"{listed}，不超过 {MAX_UPLOAD_MB} MB。照片会被自动裁剪、调白背景并压缩。"


class PhotoCheckForm(_PhotoFileForm):
    """照片检测: a file from the album or a new picture from the phone's front camera. The help
    text names the formats `profile` (the exam's photo rules) accepts."""

    file_fields = ("photo", "camera")

    photo = forms.FileField(
        label="选择照片文件",
        required=False,
        error_messages=_FILE_ERRORS,
        help_text=formats_help(DEFAULT_PROFILE),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )
    camera = forms.FileField(
        label="或用手机前置摄像头拍照",
        required=False,
        error_messages=_FILE_ERRORS,
        help_text="请在白墙前、光线均匀处正面拍摄头部和双肩。",
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "user"}),
    )

    def __init__(self, *args, profile: PhotoProfile = DEFAULT_PROFILE, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = formats_help(profile)


class PhotoUploadForm(_PhotoFileForm):
    """上传照片: only a photo saved from 照片检测 (its mark is checked by the service)."""

    photo = forms.FileField(
        label="检测后的照片（JPG）",
        error_messages=_FILE_ERRORS,
        help_text="只接受经“照片检测”处理后保存的照片（photo-checked.jpg），请勿再编辑或压缩。",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,.jpg,.jpeg"}),
    )


class CheckedPhotoForm(forms.Form):
    """The checked JPEG carried back by the page (base64); the service verifies its mark (and
    the exam's byte limit), so a changed value is refused rather than trusted. The length cap
    is the largest limit an exam may set."""

    checked = forms.CharField(
        widget=forms.HiddenInput,
        max_length=(MAX_MAX_BYTES * 4) // 3 + 8,
        error_messages={"required": EXPIRED_MESSAGE, "max_length": EXPIRED_MESSAGE},
    )

    def clean_checked(self) -> bytes:
        try:
            return base64.b64decode(self.cleaned_data["checked"], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(EXPIRED_MESSAGE) from None
