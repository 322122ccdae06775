"""The candidate's path without dead ends, in a real browser: 继续填写 from every step
(with and without the certificate step), 上一步 from an invalid step, another category asks
first, a returned registration → 放弃并重新报名 → submitted, and 首页's next step."""

import sys
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, make_candidate, make_draft, make_exam, make_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "photos"))
from photo_factory import jpeg, portrait

from yikao.exams.models import ExamCategory, ExamSite
from yikao.photos.services import photo_check_and_accept
from yikao.profiles.models import Certificate, Education, Profile
from yikao.registrations.models import Registration, Status
from yikao.registrations.services import draft_save, draft_start, registration_submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def exam():
    exam = make_exam()
    make_site(exam, capacity=30, code="4101")
    return exam


@pytest.fixture
def candidate():
    candidate = make_candidate()
    Profile.objects.create(candidate=candidate, work_unit_name="郑州市第一人民医院",
                           work_unit_kind="县级医院", duty_status="试用期", post_category="临床",
                           work_start="2025-08-01")  # fmt: skip
    Education.objects.create(candidate=candidate, level="本科", length_years=5, study_form="全日制",
                             entry_date="2020-09", graduation_date="2025-06", school_name="郑州大学",
                             major_code="100201K", major_name="临床医学", diploma_number="104591202505001")  # fmt: skip
    check = photo_check_and_accept(candidate=candidate, data=jpeg(portrait()))
    assert check.photo is not None
    return candidate


def login(page, candidate):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def category(exam, level="physician"):
    return ExamCategory.objects.get(exam=exam, category="clinical", level=level)


@pytest.mark.parametrize("with_certificate", [False, True])
def test_resume_from_every_step(page, exam, candidate, shot, with_certificate):
    if with_certificate:
        Certificate.objects.create(candidate=candidate, cert_type="医师资格证书",
                                   issue_date="2022-01", number="C1")  # fmt: skip
    login(page, candidate)
    draft = draft_start(candidate=candidate, category=category(exam))
    for saved in (1, 2, 3, 4, 5):
        draft_save(draft=draft, step=saved, values={"military": "none"})
        page.goto("/registrations/")
        page.locator("#next-step a").click()  # the next step names the resume point
        page.wait_for_load_state()
        assert "/registrations/wizard/" in page.url, page.url
        assert page.locator("h1").count() == 1
        if saved == 4:
            shot(page, f"paths-resume-step4-{'cert' if with_certificate else 'nocert'}")


def test_back_from_an_invalid_step_keeps_what_was_typed(phone_page, exam, candidate, shot):
    page = phone_page
    login(page, candidate)
    draft = draft_start(candidate=candidate, category=category(exam))
    draft_save(draft=draft, step=2, values={"military": "none"})
    page.goto(f"/registrations/wizard/{exam.pk}/2/")
    page.locator("#id_work-title").select_option("主治医师（中级）")  # needs 取得职称年月
    page.locator("#id_work-department").fill("急诊科")
    page.get_by_role("button", name="下一步").click()
    assert "请同时填写取得职称年月" in page.content()
    page.locator("#id_work-department").fill("急诊医学科")
    page.get_by_role("button", name="上一步").click()
    page.wait_for_url(f"**/wizard/{exam.pk}/1/")
    page.get_by_role("button", name="下一步").click()
    page.wait_for_url(f"**/wizard/{exam.pk}/2/")
    assert page.locator("#id_work-department").input_value() == "急诊医学科"
    assert page.locator("#id_work-title").input_value() == "主治医师（中级）"
    shot(page, "paths-back-kept-phone")


def test_another_category_asks_first(page, exam, candidate, shot):
    login(page, candidate)
    draft = draft_start(candidate=candidate, category=category(exam))
    draft_save(draft=draft, step=3, values={"military": "none"})
    other = category(exam, "assistant")
    page.goto(f"/registrations/exams/{other.pk}/notice/")
    page.get_by_role("button", name="同意并继续").click()
    assert page.locator("#switch-question").is_visible()
    shot(page, "paths-switch-question")
    page.get_by_role("link", name="继续填写临床执业医师").click()
    page.wait_for_url(f"**/wizard/{exam.pk}/3/")
    page.goto(f"/registrations/exams/{other.pk}/notice/")
    page.get_by_role("button", name="同意并继续").click()
    page.get_by_role("button", name="改报临床执业助理医师").click()
    page.wait_for_url(f"**/wizard/{exam.pk}/1/")
    assert "临床执业助理医师" in page.content()


def test_returned_registration_redone_and_home_shows_each_next_step(
    phone_page, exam, candidate, shot
):
    page = phone_page
    login(page, candidate)
    page.goto("/")
    assert "下一步" in page.locator("#next-step").inner_text()
    site = ExamSite.objects.get(code="4101")
    draft = make_draft(candidate, exam, site)
    first = registration_submit(draft=draft, token=draft.token)
    page.goto("/")
    assert "等待考点审核" in page.locator("#next-step").inner_text()
    Registration.objects.filter(pk=first.pk).update(
        status=Status.RETURNED, status_reason="毕业证书编号与学信网不一致"
    )
    page.goto("/")
    assert "毕业证书编号与学信网不一致" in page.locator("#next-step").inner_text()
    shot(page, "paths-home-returned-phone")
    page.locator("#next-step a").click()
    shot(page, "paths-list-returned-phone")
    page.get_by_role("button", name="放弃并重新报名").click()
    page.wait_for_url(f"**/wizard/{exam.pk}/1/")
    for _ in range(2):
        page.get_by_role("button", name="下一步").click()
        page.wait_for_load_state()
    page.get_by_role("button", name="下一步").click()  # records, kept ticked
    page.wait_for_url(f"**/wizard/{exam.pk}/5/")
    page.get_by_label("考区").select_option("41")
    page.wait_for_load_state()
    page.get_by_label("郑州考点（剩余名额", exact=False).first.check()
    page.get_by_role("button", name="提交").click()
    page.wait_for_url("**/registrations/")
    second = Registration.objects.get(candidate=candidate, status=Status.SUBMITTED)
    assert second.replaces_id == first.pk
    assert f"替代被退回的报名 {first.number}" in page.content()
    shot(page, "paths-list-redone-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
