"""The whole registration path in a real browser, on a desktop and on a phone:
choose exam, every step, submit, see it on the right, abandon, start again."""

import sys
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, make_candidate, make_exam, make_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photos"))
from photo_factory import jpeg, portrait

from yikao.photos.services import photo_check_and_accept
from yikao.profiles.models import Certificate, Education, Profile
from yikao.registrations.models import Registration, Status

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exam():
    exam = make_exam()
    make_site(exam, capacity=30, code="4101")
    return exam


def with_photo(candidate):
    check = photo_check_and_accept(candidate=candidate, data=jpeg(portrait()))
    assert check.photo is not None, check.report.failures


def bachelor(candidate):
    Profile.objects.create(candidate=candidate, work_unit_name="郑州市第一人民医院", work_unit_kind="县级医院", duty_status="试用期",
                           post_category="临床", work_start="2025-08")  # fmt: skip
    Education.objects.create(candidate=candidate, level="本科", length_years=5, study_form="全日制",
                             entry_date="2020-09", graduation_date="2025-06", school_name="郑州大学",
                             major_code="100201K", major_name="临床医学", diploma_number="104591202505001")  # fmt: skip


def junior_college_assistant(candidate):
    Profile.objects.create(candidate=candidate, work_unit_name="新郑市城关乡卫生院", work_unit_kind="乡镇卫生院", duty_status="在岗",
                           post_category="临床", work_start="2019-08")  # fmt: skip
    Education.objects.create(candidate=candidate, level="专科", length_years=3, study_form="全日制",
                             entry_date="2016-09", graduation_date="2019-06", school_name="郑州卫生健康职业学院",
                             major_code="520101K", major_name="临床医学", diploma_number="131702019001")  # fmt: skip
    Certificate.objects.create(candidate=candidate, cert_type="执业助理医师", issue_date="2021-03", number="A2021",
                               registration_date="2021-06", registration_number="R2021", practice_category="临床",
                               practice_scope="内科")  # fmt: skip


def login(page, candidate):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def choose(page, label, shot, prefix):
    page.goto("/registrations/")
    page.get_by_role("link", name="开始新的报名", exact=True).click()
    page.get_by_label("级别").select_option(label=label)
    page.get_by_role("button", name="搜索").click()
    shot(page, f"{prefix}-01-choose")
    page.get_by_role("link", name="报名", exact=True).first.click()
    shot(page, f"{prefix}-02-notice")
    page.get_by_role("button", name="同意并继续").click()


def run_wizard(page, shot, prefix, *, certificate_step: bool):
    page.get_by_label("本人身份").select_option("none")
    shot(page, f"{prefix}-03-basic")
    page.get_by_role("button", name="下一步").click()
    shot(page, f"{prefix}-04-work")
    # Enter in a field means 下一步 (not 选择单位, the first button a user sees).
    page.get_by_label("职务").press("Enter")
    page.wait_for_url("**/3/")
    page.locator("input[name=educations]").first.check()
    shot(page, f"{prefix}-05-records")
    page.get_by_role("button", name="下一步").click()
    if certificate_step:
        page.locator("input[name=certificates]").first.check()
        shot(page, f"{prefix}-06-certificates")
        page.get_by_role("button", name="下一步").click()
    page.get_by_label("考区").select_option("41")  # JS refreshes the sites
    page.wait_for_load_state()
    page.get_by_label("郑州考点（剩余名额", exact=False).check()
    assert "符合" in page.locator(".decision-status").inner_text()
    shot(page, f"{prefix}-07-site-final")
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/registrations/")


def test_bachelor_clinical_full_path_on_desktop(page, exam, shot):
    candidate = make_candidate()
    bachelor(candidate)
    with_photo(candidate)
    login(page, candidate)
    choose(page, "执业医师", shot, "wizard-desktop")
    run_wizard(page, shot, "wizard-desktop", certificate_step=False)
    registration = Registration.objects.get(candidate=candidate)
    assert registration.number in page.content() and "报名成功" in page.content()
    shot(page, "wizard-desktop-08-list")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="放弃报考").click()
    page.wait_for_load_state()
    assert "已放弃" in page.content()
    registration.refresh_from_db()
    assert registration.status == Status.ABANDONED

    choose(page, "执业医师", shot, "wizard-desktop-again")
    run_wizard(page, shot, "wizard-desktop-again", certificate_step=False)
    assert Registration.objects.filter(candidate=candidate, status=Status.SUBMITTED).count() == 1
    shot(page, "wizard-desktop-09-list-after-restart")


def test_junior_college_assistant_to_physician_on_a_phone(phone_page, exam, shot):
    candidate = make_candidate()
    junior_college_assistant(candidate)
    with_photo(candidate)
    login(phone_page, candidate)
    choose(phone_page, "执业医师", shot, "wizard-phone")
    run_wizard(phone_page, shot, "wizard-phone", certificate_step=True)
    registration = Registration.objects.get(candidate=candidate)
    assert [c.cert_type for c in registration.certificates.all()] == ["执业助理医师"]
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    shot(phone_page, "wizard-phone-08-list")


def test_a_photo_checked_for_other_rules_is_flagged_on_the_phone(phone_page, exam, shot):
    """This exam allows 20 KB, the photo was checked under the default 30 KB: step 5 says
    so above the photo, and 上传/更换照片 checks under this exam's rules."""
    from factories import make_draft

    exam.photo_max_bytes = 20 * 1024
    exam.save()
    candidate = make_candidate()
    bachelor(candidate)
    with_photo(candidate)
    make_draft(candidate, exam, exam.capacities.get().site)
    login(phone_page, candidate)
    phone_page.goto(f"/registrations/wizard/{exam.pk}/5/")
    alert = phone_page.get_by_role("alert")
    assert "不是按本次考试的照片要求检测的" in alert.inner_text()
    shot(phone_page, "wizard-phone-photo-other-rules")
    phone_page.get_by_role("button", name="提交").click()
    phone_page.wait_for_load_state()
    assert not Registration.objects.filter(candidate=candidate).exists()
    phone_page.get_by_role("link", name="上传/更换照片").click()
    assert f"exam={exam.pk}" in phone_page.url
