"""个人信息 in a real browser: all six groups, two education entries, a school found by
typing "bjdx", a work unit chosen through the region picker and initials; submit, reload.
Also the red outline of an empty required entry field on blur, "−" / 撤销, and the six
groups on a 375-px phone (screenshots in test-results/screenshots/)."""

from pathlib import Path

import pytest
from django.core.management import call_command
from factories import DEFAULT_PASSWORD, make_bachelor_profile, make_candidate

from yikao.profiles.models import Certificate, Education, Profile, Training

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
GROUPS = ["basic", "contact", "work", "educations", "trainings", "certificates"]


@pytest.fixture
def directory():
    call_command("load_directory", "--counties", "410102", "--no-progress", verbosity=0)


def login(page, candidate):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/profile/")


def pick_school(page, index, typed, name):
    box = page.locator(f"#id_edu-{index}-school_name")
    box.fill("")
    box.type(typed, delay=30)
    option = page.get_by_role("option").filter(has_text=name).first
    assert option.inner_text().startswith(name)
    option.dispatch_event("mousedown")
    assert "matched" in box.get_attribute("class")


def fill_education(
    page, index, *, level, degree="", years, entry, graduation, typed, school, major
):
    page.locator(f"#id_edu-{index}-level").select_option(level)
    if degree:
        page.locator(f"#id_edu-{index}-degree_type").select_option(degree)
    page.locator(f"#id_edu-{index}-length_years").fill(str(years))
    page.locator(f"#id_edu-{index}-study_form").select_option("全日制")
    page.locator(f"#id_edu-{index}-entry_date").fill(entry)
    page.locator(f"#id_edu-{index}-graduation_date").fill(graduation)
    pick_school(page, index, typed, school)
    page.locator(f"#id_edu-{index}-major_name").fill(major)
    page.locator(f"#id_edu-{index}-diploma_number").fill(f"1000{index}2020")


def test_all_six_groups_filled_submitted_and_reloaded(page, directory, shot):
    candidate = make_candidate()
    login(page, candidate)
    shot(page, "profile-01-empty")

    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("通讯地址").fill("河南省郑州市中原区建设西路1号")
    page.get_by_label("邮政编码").fill("450007")

    # Work unit: region drill-down, then initials.
    page.get_by_role("button", name="选择单位").click()
    page.get_by_role("link", name="河南省").click()
    page.get_by_role("link", name="郑州市").click()
    page.get_by_role("link", name="中原区").click()
    page.get_by_label("在中原区搜索", exact=False).fill("lsz")
    page.get_by_role("button", name="搜索").click()
    shot(page, "profile-02-picker")
    page.get_by_role("link", name="选择", exact=False).first.click()
    page.wait_for_url("**/profile/**")
    unit = page.locator("#id_work-work_unit_name").input_value()
    assert "林山寨" in unit
    page.locator("#id_work-unit_nature").select_option("基层医疗卫生机构")
    page.locator("#id_work-duty_status").select_option("在岗")
    page.locator("#id_work-post_category").select_option("临床")
    page.locator("#id_work-work_start").fill("2023-08")

    # Two education entries; the YYYY-MM format is checked when the cursor leaves.
    page.locator("#educations [data-add-entry]").click()
    fill_education(page, 0, level="本科", years=5, entry="2015-09", graduation="2020-06",
                   typed="bjdx", school="北京大学", major="临床医学")  # fmt: skip
    page.locator("#educations [data-add-entry]").click()
    fill_education(page, 1, level="研究生（硕士）", degree="专业学位", years=3, entry="2020-09",
                   graduation="2023-06", typed="zzdx", school="郑州大学", major="内科学")  # fmt: skip
    page.locator("#id_edu-1-entry_date").fill("2020/9")
    page.locator("#id_edu-1-major_name").focus()
    assert "has-error" in page.locator("#id_edu-1-entry_date_group").get_attribute("class")
    page.locator("#id_edu-1-entry_date").fill("2020-09")

    page.locator("#trainings [data-add-entry]").click()
    page.locator("#id_trn-0-kind").select_option("住院医师规范化培训")
    page.locator("#id_trn-0-base_name").fill("郑州大学第一附属医院")
    page.locator("#id_trn-0-major_name").fill("内科")
    page.locator("#id_trn-0-start_date").fill("2023-09")
    page.locator("#id_trn-0-end_date").fill("2026-08")

    page.locator("#certificates [data-add-entry]").click()
    page.locator("#id_crt-0-cert_type").select_option("医师资格证书")
    page.locator("#id_crt-0-issue_date").fill("2022-01")
    page.locator("#id_crt-0-number").fill("202241110410102199")
    shot(page, "profile-03-filled")

    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    assert "个人信息已保存" in page.content()

    page.reload()
    for group in GROUPS:
        group_shot(page, group)
    assert page.locator("#id_work-work_unit_name").input_value() == unit
    assert page.locator("#id_edu-0-school_name").input_value() in ("北京大学", "郑州大学")
    profile = Profile.objects.get(candidate=candidate)
    assert profile.work_unit_code and profile.post_category == "临床"
    assert set(
        Education.objects.filter(candidate=candidate).values_list("school_name", flat=True)
    ) == {"北京大学", "郑州大学"}
    assert Training.objects.filter(candidate=candidate).count() == 1
    assert Certificate.objects.filter(candidate=candidate).count() == 1
    shot(page, "profile-04-reloaded-desktop")


