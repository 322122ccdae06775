"""The work-unit picker finds a unit by pinyin initials from a word start inside its name
(人民医院 → rmyy) and by a place's other reading (召陵 shào líng)."""

import pytest
from django.core.management import call_command
from factories import DEFAULT_PASSWORD, make_candidate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def candidate_login():
    call_command("load_directory", counties="410102,411104", verbosity=0)
    return make_candidate().user.username


def login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_pick_a_unit_by_initials_of_a_word_inside_its_name(
    phone, page, phone_page, shot, candidate_login
):
    page = phone_page if phone else page
    login(page, candidate_login)
    page.goto("/directory/institutions/pick/?region=4101&next=/terms/")
    page.get_by_label("在郑州市搜索：单位名称、拼音首字母或机构代码").fill("rmyy")
    page.get_by_role("button", name="搜索").click()
    shot(page, f"directory-word-start-{'phone' if phone else 'desktop'}")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"picker scrolls sideways ({width}px)"
    page.get_by_role("link", name="选择 郑州市第一人民医院").click()
    page.wait_for_url("**/terms/?institution=*")

    page.goto("/directory/institutions/pick/?region=41&next=/terms/")
    page.get_by_label("在河南省搜索：单位名称、拼音首字母或机构代码").fill("slqrmyy")
    page.get_by_role("button", name="搜索").click()
    assert page.get_by_role("link", name="选择 漯河市召陵区人民医院").is_visible()
