"""The photo pages check, accept and verify under the exam's photo rules (Exam.photo_profile)."""

import base64
import dataclasses
import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from factories import make_bachelor_profile, make_draft, make_exam, make_site
from photo_factory import KEY, heic, portrait
from photo_web import raw, text, upload

from yikao.exams.models import Exam
from yikao.exams.photo_rules import TIMEOUT_MESSAGE
from yikao.photos import DEFAULT_PROFILE, check_photo, verify_mark
from yikao.photos import selectors as photo_selectors
from yikao.photos.models import CandidatePhoto
from yikao.photos.selectors import photo_exam, photo_profile_for
from yikao.photos.services import REFUSED_MESSAGE, photo_check

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_settings")]

CHECK = reverse("photos:check")
UPLOAD = reverse("photos:upload")
UPLOAD_CHECK = reverse("photos:upload_check")
USE = reverse("photos:use")
DOWNLOAD = reverse("photos:download")


def strict(exam: Exam) -> Exam:
    """`exam` with rules other than the defaults: at most 20 KB, at least 200×260."""
    Exam.objects.filter(pk=exam.pk).update(
        photo_max_bytes=20 * 1024, photo_min_width=200, photo_min_height=260
    )
    exam.refresh_from_db()
    return exam


@pytest.fixture
def closed_exam():
    """Published, its window closed: only reached through ?exam=<id>."""
    return strict(make_exam(open_window=False))


def marked_for(profile) -> bytes:
    return check_photo(raw(), profile=profile, key=KEY).jpeg


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- which rules apply -------------------------------------------------------------------


def test_photo_exam_is_the_one_asked_for_else_the_open_one_else_none(closed_exam):
    assert photo_exam(str(closed_exam.pk)) == closed_exam
    assert photo_exam(closed_exam.pk) == closed_exam
    assert photo_exam(None) is None
    for bad in ["", "abc", "-1", "999999", "1" * 30, "１"]:
        assert photo_exam(bad) is None
    Exam.objects.filter(pk=closed_exam.pk).update(is_published=False)
    assert photo_exam(str(closed_exam.pk)) is None
    open_exam = make_exam()
    assert photo_exam(None) == open_exam
    assert photo_exam("999999") == open_exam
    assert photo_profile_for(None) is DEFAULT_PROFILE
    assert photo_profile_for(open_exam) == open_exam.photo_profile()


def test_photo_exam_of_several_open_exams_is_the_one_closing_first():
    later, sooner = make_exam(code="later"), make_exam(code="sooner")
    Exam.objects.filter(pk=sooner.pk).update(
        window_end=later.window_end - datetime.timedelta(days=1)
    )
    assert photo_exam(None) == sooner


# --- 照片检测 for an exam ------------------------------------------------------------------


def test_check_page_for_an_exam_shows_and_applies_its_rules(client, closed_exam):
    url = f"{CHECK}?exam={closed_exam.pk}"
    html = text(client.get(url))
    assert "不超过 20 KB" in html and "200×260" in html and "30 KB" not in html
    assert f'action="{url}#result"' in html
    response = client.post(url, {"photo": upload(raw())})
    html = text(response)
    result = response.context["result"]
    assert result.passed and result.report.byte_size <= 20 * 1024
    assert result.report.profile_fingerprint == closed_exam.photo_profile().fingerprint()
    assert verify_mark(result.report.jpeg, closed_exam.photo_profile(), KEY)
    assert not verify_mark(result.report.jpeg, DEFAULT_PROFILE, KEY)
    assert f'action="{DOWNLOAD}?exam={closed_exam.pk}"' in html
    assert f'href="{UPLOAD}?exam={closed_exam.pk}"' in html


def test_check_page_without_an_exam_uses_the_open_exams_rules(client):
    exam = strict(make_exam())
    response = client.post(CHECK, {"photo": upload(raw())})
    assert response.context["result"].report.profile_fingerprint == (
        exam.photo_profile().fingerprint()
    )
    assert "不超过 20 KB" in text(response)
    assert f'action="{CHECK}?exam={exam.pk}#result"' in text(response)


def test_check_page_without_any_exam_uses_the_default_rules(client, closed_exam):
    response = client.post(CHECK, {"photo": upload(raw())})
    assert response.context["result"].report.profile_fingerprint == DEFAULT_PROFILE.fingerprint()
    assert "不超过 30 KB" in text(response) and "?exam=" not in text(response)


def test_download_verifies_under_the_exams_rules(client, closed_exam):
    data = marked_for(closed_exam.photo_profile())
    response = client.post(f"{DOWNLOAD}?exam={closed_exam.pk}", {"checked": b64(data)})
    assert response.status_code == 200 and response.content == data
    refused = client.post(DOWNLOAD, {"checked": b64(data)})
    assert refused.status_code == 302 and refused["Location"] == CHECK
    other = client.post(
        f"{DOWNLOAD}?exam={closed_exam.pk}", {"checked": b64(marked_for(DEFAULT_PROFILE))}
    )
    assert other.status_code == 302 and other["Location"] == f"{CHECK}?exam={closed_exam.pk}"


