import base64
import functools
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from factories import make_candidate
from photo_factory import BLUE, KEY, jpeg, portrait
from photo_web import raw, text, upload
from PIL import Image
from test_photo_services import one_pixel_changed

from yikao.core.models import AuditEntry
from yikao.photos import DEFAULT_PROFILE, check_photo, verify_mark
from yikao.photos.models import CandidatePhoto
from yikao.photos.services import REFUSED_MESSAGE, photo_accept

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("photo_settings")]

CHECK = reverse("photos:check")
UPLOAD = reverse("photos:upload")
UPLOAD_CHECK = reverse("photos:upload_check")
USE = reverse("photos:use")
DOWNLOAD = reverse("photos:download")
MB = 1024 * 1024


@functools.cache
def marked() -> bytes:
    return check_photo(raw(), profile=DEFAULT_PROFILE, key=KEY).jpeg


def png_named_jpg() -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.open(io.BytesIO(marked())).save(buf, "PNG")
    return upload(buf.getvalue(), "photo.jpg")


def nothing_stored(settings) -> bool:
    media = settings.MEDIA_ROOT
    files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    return not CandidatePhoto.objects.exists() and files == []


# --- 照片检测 (public) --------------------------------------------------------------------


def test_check_page_explains_the_rules_and_offers_the_camera(client):
    response = client.get(CHECK)
    html = text(response)
    assert response.status_code == 200
    for rule in ["小二寸", "白色背景", "30 KB", "190×254", "JPG"]:
        assert rule in html
    assert 'accept="image/*"' in html and 'capture="user"' in html
    assert '<label for="id_photo">' in html and '<label for="id_camera">' in html
    assert "style=" not in html and "<script>" not in html


def test_check_page_passes_a_good_photo_and_offers_the_download(client):
    response = client.post(CHECK, {"photo": upload(raw())})
    html = text(response)
    assert response.status_code == 200
    assert "检测通过" in html and "下载检测后的照片" in html
    assert html.count("data:image/jpeg;base64,") == 2  # original and result side by side
    checked = response.context["result"].checked_b64
    assert f'name="checked" value="{checked}"' in html
    assert verify_mark(base64.b64decode(checked), DEFAULT_PROFILE, KEY)
    assert "已处理" in html and "符合" in html
    assert not CandidatePhoto.objects.exists()


def test_check_page_uses_the_camera_field(client):
    response = client.post(CHECK, {"camera": upload(raw())})
    assert response.context["result"].passed


def test_check_page_shows_failures_with_their_messages(client):
    response = client.post(CHECK, {"photo": upload(jpeg(portrait(BLUE)))})
    html = text(response)
    assert "检测未通过" in html and "check-fail" in html
    assert response.context["result"].report.get("background").message in html
    assert "下载检测后的照片" not in html and 'name="checked"' not in html


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({}, "请选择照片文件。"),
        ({"photo": upload("只是文字".encode(), "a.txt", "text/plain")}, "文件不是可识别的图片"),
        ({"photo": upload(b"\xff\xd8\xff\xe0" + b"\x00" * 40)}, "无法读取图片"),
        ({"photo": upload(b"", "empty.jpg")}, "文件为空"),
    ],
)
def test_check_page_bad_input_gets_a_message(client, files, message):
    response = client.post(CHECK, files)
    assert response.status_code == 200
    assert message in text(response)


