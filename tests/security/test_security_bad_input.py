"""Bad input: generated form posts (arbitrary Unicode, huge, missing and repeated fields) get
form errors, never a 500, and store nothing; hostile uploads are refused, and oversized
bodies are refused before they are read."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yikao.accounts.models import Candidate, User
from yikao.photos.forms import MAX_UPLOAD_BYTES, TOO_LARGE_MESSAGE
from yikao.photos.models import CandidatePhoto
from yikao.profiles.models import Certificate, Education, Profile, Training
from yikao.registrations.models import Draft, Registration

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text that breaks naive code: controls, surrogates' neighbours, RTL marks, NUL, huge runs.
nasty_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=2_000),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "‮",
            "𠮷䶮",
            "' OR 1=1 --",
            "<script>",
            "9" * 5000,
            "../../etc/passwd",
            "410102199805200011",
            "%s%n",
            "\r\n\r\nX: y",
        ]
    ),
)


def posts(fields: list[str]):
    """Form bodies over `fields` (plus junk names): each field missing, once or repeated."""
    names = st.sampled_from([*fields, "junk", "csrfmiddlewaretoken", ""])
    return st.lists(st.tuples(names, nasty_text), max_size=len(fields) + 4)


def _body(pairs) -> dict:
    body: dict[str, list[str]] = {}
    for name, value in pairs:
        body.setdefault(name, []).append(value.replace("\x00", "\ufffd"))
    return body


SIGNUP_FIELDS = [
    "full_name",
    "id_type",
    "id_number",
    "gender",
    "birth_date",
    "username",
    "password1",
    "password2",
    "security_question",
    "security_answer",
    "email",
    "mobile",
    "accept_terms",
]


@FUZZ
@given(pairs=posts(SIGNUP_FIELDS))
def test_signup_with_generated_posts(pairs):
    before = (User.objects.count(), Candidate.objects.count())
    response = Client().post(reverse("accounts:register"), _body(pairs))
    assert response.status_code == 200
    assert (User.objects.count(), Candidate.objects.count()) == before


def test_signup_rejects_nul_bytes_without_500():
    response = Client().post(reverse("accounts:register"), {"full_name": "张\x00三"})
    assert response.status_code == 200 and Candidate.objects.count() == 0


def _profile_state(candidate):
    profile = Profile.objects.filter(candidate=candidate).values().first()
    return (
        profile and {k: v for k, v in profile.items() if k != "updated_at"},
        list(Education.objects.filter(candidate=candidate).values()),
        list(Training.objects.filter(candidate=candidate).values()),
        list(Certificate.objects.filter(candidate=candidate).values()),
    )


PROFILE_FIELDS = [
    "action",
    "contact-email",
    "contact-mobile",
    "work-work_unit_name",
    "work-work_start",
    "work-duty_status",
    "work-post_category",
    "edu-TOTAL_FORMS",
    "edu-INITIAL_FORMS",
    "edu-0-level",
    "edu-0-entry_date",
    "edu-0-graduation_date",
    "edu-0-id",
    "edu-0-DELETE",
    "train-TOTAL_FORMS",
    "cert-TOTAL_FORMS",
    "cert-0-number",
]


@pytest.fixture
def ready():
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    client = Client()
    client.force_login(candidate.user)
    return candidate, client


@FUZZ
@given(pairs=posts(PROFILE_FIELDS))
def test_personal_information_with_generated_posts(ready, pairs):
    candidate, client = ready
    before = _profile_state(candidate)
    response = client.post(reverse("profiles:index"), _body(pairs))
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _profile_state(candidate) == before


@pytest.fixture
def wizard(ready):
    candidate, client = ready
    exam = make_exam()
    site = make_site(exam)
    make_draft(candidate, exam, site)
    return candidate, client, exam


WIZARD_FIELDS = [
    "military",
    "hmt_permit",
    "work-work_unit_name",
    "work-work_start",
    "educations",
    "trainings",
    "certificates",
    "area",
    "site",
    "token",
    "go",
]


@FUZZ
@given(number=st.integers(min_value=-1, max_value=7), pairs=posts(WIZARD_FIELDS))
def test_wizard_with_generated_posts(wizard, number, pairs):
    candidate, client, exam = wizard
    url = f"/registrations/wizard/{exam.pk}/{number}/"
    response = client.post(url, _body(pairs))
    assert response.status_code in (200, 302, 404)
    assert not Registration.objects.filter(candidate=candidate).exists()
    assert Draft.objects.filter(candidate=candidate).count() == 1


# --- Uploads ------------------------------------------------------------------------------------


def _png_bomb() -> bytes:
    """A valid PNG header claiming 100 000 × 100 000 pixels: tiny file, 10 gigapixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("photo.jpg", b"\0" * 20_000_000)
    return buf.getvalue()


