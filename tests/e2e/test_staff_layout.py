"""Every staff page fits a 375-px phone without sideways scrolling of the page, and the
audit log's table fits 1280 px; a screenshot of each page at both widths is kept under
test-results/screenshots/ (staff-*-phone.png, staff-*-desktop.png)."""

import sys
from pathlib import Path

import pytest
from django.utils import timezone
from factories import make_exam, make_photo, make_site

from yikao.appointments.models import Slot
from yikao.appointments.services import booking_create
from yikao.core.audit import audit_record, diff_fields
from yikao.directory.models import Institution, Region
from yikao.review.services import review_return, review_site_approve

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "appointments"))
from appointments_helpers import at, make_slot
from review_helpers import make_registration, make_staff, staff_session_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# A pasted link: one unbreakable word wider than a phone.
LINK = "https://www.nmec.org.cn/Pages/ArticleInfo-13-10974.html?from=yikao-review-notice"
LONG_UNIT = "河南省郑州市金水区人民路街道社区卫生服务中心（郑州市第一人民医院医疗集团成员单位）"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _real_jpeg(photo):
    """A drawn stand-in for an ID photo, so that the screenshots show an image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (413, 531), "white")
    ImageDraw.Draw(image).rectangle((70, 300, 343, 531), fill="#2f3b52")
    image.save(photo.image.path, "JPEG")


def _world():
    exam = make_exam()
    site = make_site(exam, code="4101", capacity=300)
    regs = [make_registration(exam, site, full_name=n) for n in ("王小明", "欧阳娜娜", "李华")]
    for reg in regs:
        _real_jpeg(make_photo(reg.candidate))
    staff = make_staff("kaodian4101", "site", site=site, full_id_export=True)
    area = make_staff("kaoqu41", "area", area=site.area)
    from yikao.profiles.models import Profile

    Profile.objects.filter(candidate=regs[1].candidate).update(work_unit_name=LONG_UNIT)
    regs[1].snapshot["work"]["work_unit_name"] = LONG_UNIT  # as if submitted with it
    regs[1].save(update_fields=["snapshot"])
    for reg in regs[:2]:
        review_site_approve(staff=staff, registration=reg)
    review_return(staff=staff, registration=regs[2], reason=f"学历信息请按 {LINK} 的要求核对。")
    user = regs[0].candidate.user
    audit_record(actor=user, subject=user, action="profile.submitted", changes={
        **diff_fields({"department": "", "duty_status": "试用期", "work_unit_name": ""},
                      {"department": "内科", "duty_status": "在岗", "work_unit_name": LONG_UNIT}),
        "educations": {"created": 1, "updated": 0, "deleted": 0},
    })  # fmt: skip
    audit_record(actor=staff, action="review.exported", changes={"rows": {"old": None, "new": 3}},
                 reason="状态：待我审核；搜索：王小明")  # fmt: skip
    slot = make_slot(exam, site, days=3, hour=8, capacity=20, place="一楼大厅")
    bookings = [booking_create(candidate=reg.candidate, slot=slot) for reg in regs[:2]]
    # The collection day arrives: the slot is today now (check-in is for the day only).
    Slot.objects.filter(pk=slot.pk).update(starts_at=at(0, 0), ends_at=at(0, 23, 59))
    slot.refresh_from_db()
    province = Region.objects.create(code="41", name="河南省", level=1, path="河南省")
    Institution.objects.create(
        code="U0000000001", name=LONG_UNIT, region=province, region_path="河南省郑州市金水区",
        area=410105, kind="社区卫生服务中心", verified=False,
    )  # fmt: skip
    return exam, site, regs, staff, area, slot, bookings


def _pages(exam, site, regs, slot):
    day = timezone.localtime(slot.starts_at).date().isoformat()
    return {
        "queue": "/review/?status=",
        "detail": f"/review/registrations/{regs[1].pk}/",
        "detail-returned": f"/review/registrations/{regs[2].pk}/",
        "correct": f"/review/registrations/{regs[0].pk}/correct/",
        "dashboard": "/review/dashboard/",
        "audit": "/review/audit/",
        "appointments": f"/appointments/staff/sites/{site.pk}/",
        "roster": f"/appointments/staff/sites/{site.pk}/days/{day}/?exam={exam.pk}",
    }


def _fits(page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page scrolls sideways ({scroll}px > {width}px)"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_staff_pages_fit_the_screen(viewport, page, phone_page, shot, live_server):
    browser_page = phone_page if viewport == "phone" else page
    width = 375 if viewport == "phone" else 1280
    exam, site, regs, staff, area, slot, bookings = _world()

    browser_page.goto("/review/login/")
    _fits(browser_page, width, "login")
    shot(browser_page, f"staff-login-{viewport}")
    browser_page.goto("/admin/login/")
    _fits(browser_page, width, "admin login")
    shot(browser_page, f"staff-admin-login-{viewport}")

    browser_page.context.add_cookies(staff_session_cookie(staff, live_server.url))
    for name, url in _pages(exam, site, regs, slot).items():
        response = browser_page.goto(url)
        assert response.status == 200, (name, url)
        _fits(browser_page, width, name)
        shot(browser_page, f"staff-{name}-{viewport}")
    # Check-in on the roster: the result page too.
    browser_page.get_by_label("预约码").fill(bookings[0].display_code)
    browser_page.get_by_label("预约码").press("Enter")
    browser_page.wait_for_load_state()
    assert "签到成功" in browser_page.content()
    _fits(browser_page, width, "check-in")
    shot(browser_page, f"staff-check-in-{viewport}")
    # The audit table itself fits its card at 1280 px, a pasted link wrapped in its column.
    browser_page.goto("/review/audit/")
    table = browser_page.locator("table.audit")
    assert "导出报名 3 行" in table.inner_text() and "在岗情况：试用期 → 在岗" in table.inner_text()
    if viewport == "desktop":
        box, card = table.bounding_box(), table.locator("xpath=..").bounding_box()
        assert box["x"] + box["width"] <= card["x"] + card["width"], "the table leaves its card"

    browser_page.context.clear_cookies()
    browser_page.context.add_cookies(staff_session_cookie(area, live_server.url))
    for name, url in {"units": "/review/units/", "area-queue": "/review/"}.items():
        assert browser_page.goto(url).status == 200, name
        _fits(browser_page, width, name)
        shot(browser_page, f"staff-{name}-{viewport}")