def test_check_page_for_an_exam_without_conversion_takes_jpeg_only(client, closed_exam):
    Exam.objects.filter(pk=closed_exam.pk).update(photo_convert_input=False)
    url = f"{CHECK}?exam={closed_exam.pk}"
    html = text(client.get(url))
    assert "JPG，不超过 15 MB" in html and "HEIC" not in html.split("照片要求")[0]
    response = client.post(url, {"photo": upload(heic(portrait()), "IMG_0001.HEIC")})
    assert not response.context["result"].report.usable
    assert "本次只接受 JPG 格式的照片" in text(response)


def test_check_page_converts_a_heic_by_default(client):
    html = text(client.get(CHECK))
    assert "HEIC（苹果手机）" in html
    response = client.post(CHECK, {"photo": upload(heic(portrait()), "IMG_0001.HEIC")})
    result = response.context["result"]
    assert result.passed and result.report.get("format").detail == {"source": "HEIF"}
    assert verify_mark(result.report.jpeg, DEFAULT_PROFILE, KEY)


def test_check_page_over_the_time_budget_shows_the_timeout_message(client, monkeypatch):
    tiny = dataclasses.replace(DEFAULT_PROFILE, time_budget_s=1e-6)
    monkeypatch.setattr(photo_selectors, "photo_profile_for", lambda exam: tiny)
    response = client.post(CHECK, {"photo": upload(raw())})
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.passed and [r["code"] for r in result.rows] == ["timeout"]
    assert result.rows[0]["label"] == "处理时间"
    assert TIMEOUT_MESSAGE in text(response) and "下载检测后的照片" not in text(response)


def test_photo_check_service_over_the_time_budget_fails_without_a_preview():
    tiny = dataclasses.replace(DEFAULT_PROFILE, time_budget_s=1e-6)
    result = photo_check(data=raw(), profile=tiny)
    assert not result.passed and not result.report.usable and result.original_preview is None
    assert [(r["code"], r["message"]) for r in result.rows] == [("timeout", TIMEOUT_MESSAGE)]


# --- 上传照片 for an exam (the wizard's photo link) ---------------------------------------


def test_check_and_use_for_an_exam_stores_the_photo_under_its_rules(
    logged_in, candidate, closed_exam
):
    back = f"/registrations/{closed_exam.pk}/step/1/"
    query = f"?exam={closed_exam.pk}&next={back}"
    response = logged_in.post(f"{UPLOAD_CHECK}{query}", {"check-photo": upload(raw())})
    html = text(response)
    assert f'action="{USE}?exam={closed_exam.pk}&amp;next={back}"' in html
    assert "不超过 20 KB" in html
    checked = response.context["result"].checked_b64
    response = logged_in.post(f"{USE}{query}", {"checked": checked})
    assert response.status_code == 302 and response["Location"] == back
    photo = CandidatePhoto.objects.get(candidate=candidate, is_current=True)
    assert photo.profile_fingerprint == closed_exam.photo_profile().fingerprint()
    assert photo.byte_size <= 20 * 1024


def test_upload_for_an_exam_accepts_its_marks_only(logged_in, candidate, closed_exam):
    url = f"{UPLOAD}?exam={closed_exam.pk}"
    response = logged_in.post(url, {"photo": upload(marked_for(DEFAULT_PROFILE))})
    assert response.status_code == 200 and REFUSED_MESSAGE in text(response)
    assert not CandidatePhoto.objects.exists()
    response = logged_in.post(url, {"photo": upload(marked_for(closed_exam.photo_profile()))})
    assert response.status_code == 302 and response["Location"] == url
    photo = CandidatePhoto.objects.get(candidate=candidate, is_current=True)
    assert photo.profile_fingerprint == closed_exam.photo_profile().fingerprint()


def test_use_refuses_a_photo_marked_for_other_rules(logged_in, closed_exam):
    data = b64(marked_for(DEFAULT_PROFILE))
    response = logged_in.post(f"{USE}?exam={closed_exam.pk}&next=/profile/", {"checked": data})
    assert response["Location"] == f"{UPLOAD}?exam={closed_exam.pk}&next=%2Fprofile%2F"
    assert not CandidatePhoto.objects.exists()


def test_photo_checked_without_an_exam_is_accepted_for_an_exam_with_default_rules(
    logged_in, candidate
):
    exam = make_exam(open_window=False)
    data = b64(marked_for(DEFAULT_PROFILE))
    response = logged_in.post(f"{USE}?exam={exam.pk}", {"checked": data})
    assert response.status_code == 302
    assert CandidatePhoto.objects.get(candidate=candidate).profile_fingerprint == (
        DEFAULT_PROFILE.fingerprint()
    )


def test_current_photo_partial_links_to_the_upload_for_its_exam():
    request = RequestFactory().get("/registrations/7/step/1/")
    html = render_to_string(
        "photos/_current_photo.html", {"photo": None, "request": request, "photo_exam_id": 7}
    )
    assert f'href="{UPLOAD}?exam=7&amp;next=/registrations/7/step/1/"' in html


def test_wizard_links_the_photo_upload_to_its_exam(logged_in, candidate):
    exam = make_exam()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, make_site(exam))
    for number in (1, 5):
        url = reverse("registrations:step", kwargs={"exam_id": draft.exam_id, "number": number})
        html = text(logged_in.get(url))
        assert f'href="{UPLOAD}?exam={exam.pk}&amp;next={url}"' in html