HOSTILE = {
    "svg with script": (
        "photo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    ),
    "html named jpg": ("photo.jpg", b"<html><script>alert(document.cookie)</script></html>"),
    "jpeg/html polyglot": (
        "photo.jpg",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<script>alert(1)</script>" + b"\x00" * 64,
    ),
    "php behind gif magic": ("shell.php.gif", b"GIF89a<?php system($_GET['c']); ?>"),
    "zip bomb": ("photos.zip", _zip_bomb()),
    "png decompression bomb": ("bomb.png", _png_bomb()),
    "path tricks in the name": ("../../../../etc/passwd.jpg", b"\xff\xd8\xff\xe0garbage"),
    "windows path name": ("..\\..\\boot.ini.jpg", b"\xff\xd8\xff"),
    "nul in name": ("photo.jpg\x00.php", b"\xff\xd8\xff"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_upload_is_refused_and_nothing_stored(name, ready, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    candidate, client = ready
    filename, data = HOSTILE[name]
    upload = SimpleUploadedFile(filename, data, content_type="image/jpeg")
    response = client.post(reverse("photos:upload"), {"photo": upload})
    assert response.status_code == 200
    errors = response.context["form"].errors.get("photo")
    assert errors, "a hostile file was accepted"
    assert not CandidatePhoto.objects.filter(candidate=candidate).exists()
    assert list(tmp_path.rglob("*")) == []  # nothing written under MEDIA_ROOT
    check = Client().post(reverse("photos:check"), {"photo": SimpleUploadedFile(filename, data)})
    assert check.status_code == 200
    result = check.context["result"]
    assert check.context["form"].errors.get("photo") or (result is not None and not result.passed)


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, *args):
        raise AssertionError("the server read a body it should have refused")

    readline = readinto = read


def _huge_post(client, url, content_type):
    return client.generic(
        "POST",
        url,
        b"",
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(100 * 1024 * 1024),
        **{"wsgi.input": _Unreadable()},
    )


def test_100_mb_photo_body_is_refused_before_reading(ready):
    _, client = ready
    client = Client(enforce_csrf_checks=False)
    client.force_login(ready[0].user)
    response = _huge_post(client, reverse("photos:upload"), "multipart/form-data; boundary=x")
    assert response.status_code == 200
    assert TOO_LARGE_MESSAGE in response.content.decode()
    assert MAX_UPLOAD_BYTES <= 20 * 1024 * 1024


@pytest.mark.parametrize(
    "url", ["/accounts/register/", "/accounts/login/", "/api/v1/eligibility/check"]
)
def test_100_mb_form_or_json_body_is_refused_before_reading(url, settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    # _Unreadable fails the test if any byte is read. A form body over the limit is a 400;
    # a JSON body at a form page is never parsed at all (the form is just empty).
    form = _huge_post(Client(), url, "application/x-www-form-urlencoded")
    assert form.status_code == 400, (url, form.status_code)
    as_json = _huge_post(Client(), url, "application/json")
    assert as_json.status_code in (200, 400, 413), (url, as_json.status_code)
    assert User.objects.count() == 0