def test_check_page_truncated_jpeg_gets_a_message(client):
    response = client.post(CHECK, {"photo": upload(raw()[: len(raw()) // 2])})
    assert response.status_code == 200
    assert "无法使用该文件" in text(response) and "不完整或已损坏" in text(response)


def test_check_page_refuses_a_huge_file_unread(client):
    response = client.post(CHECK, {"photo": upload(b"\xff\xd8\xff" + b"\x00" * (16 * MB))})
    assert response.status_code == 200
    assert "文件过大（超过 15 MB）" in text(response)
    assert response.context["result"] is None


def test_check_page_drops_a_file_just_over_the_limit_while_parsing(client):
    # Content-Length is within the slack, so the upload handler stops the file instead.
    data = b"\xff\xd8\xff" + b"\x00" * (15 * MB - 2)
    response = client.post(CHECK, {"photo": upload(data)})
    html = text(response)
    assert "文件过大（超过 15 MB）" in html and "请选择照片文件" not in html


def test_check_page_is_rate_limited(client, monkeypatch):
    from yikao.core import ratelimit

    monkeypatch.setattr(ratelimit, "hit", lambda *a, **k: False)
    response = client.post(CHECK, {"photo": upload(raw())})
    assert "检测过于频繁" in text(response) and response.context["result"] is None


def test_check_page_post_needs_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(CHECK, {"photo": upload(raw())})
    assert response.status_code == 403


def test_download_returns_the_checked_photo_as_an_attachment(client):
    response = client.post(DOWNLOAD, {"checked": base64.b64encode(marked()).decode()})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo-checked.jpg"'
    assert response.content == marked()


@pytest.mark.parametrize(
    "value", ["", "not base64!", base64.b64encode(b"plain text").decode(), "QUJD" * 20000]
)
def test_download_refuses_anything_not_marked(client, value):
    response = client.post(DOWNLOAD, {"checked": value}, follow=True)
    assert response.redirect_chain[-1][0] == CHECK
    assert "检测结果已失效" in text(response)


def test_download_refuses_an_unmarked_jpeg(client):
    response = client.post(DOWNLOAD, {"checked": base64.b64encode(raw()[:20000]).decode()})
    assert response.status_code == 302


# --- 上传照片 (candidates) ------------------------------------------------------------------


def test_upload_pages_need_login(client, candidate):
    photo = photo_accept(candidate=candidate, data=marked())
    for url in [UPLOAD, reverse("photos:current"), reverse("photos:image", args=[photo.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for url in [UPLOAD, UPLOAD_CHECK, USE]:
        response = client.post(url, {"photo": upload(marked())})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_upload_pages_are_for_candidates_only(client):
    staff = get_user_model().objects.create_user("staff01", "Secret2026a", is_staff=True)
    client.force_login(staff)
    assert client.get(UPLOAD).status_code == 404
    assert client.get(reverse("photos:current")).status_code == 404


def test_upload_page_shows_placeholder_forms_and_rules(logged_in):
    html = text(logged_in.get(UPLOAD))
    assert "尚未上传照片" in html and "上传/更换照片" not in html
    assert '<label for="id_photo">' in html and '<label for="id_check-photo">' in html
    assert 'capture="user"' in html and 'accept="image/jpeg,.jpg,.jpeg"' in html
    assert "style=" not in html


def test_upload_accepts_a_marked_photo(logged_in, candidate):
    response = logged_in.post(UPLOAD, {"photo": upload(marked())})
    assert response.status_code == 302 and response["Location"] == UPLOAD
    photo = CandidatePhoto.objects.get(candidate=candidate, is_current=True)
    assert AuditEntry.objects.filter(action="photo.accepted", target_id=str(photo.pk)).exists()
    page = logged_in.get(UPLOAD)
    assert "照片已上传。" in text(page)
    assert f"{reverse('photos:current')}?v={photo.pk}" in text(page)
    current = logged_in.get(reverse("photos:current"))
    assert current["Content-Type"] == "image/jpeg"
    assert b"".join(current.streaming_content) == marked()


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/profile/", "/profile/"),
        ("/registrations/new/?step=1", "/registrations/new/?step=1"),
        ("https://evil.example/", UPLOAD),
        ("//evil.example/", UPLOAD),
        ("/\\evil.example/", UPLOAD),
        ("javascript:alert(1)", UPLOAD),
    ],
)
def test_upload_returns_to_a_local_next_only(logged_in, next_url, location):
    from urllib.parse import urlencode

    page = logged_in.get(f"{UPLOAD}?{urlencode({'next': next_url})}")
    if location != UPLOAD:
        assert f'href="{next_url}"' in text(page).replace("&amp;", "&")
    else:
        assert "evil" not in text(page) and "javascript:" not in text(page)
    response = logged_in.post(
        f"{UPLOAD}?{urlencode({'next': next_url})}", {"photo": upload(marked())}
    )
    assert response.status_code == 302 and response["Location"] == location


@pytest.mark.parametrize(
    "make",
    [
        lambda: None,
        lambda: upload("只是文字".encode(), "photo.jpg", "text/plain"),
        png_named_jpg,
        lambda: upload(raw()),  # unmarked
        lambda: upload(one_pixel_changed(marked())),
        lambda: upload(marked()[: len(marked()) - 2000]),  # truncated
        lambda: upload(b"", "empty.jpg"),
    ],
    ids=["no-file", "text", "png-renamed", "unmarked", "one-pixel", "truncated", "empty"],
)
def test_upload_refuses_bad_input_next_to_the_field(logged_in, settings, make):
    the_file = make()
    response = logged_in.post(UPLOAD, {"photo": the_file} if the_file else {})
    html = text(response)
    assert response.status_code == 200
    error = response.context["form"].errors["photo"][0]
    assert error in {REFUSED_MESSAGE, "请选择照片文件。", "文件为空。请重新选择照片。"}
    assert 'id="id_photo_error"' in html and error in html
    if error == REFUSED_MESSAGE:
        assert f'<a href="{CHECK}">打开“照片检测”处理照片</a>' in html
    assert nothing_stored(settings)


@pytest.mark.parametrize("size", [16 * MB, 15 * MB + 1])
def test_upload_refuses_a_huge_file(logged_in, settings, size):
    response = logged_in.post(UPLOAD, {"photo": upload(b"\xff\xd8\xff" + b"\x00" * size)})
    assert response.status_code == 200
    assert response.context["form"].errors["photo"] == [
        "文件过大（超过 15 MB）。请上传原始照片或先适当缩小后再试。"
    ]
    assert nothing_stored(settings)


def test_check_and_use_stores_the_checked_photo(logged_in, candidate):
    response = logged_in.post(f"{UPLOAD_CHECK}?next=/profile/", {"check-photo": upload(raw())})
    html = text(response)
    assert response.status_code == 200 and '<button type="submit">使用此照片</button>' in html
    assert f'action="{USE}?next=/profile/"' in html
    assert not CandidatePhoto.objects.exists()  # nothing until the candidate clicks
    checked = response.context["result"].checked_b64
    response = logged_in.post(f"{USE}?next=/profile/", {"checked": checked})
    assert response.status_code == 302 and response["Location"] == "/profile/"
    photo = CandidatePhoto.objects.get(candidate=candidate, is_current=True)
    with photo.image.open("rb") as f:
        assert f.read() == base64.b64decode(checked)


def test_check_and_use_shows_a_failed_check_without_use(logged_in):
    response = logged_in.post(UPLOAD_CHECK, {"check-photo": upload(jpeg(portrait(BLUE)))})
    html = text(response)
    assert "检测未通过" in html and f'action="{USE}' not in html and 'name="checked"' not in html


def test_check_and_use_bad_input(logged_in, settings):
    response = logged_in.post(UPLOAD_CHECK, {"check-photo": upload(b"GIF89a" + b"\x00" * 10)})
    assert response.status_code == 200
    assert "无法使用该文件" in text(response)
    response = logged_in.post(UPLOAD_CHECK, {})
    assert "请选择照片文件。" in text(response)
    assert logged_in.get(UPLOAD_CHECK).status_code == 405


@pytest.mark.parametrize(
    "value",
    [
        "",
        "%%%",
        base64.b64encode(b"x" * 100).decode(),
        base64.b64encode(raw()[:30000]).decode(),
    ],
)
def test_use_refuses_a_changed_value(logged_in, settings, value):
    response = logged_in.post(USE, {"checked": value}, follow=True)
    assert response.redirect_chain[-1][0] == UPLOAD
    assert nothing_stored(settings)
    html = text(response)
    assert "检测结果已失效" in html or "照片未通过医考照片检测工具检测" in html


def test_use_refuses_one_pixel_changed(logged_in, settings):
    value = base64.b64encode(one_pixel_changed(marked())).decode()
    response = logged_in.post(f"{USE}?next=/profile/", {"checked": value})
    assert response["Location"] == f"{UPLOAD}?next=%2Fprofile%2F"
    assert nothing_stored(settings)


# --- photo files: owner only ---------------------------------------------------------------


def test_photo_files_are_served_to_their_owner_only(client, candidate):
    photo = photo_accept(candidate=candidate, data=marked())
    url = reverse("photos:image", args=[photo.pk])
    client.force_login(candidate.user)
    own = client.get(url)
    assert own.status_code == 200 and own["Content-Type"] == "image/jpeg"
    assert own["Cache-Control"].startswith("private")
    assert b"".join(own.streaming_content) == marked()
    other = Client()
    other.force_login(make_candidate().user)
    assert other.get(url).status_code == 404
    assert other.get(reverse("photos:current")).status_code == 404
    assert other.get(reverse("photos:image", args=[photo.pk + 1000])).status_code == 404
    assert client.get(f"/media/{photo.image.name}").status_code == 404  # never public media


def test_missing_photo_file_is_a_404(logged_in, candidate):
    photo = photo_accept(candidate=candidate, data=marked())
    photo.image.storage.delete(photo.image.name)
    assert logged_in.get(reverse("photos:current")).status_code == 404


# --- the partial for the profile page and the wizard ---------------------------------------


def test_current_photo_partial(candidate):
    request = RequestFactory().get("/profile/?tab=basic")
    html = render_to_string("photos/_current_photo.html", {"photo": None, "request": request})
    assert "尚未上传照片" in html
    assert f'href="{UPLOAD}?next=/profile/%3Ftab%3Dbasic"' in html
    assert "上传/更换照片" in html
    photo = photo_accept(candidate=candidate, data=marked())
    html = render_to_string(
        "photos/_current_photo.html",
        {"photo": photo, "request": request, "photo_next": "/registrations/"},
    )
    assert f'src="{reverse("photos:current")}?v={photo.pk}"' in html
    assert 'width="206" height="265"' in html
    assert f'href="{UPLOAD}?next=/registrations/"' in html