def group_shot(page, group, name=None):
    """One group's screenshot. The sticky 提交 bar is put back in the flow meanwhile, so it
    does not cover the middle of the picture (through the CSSOM: the CSP refuses the
    <style> that screenshot(style=…) would add)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"profile-group-{name or group}.png"
    bar = page.locator(".submit-bar")
    bar.evaluate("bar => { bar.style.position = 'static'; }")
    page.locator(f"#{group}").screenshot(path=str(path))
    bar.evaluate("bar => { bar.style.position = ''; }")


def test_profile_on_a_phone(phone_page, directory, shot):
    candidate = make_candidate()
    # One locked and one verified entry, to see their read-only details on a phone.
    Education.objects.filter(pk=make_bachelor_profile(candidate).pk).update(locked=True)
    Certificate.objects.create(candidate=candidate, cert_type="医师资格证书", issue_date="2022-01",
                               number="202241110410102199", verified=True)  # fmt: skip
    login(phone_page, candidate)
    phone_page.locator("#educations [data-add-entry]").click()
    phone_page.locator("#trainings [data-add-entry]").click()
    phone_page.locator("#certificates [data-add-entry]").click()
    assert phone_page.viewport_size["width"] == 375
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone_page.locator("#educations .entry-facts dt").first.inner_text() == "学历层次"
    shot(phone_page, "profile-05-phone")
    for group in GROUPS:
        assert phone_page.locator(f"#{group}").bounding_box()["width"] <= 375
        group_shot(phone_page, group, f"phone-{group}")


def test_empty_required_entry_field_is_red_on_blur_and_minus_removes(page, shot):
    candidate = make_candidate()
    kept = make_bachelor_profile(candidate, graduation="2024-06")
    make_bachelor_profile(candidate, graduation="2020-06")
    Certificate.objects.create(candidate=candidate, cert_type="医师执业证书", issue_date="2022-01",
                               number="110410100000123", registration_date="2022-03",
                               practice_category="临床", practice_scope="内科专业",
                               locked=True, verified=True)  # fmt: skip
    login(page, candidate)
    assert page.locator("#certificates .entry-facts").inner_text().count("\n") >= 5
    group_shot(page, "certificates", "readonly-desktop")
    # Newest first: entry 0 is the 2024 one, entry 1 the 2020 one.
    assert page.locator("#id_edu-1-graduation_date").input_value() == "2020-06"

    # Leaving an empty required field of an entry outlines it in red.
    for name in ["entry_date", "school_name"]:
        page.locator(f"#id_edu-0-{name}").fill("")
        page.locator("#id_edu-0-diploma_number").focus()
        assert "has-error" in page.locator(f"#id_edu-0-{name}_group").get_attribute("class")
    page.locator("#id_edu-0-level").focus()  # select_option alone does not focus
    page.locator("#id_edu-0-level").select_option("")
    page.locator("#id_edu-0-diploma_number").focus()
    assert "has-error" in page.locator("#id_edu-0-level_group").get_attribute("class")
    # An optional field left empty is not; a refilled one is no longer red.
    page.locator("#id_edu-0-diploma_number").fill("")
    page.locator("#id_edu-0-entry_date").focus()
    assert "has-error" not in page.locator("#id_edu-0-diploma_number_group").get_attribute("class")
    page.locator("#id_edu-0-entry_date").fill("2019-09")
    page.locator("#id_edu-0-level").focus()
    page.locator("#id_edu-0-level").select_option("本科")
    page.locator("#id_edu-0-school_name").fill("郑州大学")
    page.locator("#id_edu-0-diploma_number").focus()
    for name in ["entry_date", "level", "school_name"]:
        assert "has-error" not in page.locator(f"#id_edu-0-{name}_group").get_attribute("class")

    # An entry added in the page is checked the same way.
    page.locator("#educations [data-add-entry]").click()
    page.locator("#id_edu-2-entry_date").focus()
    page.locator("#id_edu-2-graduation_date").focus()
    assert "has-error" in page.locator("#id_edu-2-entry_date_group").get_attribute("class")

    # "−" replaces the checkbox: it ticks it, greys the entry, and 撤销 undoes it.
    second = page.locator("#educations fieldset.entry").nth(1)
    assert not page.locator("#id_edu-1-DELETE").is_visible()
    second.get_by_role("button", name="删除此条").click()
    assert page.locator("#id_edu-1-DELETE").is_checked()
    assert "removing" in second.get_attribute("class")
    second.get_by_role("button", name="撤销").click()
    assert not page.locator("#id_edu-1-DELETE").is_checked()
    assert "removing" not in second.get_attribute("class")
    second.get_by_role("button", name="删除此条").click()
    assert second.get_by_role("button", name="撤销").evaluate("b => b === document.activeElement")
    shot(page, "profile-06-removing-desktop")
    group_shot(page, "educations", "removing")

    page.get_by_role("button", name="提交", exact=True).click()
    page.wait_for_load_state()
    assert "个人信息已保存" in page.content()
    remaining = Education.objects.filter(candidate=candidate)
    assert [(e.pk, e.school_name, e.entry_date) for e in remaining] == [
        (kept.pk, "郑州大学", "2019-09")
    ]


def test_without_javascript_the_delete_checkbox_removes(browser, live_server):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, base_url=live_server.url, java_script_enabled=False
    )
    page = context.new_page()
    try:
        login(page, candidate)
        assert not page.get_by_role("button", name="删除此条").is_visible()
        page.get_by_label("删除此条（提交后生效）").check()
        group_shot(page, "educations", "phone-nojs-educations")
        page.get_by_role("button", name="提交", exact=True).click()
        page.wait_for_load_state()
        assert "个人信息已保存" in page.content()
        assert not Education.objects.filter(candidate=candidate).exists()
    finally:
        context.close()
