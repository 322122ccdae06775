import functools
import io

import numpy as np
import pytest
from django.db import IntegrityError, transaction
from factories import make_candidate
from photo_factory import BLUE, KEY, jpeg, portrait
from PIL import Image

from yikao.core.models import AuditEntry
from yikao.photos import DEFAULT_PROFILE, check_photo, verify_mark
from yikao.photos.mark import PREFIX, comments
from yikao.photos.models import CandidatePhoto
from yikao.photos.selectors import candidate_photo, current_photo
from yikao.photos.services import (
    REFUSED_MESSAGE,
    PhotoRefused,
    photo_accept,
    photo_check,
    photo_check_and_accept,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _photo_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PHOTO_MARK_KEY = KEY.decode()


@functools.cache
def marked(seed: int = 1) -> bytes:
    return check_photo(jpeg(portrait(seed=seed)), profile=DEFAULT_PROFILE, key=KEY).jpeg


def one_pixel_changed(good: bytes) -> bytes:
    px = np.asarray(Image.open(io.BytesIO(good)).convert("RGB")).copy()
    px[10, 10] = 255 - px[10, 10]
    mark = next(c for c in comments(good) if c.startswith(PREFIX))
    seg = b"\xff\xfe" + (len(mark) + 2).to_bytes(2, "big") + mark
    fake = jpeg(px, 100)
    return fake[:2] + seg + fake[2:]


def stored_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_photo_accept_stores_marked_photo_as_current(candidate, settings):
    data = marked()
    photo = photo_accept(candidate=candidate, data=data, ip_address="10.0.0.1")
    assert photo.is_current and photo.candidate == candidate
    assert (photo.width, photo.height, photo.byte_size) == (206, 265, len(data))
    assert photo.profile_fingerprint == DEFAULT_PROFILE.fingerprint()
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(".jpg")
    assert candidate.id_number not in photo.image.name
    assert len(photo.image.name) == len("photos/") + 32 + len(".jpg")
    with photo.image.open("rb") as f:
        assert f.read() == data
    assert current_photo(candidate) == photo
    entry = AuditEntry.objects.get(action="photo.accepted")
    assert entry.actor == candidate.user and entry.subject == candidate.user
    assert (entry.target_type, entry.target_id) == ("photos.candidatephoto", str(photo.pk))
    assert entry.changes["current_photo"] == {"old": None, "new": photo.pk}
    assert entry.ip_address == "10.0.0.1"


def test_photo_accept_replaces_current_and_keeps_the_old_one(candidate, settings):
    first = photo_accept(candidate=candidate, data=marked(1))
    second = photo_accept(candidate=candidate, data=marked(2))
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert current_photo(candidate) == second
    assert CandidatePhoto.objects.filter(candidate=candidate, is_current=True).count() == 1
    assert len(stored_files(settings)) == 2
    last = AuditEntry.objects.filter(action="photo.accepted").first()
    assert last.changes["current_photo"] == {"old": first.pk, "new": second.pk}


@pytest.mark.parametrize(
    "kind", ["unmarked", "one_pixel", "text", "png", "truncated", "empty", "other_key", "padded"]
)
def test_photo_accept_refuses_anything_but_an_unchanged_marked_jpeg(candidate, settings, kind):
    good = marked()
    data = {
        "unmarked": jpeg(portrait()),
        "one_pixel": one_pixel_changed(good),
        "text": "这不是照片".encode(),
        "png": (lambda b: (Image.open(io.BytesIO(good)).save(b, "PNG"), b.getvalue())[1])(
            io.BytesIO()
        ),
        "truncated": good[: len(good) // 2],
        "empty": b"",
        "other_key": check_photo(jpeg(portrait()), profile=DEFAULT_PROFILE, key=b"other").jpeg,
        "padded": good[:2] + b"\xff\xfe\xff\xf0" + b"x" * 0xFFEE + good[2:],  # > 30 KB
    }[kind]
    with pytest.raises(PhotoRefused) as exc:
        photo_accept(candidate=candidate, data=data)
    assert exc.value.message == REFUSED_MESSAGE and exc.value.field == "photo"
    assert "照片检测" in exc.value.message
    assert (
        not CandidatePhoto.objects.exists()
        and not AuditEntry.objects.filter(action="photo.accepted").exists()
    )
    assert stored_files(settings) == []


def test_photo_accept_refuses_a_mark_of_another_profile(candidate):
    import dataclasses

    other = dataclasses.replace(DEFAULT_PROFILE, max_bytes=40 * 1024)
    data = check_photo(jpeg(portrait()), profile=other, key=KEY).jpeg
    assert verify_mark(data, other, KEY)
    with pytest.raises(PhotoRefused):
        photo_accept(candidate=candidate, data=data)
    assert photo_accept(candidate=candidate, data=data, profile=other).profile_fingerprint == (
        other.fingerprint()
    )


def test_database_allows_one_current_photo_per_candidate(candidate):
    photo = photo_accept(candidate=candidate, data=marked())
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatePhoto.objects.create(
            candidate=candidate,
            image="photos/x.jpg",
            sha256=photo.sha256,
            width=1,
            height=1,
            byte_size=1,
            profile_fingerprint="x",
            is_current=True,
        )
    CandidatePhoto.objects.create(  # a second, not current, is fine
        candidate=candidate,
        image="photos/y.jpg",
        sha256=photo.sha256,
        width=1,
        height=1,
        byte_size=1,
        profile_fingerprint="x",
        is_current=False,
    )


def test_failed_database_write_leaves_no_file(candidate, settings, monkeypatch):
    from yikao.photos import services

    def broken(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        photo_accept(candidate=candidate, data=marked())
    assert not CandidatePhoto.objects.exists()
    assert stored_files(settings) == []


def test_photo_check_and_accept_stores_the_marked_result(candidate):
    result = photo_check_and_accept(candidate=candidate, data=jpeg(portrait()))
    assert result.passed and result.photo is not None and result.photo.is_current
    with result.photo.image.open("rb") as f:
        assert f.read() == result.report.jpeg
    assert AuditEntry.objects.filter(action="photo.accepted").count() == 1


def test_photo_check_and_accept_stores_nothing_when_the_check_fails(candidate):
    result = photo_check_and_accept(candidate=candidate, data=jpeg(portrait(BLUE)))
    assert not result.passed and result.photo is None
    assert [r["code"] for r in result.rows if r["status"] == "fail"] == ["background"]
    assert not CandidatePhoto.objects.exists()


def test_photo_check_gives_previews_and_rows():
    result = photo_check(data=jpeg(portrait()))
    assert result.passed
    assert result.checked_data_url.startswith("data:image/jpeg;base64,")
    assert result.original_data_url.startswith("data:image/jpeg;base64,")
    preview = Image.open(io.BytesIO(result.original_preview))
    assert max(preview.size) <= 480
    assert {r["status_label"] for r in result.rows} <= {"符合", "已处理"}
    bad = photo_check(data=b"hello")
    assert not bad.passed and bad.original_data_url == "" and bad.checked_b64 == ""
    assert bad.rows[0]["label"] == "文件格式"


def test_selectors_are_scoped_to_the_candidate(candidate):
    photo = photo_accept(candidate=candidate, data=marked())
    other = make_candidate()
    assert candidate_photo(candidate, photo.pk) == photo
    assert candidate_photo(other, photo.pk) is None
    assert current_photo(other) is None and current_photo(None) is None
