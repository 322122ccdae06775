"""A review day: site staff log in with a one-time code, pass one registration and return
another with a reason; the candidates see both; area staff give the final approval."""

import sys
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, make_exam, make_photo, make_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_helpers import make_registration, make_staff, staff_session_cookie, totp_now

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
STAFF_PASSWORD = "Staff2026pass"
REASON = "学历信息与毕业证书不一致，请核对后重新报名。"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def staff_login(page, user):
    page.goto("/review/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_label("动态验证码").fill(totp_now(user.device))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/review/")


def candidate_sees(page, registration):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(registration.candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/registrations/")
    text = page.locator("main").inner_text()
    page.get_by_role("button", name="退出").click()
    return text


def _real_jpeg(photo):
    """A drawn stand-in for an ID photo, so that the screenshot shows an image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (413, 531), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((126, 90, 286, 280), fill="#c9a98c")
    draw.rectangle((70, 300, 343, 531), fill="#2f3b52")
    image.save(photo.image.path, "JPEG")


def test_review_day(page, phone_page, shot, live_server):
    exam = make_exam()
    site = make_site(exam, code="4101", capacity=300)
    passed = make_registration(exam, site, full_name="王小明")
    returned = make_registration(exam, site, full_name="李华")
    for _ in range(6):
        make_registration(exam, site)
    _real_jpeg(make_photo(passed.candidate))
    staff = make_staff("kaodian4101", "site", site=site)
    area = make_staff("kaoqu41", "area", area=site.area)

    # Site staff: the queue, then one registration passed.
    staff_login(page, staff)
    assert page.locator("table.queue tbody tr").count() == 8
    assert passed.candidate.id_number not in page.content()
    shot(page, "review-queue-desktop")

    # Search by the full ID number: found, and the number never enters the URL.
    page.get_by_label("搜索").fill(passed.candidate.id_number)
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url("**/review/?f=*")
    assert passed.candidate.id_number not in page.url
    assert page.locator("table.queue tbody tr").count() == 1
    page.get_by_role("link", name=passed.number).click()
    assert "符合报考条件" in page.locator("main").inner_text()
    shot(page, "review-registration-desktop")
    page.get_by_role("button", name="考点通过").click()
    assert "已考点通过" in page.locator(".messages").inner_text()

    # Another one returned with a reason picked from the list and completed by hand.
    page.goto(f"/review/registrations/{returned.pk}/")
    page.get_by_label("常用退回原因").select_option(REASON)
    assert page.get_by_label("退回原因", exact=True).input_value() == REASON  # review.js
    page.get_by_label("退回原因", exact=True).fill(REASON + "（请携带毕业证原件）")
    page.get_by_role("button", name="退回").click()
    assert "已退回" in page.locator(".messages").inner_text()
    page.get_by_role("button", name="退出审核系统").click()

    # The candidates see both outcomes.
    assert "考点通过" in candidate_sees(page, passed)
    text = candidate_sees(page, returned)
    assert "已退回" in text and REASON in text

    # Area staff give the final approval; the education used becomes verified.
    staff_login(page, area)
    page.get_by_role("link", name=passed.number).click()
    page.get_by_role("button", name="审核通过").click()
    assert "已审核通过" in page.locator(".messages").inner_text()
    assert "✓ 已验证" in page.locator("main").inner_text()
    page.goto("/review/dashboard/")
    assert "报名总数" in page.locator("main").inner_text()
    shot(page, "review-dashboard-desktop")
    page.get_by_role("button", name="退出审核系统").click()
    assert "审核通过" in candidate_sees(page, passed)

    # Phone sizes.
    phone_page.context.add_cookies(staff_session_cookie(staff, live_server.url))
    phone_page.goto("/review/?status=")
    assert phone_page.locator("table.queue tbody tr").count() == 8
    shot(phone_page, "review-queue-phone")
    phone_page.goto(f"/review/registrations/{passed.pk}/")
    shot(phone_page, "review-registration-phone")
    phone_page.goto("/review/dashboard/")
    shot(phone_page, "review-dashboard-phone")


def test_export_button_takes_the_form_as_shown(page, live_server):
    """导出Excel without 筛选 first: the file holds what the form says now; a form that
    lists nothing gives a message on the queue, never a header-only file."""
    import io

    from openpyxl import load_workbook

    exam = make_exam()
    site = make_site(exam, code="4101", capacity=300)
    wanted = make_registration(exam, site, full_name="王小明")
    make_registration(exam, site, full_name="李华")
    staff = make_staff("kaodian4101", "site", site=site)
    staff_login(page, staff)
    page.get_by_label("搜索").fill("王小明")  # typed, not applied
    with page.expect_download() as download:
        page.get_by_role("button", name="导出Excel").click()
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]] == [wanted.number]
    page.get_by_label("搜索").fill("赵无此人")
    page.get_by_role("button", name="导出Excel").click()
    page.wait_for_url("**/review/?f=*")
    assert "没有符合条件的报名，未导出。" in page.locator(".messages").inner_text()
    assert page.get_by_label("搜索").input_value() == "赵无此人"
