"""个人信息 autocomplete in a real browser: "nkx" finds the graduate major 内科学 in a styled
listbox (name and details on two lines), choosing it shows the grey "系统中已有" state, and
a value the list does not have says it will be checked. Desktop (keyboard) and a 375-px
phone (tap); screenshots in test-results/screenshots/."""

import pytest
from django.core.management import call_command
from factories import DEFAULT_PASSWORD, make_candidate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

UNLISTED = "列表中没有此项，将按您填写的保存，审核时核对"


@pytest.fixture
def directory():
    call_command("load_directory", "--counties", "410102", "--no-progress", verbosity=0)


def login(page, candidate):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/profile/")


def add_graduate_education(page):
    page.locator("#educations [data-add-entry]").click()
    page.locator("#id_edu-0-level").select_option("研究生（硕士）")


def type_nkx_and_check_the_list(page):
    box = page.locator("#id_edu-0-major_name")
    box.scroll_into_view_if_needed()
    box.click()
    box.type("nkx", delay=40)
    listbox = page.get_by_role("listbox")
    listbox.wait_for(state="visible")
    first = listbox.get_by_role("option").first
    assert first.locator(".ac-name").inner_text() == "内科学"
    assert "研究生" in first.locator(".ac-details").inner_text()
    assert "100201" in first.locator(".ac-details").inner_text()
    assert box.get_attribute("aria-expanded") == "true"
    style = page.evaluate(
        """() => {
          const list = document.querySelector('.ac-list:not([hidden])');
          const li = list.querySelector('[role=option]');
          const name = li.querySelector('.ac-name'), details = li.querySelector('.ac-details');
          const s = (el) => getComputedStyle(el);
          return {
            listStyle: s(list).listStyleType, position: s(list).position,
            background: s(list).backgroundColor, border: s(list).borderTopStyle,
            optionHeight: li.getBoundingClientRect().height,
            nameTop: name.getBoundingClientRect().top,
            detailsTop: details.getBoundingClientRect().top,
            nameSize: parseFloat(s(name).fontSize), detailsSize: parseFloat(s(details).fontSize),
            detailsColor: s(details).color, nameColor: s(name).color,
            right: list.getBoundingClientRect().right, viewport: window.innerWidth,
          };
        }"""
    )
    assert style["listStyle"] == "none"
    assert style["position"] == "absolute"
    assert style["background"] == "rgb(255, 255, 255)"
    assert style["border"] == "solid"
    assert style["optionHeight"] >= 44  # a thumb's size
    assert style["detailsTop"] > style["nameTop"]  # two lines
    assert style["detailsSize"] < style["nameSize"]
    assert style["detailsColor"] != style["nameColor"]
    assert style["right"] <= style["viewport"]
    return box


def assert_matched(page, box):
    assert "matched" in box.get_attribute("class")
    assert page.locator("#id_edu-0-major_code").input_value() == "100201"
    note = page.locator("#id_edu-0-major_name-ac-note")
    assert note.is_visible()
    assert note.inner_text().strip() == "系统中已有"
    background = box.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(238, 241, 244)"  # grey, not the white of other inputs
    assert "id_edu-0-major_name-ac-note" in box.get_attribute("aria-describedby")


def assert_unlisted(page):
    school = page.locator("#id_edu-0-school_name")
    school.click()
    school.type("不存在的示例医学院", delay=20)
    page.wait_for_timeout(400)  # the search answers (nothing)
    page.locator("#id_edu-0-major_name").focus()
    note = page.locator("#id_edu-0-school_name-ac-note")
    assert note.is_visible()
    assert note.inner_text().strip() == UNLISTED
    assert "matched" not in school.get_attribute("class")
    assert page.locator("#id_edu-0-school_code").input_value() == ""


def test_autocomplete_nkx_finds_internal_medicine_on_desktop(page, directory, shot):
    login(page, make_candidate())
    add_graduate_education(page)
    box = type_nkx_and_check_the_list(page)
    shot(page, "autocomplete-desktop-01-list")
    box.press("ArrowDown")
    assert (
        page.locator(".ac-list:not([hidden]) [role=option]").first.get_attribute("aria-selected")
        == "true"
    )
    box.press("Enter")
    assert page.locator(".ac-list:not([hidden])").count() == 0
    assert box.input_value() == "内科学"
    assert_matched(page, box)
    assert_unlisted(page)
    shot(page, "autocomplete-desktop-02-matched-and-unlisted")
    # Typing again leaves the matched state.
    box.press("End")
    box.type("x")
    assert "matched" not in box.get_attribute("class")
    assert page.locator("#id_edu-0-major_code").input_value() == ""


def test_autocomplete_nkx_tapped_on_a_phone(phone_page, directory, shot):
    page = phone_page
    login(page, make_candidate())
    add_graduate_education(page)
    box = type_nkx_and_check_the_list(page)
    shot(page, "autocomplete-phone-01-list")
    page.locator(".ac-list:not([hidden]) [role=option]").first.tap()
    assert box.input_value() == "内科学"
    assert_matched(page, box)
    assert_unlisted(page)
    shot(page, "autocomplete-phone-02-matched-and-unlisted")


def test_autocomplete_full_name_typed_without_picking_is_matched(page, directory):
    login(page, make_candidate())
    add_graduate_education(page)
    box = page.locator("#id_edu-0-major_name")
    box.click()
    box.type("精神病与精神卫生学", delay=40)
    page.get_by_role("listbox").wait_for(state="visible")
    page.locator("#id_edu-0-school_name").focus()
    assert "matched" in box.get_attribute("class")
    assert page.locator("#id_edu-0-major_code").input_value() == "100205"
