"""The access matrix: every staff URL as anonymous, as a candidate, as staff of another
site, as staff of another area, and as the right staff; only the last succeeds."""

import io

import pytest
from django.urls import reverse
from factories import make_photo
from openpyxl import load_workbook
from review_helpers import make_registration, staff_login

from yikao.documents.qrpayload import registration_qr_token
from yikao.registrations.models import Status
from yikao.review.services import review_site_approve

pytestmark = pytest.mark.django_db
LOGIN = "/review/login/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def actors(client, staff_a, staff_b, area41, area42, candidate):
    """name → a function giving a client logged in as that actor."""

    def as_candidate():
        client.force_login(
            candidate.user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend"
        )
        return client

    return {
        "anonymous": lambda: client,
        "candidate": as_candidate,
        "other_site": lambda: staff_login(client, staff_b),
        "other_area": lambda: staff_login(client, area42),
        "site": lambda: staff_login(client, staff_a),
        "area": lambda: staff_login(client, area41),
    }


def _call(client, method, url, data=None):
    client_method = getattr(client, method)
    return client_method(url, data or {}) if method == "post" else client_method(url)


def _object_urls(reg):
    return [
        ("get", reverse("review:detail", args=[reg.pk]), None),
        ("get", reverse("review:photo", args=[reg.pk]), None),
        ("get", reverse("review:correct", args=[reg.pk]), None),
        ("get", reverse("review:reset_password", args=[reg.pk]), None),
        ("get", reverse("review:scan", args=[registration_qr_token(reg.pk)]), None),
        ("post", reverse("review:return", args=[reg.pk]), {"reason": "照片不清楚"}),
        ("post", reverse("review:approve", args=[reg.pk]), None),
    ]


@pytest.mark.parametrize("index", range(7))
def test_site_object_urls_only_the_right_site(actors, exam, site_a, index):
    reg = make_registration(exam, site_a)
    make_photo(reg.candidate)
    method, url, data = _object_urls(reg)[index]
    for name in ("anonymous", "candidate"):
        actors["anonymous"]().logout()
        response = _call(actors[name](), method, url, data)
        assert response.status_code == 302, name
        assert response["Location"].startswith(LOGIN), name
    for name in ("other_site", "other_area"):
        response = _call(actors[name](), method, url, data)
        assert response.status_code == 404, (name, url)
    reg.refresh_from_db()
    assert reg.status == Status.SUBMITTED
    response = _call(actors["site"](), method, url, data)
    assert response.status_code in (200, 302), url
    if response.status_code == 302:
        assert response["Location"] == reverse("review:detail", args=[reg.pk])
    if "approve" in url:
        reg.refresh_from_db()
        assert reg.status == Status.SITE_APPROVED
    if "return" in url:
        reg.refresh_from_db()
        assert reg.status == Status.RETURNED


@pytest.mark.parametrize("action", ["approve", "return"])
def test_area_decisions_only_the_right_area(actors, staff_a, exam, site_a, action):
    reg = make_registration(exam, site_a)
    review_site_approve(staff=staff_a, registration=reg)
    url = reverse(f"review:{action}", args=[reg.pk])
    data = {"reason": "学历信息与证书不一致"}
    for name in ("anonymous", "candidate"):
        actors["anonymous"]().logout()
        assert _call(actors[name](), "post", url, data)["Location"].startswith(LOGIN)
    for name in ("other_site", "other_area"):
        assert _call(actors[name](), "post", url, data).status_code == 404
    reg.refresh_from_db()
    assert reg.status == Status.SITE_APPROVED
    assert _call(actors["area"](), "post", url, data).status_code == 302
    reg.refresh_from_db()
    assert reg.status == (Status.APPROVED if action == "approve" else Status.RETURNED)


LISTS = ["review:queue", "review:export", "review:dashboard", "review:audit"]


def _shows(response, reg) -> bool:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return any(row[0] == reg.number for row in sheet.iter_rows(values_only=True))
    text = response.content.decode()
    return reg.number in text or reg.candidate.user.username in text


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_only_what_is_in_scope(actors, exam, site_a, name):
    reg = make_registration(exam, site_a)
    url = reverse(name) + ("?status=" if name in ("review:queue", "review:export") else "")
    for actor in ("anonymous", "candidate"):
        actors["anonymous"]().logout()
        assert _call(actors[actor](), "get", url)["Location"].startswith(LOGIN)
    if name == "review:dashboard":
        # Counts, not names: the other site sees none of this site's registrations.
        assert "报名总数" in actors["other_site"]().get(url).content.decode()
        assert actors["other_site"]().get(url).context["stats"]["total"] == 0
        assert actors["other_area"]().get(url).context["stats"]["total"] == 0
        assert actors["site"]().get(url).context["stats"]["total"] == 1
        return
    for actor in ("other_site", "other_area"):
        response = actors[actor]().get(url)
        # Nothing in scope: the queue, never a file (an export of no rows says so instead).
        assert response.status_code == (302 if name == "review:export" else 200)
        assert not _shows(response, reg), actor
    response = actors["site"]().get(url)
    assert response.status_code == 200
    assert _shows(response, reg)


def test_units_are_for_the_units_province_only(actors, area41, db):
    from yikao.directory.models import Institution, Region

    province = Region.objects.create(code="41", name="河南省", level=1, path="河南省")
    unit = Institution.objects.create(
        code="U41", name="中原区某诊所", region=province, region_path="河南省",
        area=410000, kind="诊所", verified=False,
    )  # fmt: skip
    url, action = reverse("review:units"), reverse("review:unit_decide", args=[unit.pk, "approve"])
    for actor in ("anonymous", "candidate"):
        actors["anonymous"]().logout()
        assert actors[actor]().get(url)["Location"].startswith(LOGIN)
        assert actors[actor]().post(action)["Location"].startswith(LOGIN)
    assert actors["other_site"]().get(url).status_code == 404
    assert actors["site"]().get(url).status_code == 404  # site staff do not review units
    assert "中原区某诊所" not in actors["other_area"]().get(url).content.decode()
    assert actors["other_area"]().post(action).status_code == 404
    unit.refresh_from_db()
    assert not unit.verified
    assert "中原区某诊所" in actors["area"]().get(url).content.decode()
    assert actors["area"]().post(action).status_code == 302
    unit.refresh_from_db()
    assert unit.verified
