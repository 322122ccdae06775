"""照片检测 and 上传照片 in a real browser, on a desktop and a 375-px phone."""

import sys
from pathlib import Path

import pytest
from browser_waits import image_loaded
from factories import DEFAULT_PASSWORD, make_candidate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photos"))
from photo_factory import BLUE, jpeg, portrait

from yikao.photos import DEFAULT_PROFILE, verify_mark
from yikao.photos.keys import photo_mark_key
from yikao.photos.models import CandidatePhoto

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def as_file(data: bytes, name: str = "me.jpg") -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def login(page, username: str, next_url: str) -> None:
    page.goto(f"/accounts/login/?next={next_url}")
    page.get_by_label("用户名或证件号码").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_url}")


def test_check_download_then_upload_on_desktop(page, shot, tmp_path):
    page.goto("/photos/check/")
    assert page.get_by_role("heading", name="照片要求").is_visible()
    assert not page.get_by_label("或用手机前置摄像头拍照").is_visible()  # phones only
    shot(page, "photos-01-check-desktop")

    page.get_by_label("选择照片文件").set_input_files(as_file(jpeg(portrait())))
    page.get_by_role("button", name="开始检测").click()
    page.get_by_text("检测通过。").wait_for()
    assert image_loaded(page, "img[alt='原照片预览']")
    assert image_loaded(page, "img[alt='检测后的照片']")
    assert page.locator(".check-fail").count() == 0
    shot(page, "photos-02-check-passed-desktop")

    with page.expect_download() as info:
        page.get_by_role("button", name="下载检测后的照片").click()
    download = info.value
    assert download.suggested_filename == "photo-checked.jpg"
    checked = tmp_path / "photo-checked.jpg"
    download.save_as(checked)
    assert verify_mark(checked.read_bytes(), DEFAULT_PROFILE, photo_mark_key())

    candidate = make_candidate()
    candidate.user.has_seen_profile = True
    candidate.user.save(update_fields=["has_seen_profile"])
    login(page, candidate.user.username, "/photos/upload/")
    assert page.get_by_text("尚未上传照片").is_visible()

    page.get_by_label("检测后的照片（JPG）").set_input_files(as_file(jpeg(portrait())))
    page.get_by_role("button", name="上传", exact=True).click()
    error = page.locator("#id_photo_error")
    error.wait_for()
    assert "照片未通过医考照片检测工具检测或检测后被修改" in error.inner_text()
    assert error.get_by_role("link", name="打开“照片检测”处理照片").is_visible()
    assert not CandidatePhoto.objects.exists()
    shot(page, "photos-03-upload-refused-desktop")

    page.get_by_label("检测后的照片（JPG）").set_input_files(str(checked))
    page.get_by_role("button", name="上传", exact=True).click()
    page.get_by_text("照片已上传。").wait_for()
    assert image_loaded(page, "img.photo-thumb")
    photo = CandidatePhoto.objects.get(candidate=candidate, is_current=True)
    assert photo.byte_size == len(checked.read_bytes())
    shot(page, "photos-04-upload-done-desktop")


def test_check_and_use_on_a_phone(phone_page, shot):
    page = phone_page
    page.goto("/photos/check/")
    camera = page.get_by_label("或用手机前置摄像头拍照")
    assert camera.is_visible() and camera.get_attribute("capture") == "user"
    shot(page, "photos-05-check-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    camera.set_input_files(as_file(jpeg(portrait(BLUE))))
    page.get_by_role("button", name="开始检测").click()
    page.get_by_text("检测未通过。").wait_for()
    assert page.locator(".check-fail .check-label").all_inner_texts() == ["白色背景"]
    assert page.get_by_role("button", name="下载检测后的照片").count() == 0
    shot(page, "photos-06-check-failed-phone")

    candidate = make_candidate()
    candidate.user.has_seen_profile = True
    candidate.user.save(update_fields=["has_seen_profile"])
    login(page, candidate.user.username, "/photos/upload/?next=/")
    page.get_by_label("选择照片文件").set_input_files(as_file(jpeg(portrait())))
    page.get_by_role("button", name="检测", exact=True).click()
    page.get_by_text("检测通过。").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "photos-07-check-and-use-phone")
    page.get_by_role("button", name="使用此照片").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    assert CandidatePhoto.objects.filter(candidate=candidate, is_current=True).count() == 1
    page.goto("/photos/upload/")
    assert image_loaded(page, "img.photo-thumb")
    shot(page, "photos-08-upload-current-phone")
