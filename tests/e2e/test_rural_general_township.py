"""A 乡村全科 candidate at a real township hospital, from sign-up to 报名成功, on a phone.

The unit is picked from the generated directory of 中牟县 (its name ends in "镇卫生院",
not "乡镇卫生院"): its type comes from the directory's kind, and the wizard admits her.
"""

import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from factories import make_exam, make_site, resident_id

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photos"))
from photo_factory import jpeg, portrait

from yikao.accounts.models import Candidate
from yikao.exams.models import ExamCategory
from yikao.photos.services import photo_check_and_accept
from yikao.profiles.models import Profile
from yikao.registrations.models import Registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
UNIT = "郑州市中牟县万滩镇卫生院"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exam():
    call_command("load_directory", "--counties", "410122", "--no-progress", verbosity=0)
    exam = make_exam()
    ExamCategory.objects.create(exam=exam, category="rural_general", level="assistant",
                                code="250", label="乡村全科执业助理医师", group="乡村全科", sort=9)  # fmt: skip
    make_site(exam, capacity=30, code="4101")
    return exam


def no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} scrolls sideways ({width}px)"


def test_rural_general_at_a_township_hospital_from_sign_up_to_registered(phone_page, exam, shot):
    page = phone_page
    page.goto("/accounts/register/")
    page.get_by_label("姓名").fill("李春花")
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill(resident_id(region="410122", birth="19960315", seq=7))
    page.get_by_label("用户名").fill("lichunhua")
    page.get_by_label("密码", exact=True).fill("Secret2026a")
    page.get_by_label("确认密码").fill("Secret2026a")
    page.get_by_label("密码提示问题").fill("您的出生地是？")
    page.get_by_label("密码提示答案").fill("河南中牟")
    page.get_by_label("手机号码").fill("13912345670")
    page.get_by_label("我已阅读并同意").check()
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()
    shot(page, "rural-00-signup-phone")
    page.wait_for_url("**/profile/")

    # 个人信息: the unit picked from the directory, its type filled in from it.
    page.get_by_label("通讯地址").fill("河南省郑州市中牟县万滩镇")
    page.get_by_label("邮政编码").fill("451471")
    page.get_by_role("button", name="选择单位").click()
    page.get_by_role("link", name="河南省").click()
    page.get_by_role("link", name="郑州市").click()
    page.get_by_role("link", name="中牟县").click()
    page.get_by_label("在中牟县搜索", exact=False).fill("wtzwsy")
    page.get_by_role("button", name="搜索").click()
    shot(page, "rural-01-picker-phone")
    page.get_by_role("link", name=f"选择 {UNIT}").click()
    page.wait_for_url("**/profile/**")
    assert page.locator("#id_work-work_unit_name").input_value() == UNIT
    assert page.locator("#id_work-work_unit_kind").input_value() == "乡镇卫生院"
    page.locator("#id_work-unit_nature").select_option("基层医疗卫生机构")
    page.locator("#id_work-duty_status").select_option("在岗")
    page.locator("#id_work-post_category").select_option("临床")
    page.locator("#id_work-department").fill("全科")
    page.locator("#id_work-work_start").fill("2019-08-05")
    page.locator("#id_work-trial_assessed").select_option("合格")
    page.locator("#educations [data-add-entry]").click()
    page.locator("#id_edu-0-level").select_option("专科")
    page.locator("#id_edu-0-length_years").fill("3")
    page.locator("#id_edu-0-study_form").select_option("全日制")
    page.locator("#id_edu-0-entry_date").fill("2016-09")
    page.locator("#id_edu-0-graduation_date").fill("2019-07")
    page.locator("#id_edu-0-school_name").fill("郑州卫生健康职业学院")
    page.locator("#id_edu-0-major_name").fill("临床医学")
    page.locator("#id_edu-0-diploma_number").fill("131702019001")
    shot(page, "rural-02-profile-phone")
    no_sideways_scroll(page)
    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    assert "个人信息已保存" in page.content()
    candidate = Candidate.objects.get(user__username="lichunhua")
    assert Profile.objects.get(candidate=candidate).work_unit_kind == "乡镇卫生院"
    check = photo_check_and_accept(candidate=candidate, data=jpeg(portrait()))
    assert check.photo is not None, check.report.failures

    # 考试报名 → 乡村全科执业助理医师 → the five steps → 提交.
    page.goto("/registrations/")
    page.get_by_role("link", name="开始新的报名", exact=True).click()
    page.get_by_label("类别").select_option("乡村全科")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="报名", exact=True).first.click()
    page.get_by_role("button", name="同意并继续").click()
    page.get_by_label("本人身份").select_option("none")
    page.get_by_role("button", name="下一步").click()
    assert page.locator("#id_work-work_unit_kind").input_value() == "乡镇卫生院"
    shot(page, "rural-03-work-step-phone")
    no_sideways_scroll(page)
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url("**/3/")
    page.locator("input[name=educations]").first.check()
    page.get_by_role("button", name="下一步").click()
    page.get_by_label("考区").select_option("41")
    page.wait_for_load_state()
    page.get_by_label("郑州考点（剩余名额", exact=False).check()
    status = page.locator(".decision-status").inner_text()
    assert status == "符合乡村全科执业助理医师报考条件", status
    assert UNIT in page.content() or "乡镇卫生院" in page.content()
    shot(page, "rural-04-site-final-phone")
    no_sideways_scroll(page)
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/registrations/")
    registration = Registration.objects.get(candidate=candidate)
    assert "报名成功" in page.content() and registration.number in page.content()
    assert registration.category.category == "rural_general"
    shot(page, "rural-05-registered-phone")
