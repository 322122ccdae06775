import dataclasses
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from factories import make_exam

from yikao.exams.models import Exam
from yikao.photos import DEFAULT_PROFILE, check_photo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photos"))
from photo_factory import KEY, encode, heic, jpeg, portrait

pytestmark = pytest.mark.django_db


def test_exam_photo_profile_with_default_settings_is_the_default_profile():
    exam = make_exam()
    assert exam.photo_profile() == DEFAULT_PROFILE
    assert exam.photo_profile().fingerprint() == DEFAULT_PROFILE.fingerprint()
    assert (exam.photo_max_bytes, exam.photo_min_width, exam.photo_min_height) == (30720, 190, 254)
    assert exam.photo_convert_input is True
    assert exam.photo_profile().allowed_formats == ("JPEG", "PNG", "WEBP", "HEIF")


def test_exam_photo_profile_carries_the_exam_settings():
    exam = make_exam()
    exam.photo_max_bytes, exam.photo_min_width, exam.photo_min_height = 20 * 1024, 200, 260
    exam.photo_convert_input = False
    profile = exam.photo_profile()
    assert profile == dataclasses.replace(
        DEFAULT_PROFILE, max_bytes=20480, min_width=200, min_height=260, allowed_formats=("JPEG",)
    )
    assert (profile.aspect_w, profile.aspect_h, profile.aspect_tolerance) == (35, 45, 0.05)
    assert profile.fingerprint() != DEFAULT_PROFILE.fingerprint()


def test_exam_photo_profile_without_conversion_refuses_png_and_heic():
    exam = make_exam()
    Exam.objects.filter(pk=exam.pk).update(photo_convert_input=False)
    exam.refresh_from_db()
    profile = exam.photo_profile()
    for data in (encode(portrait(), "PNG"), heic(portrait())):
        r = check_photo(data, profile=profile, key=KEY)
        assert not r.usable and [c.code for c in r.checks] == ["format"]
        assert "JPG" in r.checks[0].message
    assert check_photo(jpeg(portrait()), profile=profile, key=KEY).passed


def test_exam_photo_profile_byte_limit_is_applied_to_the_check():
    exam = make_exam()
    exam.photo_max_bytes = 12 * 1024
    r = check_photo(jpeg(portrait()), profile=exam.photo_profile(), key=KEY)
    assert r.passed and len(r.jpeg) <= 12 * 1024
    assert r.profile_fingerprint == exam.photo_profile().fingerprint()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("photo_max_bytes", 1024),
        ("photo_max_bytes", 300 * 1024),
        ("photo_min_width", 0),
        ("photo_min_width", 414),
        ("photo_min_height", 532),
    ],
)
def test_exam_photo_limits_out_of_range_are_refused(field, value):
    exam = make_exam()
    setattr(exam, field, value)
    with pytest.raises(ValidationError) as info:
        exam.full_clean()
    assert set(info.value.message_dict) == {field}
    with pytest.raises(IntegrityError), transaction.atomic():
        Exam.objects.filter(pk=exam.pk).update(**{field: value})
