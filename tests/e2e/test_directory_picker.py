"""Pick a work unit: region drill-down, search by initials, choose; the manual entry; the
school autocomplete (keyboard)."""

import pytest
from django.core.management import call_command
from factories import DEFAULT_PASSWORD, make_candidate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate_login():
    call_command("load_directory", counties="410102,110101", verbosity=0)
    candidate = make_candidate()
    return candidate.user.username


def login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def pick_through_regions(page, shot, prefix):
    page.goto("/directory/institutions/pick/?next=/terms/")
    page.get_by_role("link", name="河南省").click()
    page.get_by_role("link", name="郑州市").click()
    page.get_by_role("link", name="中原区").click()
    assert page.get_by_text("郑州市中原区人民医院").is_visible()
    page.get_by_label("在中原区搜索：单位名称、拼音首字母或机构代码").fill("lszjd")
    page.get_by_role("button", name="搜索").click()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"picker scrolls sideways ({width}px)"
    shot(page, f"{prefix}-01-picker-results")
    page.get_by_role("link", name="选择 郑州市中原区林山寨街道社区卫生服务中心").click()
    page.wait_for_url("**/terms/?institution=4101020010002101")


def test_pick_a_work_unit_on_a_phone(phone_page, shot, candidate_login):
    login(phone_page, candidate_login)
    pick_through_regions(phone_page, shot, "directory-phone")


def test_pick_a_work_unit_on_desktop_and_enter_one_by_hand(page, shot, candidate_login):
    login(page, candidate_login)
    pick_through_regions(page, shot, "directory-desktop")

    page.goto("/directory/institutions/pick/?region=410102&q=幸福&next=/terms/")
    page.get_by_role("link", name="未找到单位？手动填写").click()
    assert page.get_by_label("所在区县").input_value() == "410102"
    page.get_by_label("单位全称").fill("郑州市中原区幸福里诊所")
    page.get_by_role("button", name="保存并选择").click()
    assert page.locator("#id_affiliation_error").inner_text() == "请选择单位隶属关系。"
    shot(page, "directory-desktop-02-manual-error")
    # Changing the province (JS) reloads the city list, keeping what was typed.
    page.get_by_label("所在省份").select_option("11")
    page.wait_for_load_state()
    assert page.get_by_label("单位全称").input_value() == "郑州市中原区幸福里诊所"
    page.get_by_label("所在省份").select_option("41")
    page.wait_for_load_state()
    page.get_by_label("所在城市").select_option("4101")
    page.wait_for_load_state()
    page.get_by_label("所在区县").select_option("410102")
    page.get_by_label("单位隶属").select_option("个人")
    page.get_by_label("机构类别").select_option("诊所")
    page.get_by_role("button", name="保存并选择").click()
    page.wait_for_url("**/terms/?institution=U*")


def test_school_autocomplete_with_the_keyboard(page, shot, candidate_login):
    login(page, candidate_login)
    page.goto("/directory/institutions/pick/")
    # A school field as the profile page renders it; the script enhances it.
    page.evaluate(
        """() => {
        const form = document.createElement('div');
        form.className = 'field';
        form.innerHTML = '<label for="school">毕业学校</label>' +
          '<input type="text" id="school" data-autocomplete-url="/api/v1/directory/schools"' +
          ' data-autocomplete-target="school_code"><input type="hidden" id="school_code">' +
          '<label for="other">其他</label><input type="text" id="other">';
        document.querySelector('.directory-picker').prepend(form);
    }"""
    )
    page.add_script_tag(url="/static/js/autocomplete.js")
    school = page.get_by_role("combobox", name="毕业学校")
    school.fill("bjdx")
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert page.get_by_role("option").first.inner_text().startswith("北京大学")
    shot(page, "directory-desktop-03-autocomplete")
    school.press("ArrowDown")
    assert page.get_by_role("option").first.get_attribute("aria-selected") == "true"
    school.press("Enter")
    assert school.input_value() == "北京大学"
    assert page.locator("#school_code").input_value() == "4111010001"
    page.get_by_label("其他").click()
    assert "matched" in school.get_attribute("class")
    school.fill("")
    page.get_by_label("其他").click()
    assert "empty" in school.get_attribute("class")
    assert page.locator("#school_code").input_value() == ""
