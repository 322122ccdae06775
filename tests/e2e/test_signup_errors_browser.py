"""Sign-up errors in a real browser with 居民身份证: nothing under the hidden 性别/出生日期,
each message visible next to its field, the cursor on the first field with an error
(autofocus from the server; no inline script). Desktop and a 375-px phone."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

URL = "/accounts/register/"


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def assert_hidden_fields_quiet(page):
    for group in ("#id_gender_group", "#id_birth_date_group"):
        assert page.locator(group).is_hidden()
        assert page.locator(f"{group} .field-error").count() == 0
        assert "has-error" not in (page.locator(group).get_attribute("class") or "")


def submit(page):
    page.get_by_role("button", name="注册").click()
    page.wait_for_load_state()


def check_empty_submit(page):
    page.goto(URL)
    assert page.get_by_label("证件类型").input_value() == "resident_id"
    assert_hidden_fields_quiet(page)
    submit(page)
    assert_hidden_fields_quiet(page)
    name_error = page.locator("#id_full_name_error")
    assert name_error.is_visible()
    assert name_error.inner_text().strip() == "请填写姓名，与证件上的一致。"
    assert page.locator("#id_id_number_error").inner_text().strip() == "请填写证件号码。"
    assert page.locator("#id_mobile_error").is_visible()
    assert "这个字段是必填项" not in page.content()
    assert focused_id(page) == "id_full_name"


def check_bad_number(page):
    page.goto(URL)
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill("110101199003071234")  # wrong check digit
    page.get_by_label("用户名").fill("wangxm2026")
    page.get_by_label("密码", exact=True).fill("Secret2026a")
    page.get_by_label("确认密码").fill("Secret2026a")
    page.get_by_label("密码提示问题").fill("您的出生地是？")
    page.get_by_label("密码提示答案").fill("河南郑州")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("我已阅读并同意").check()
    submit(page)
    assert_hidden_fields_quiet(page)
    assert page.locator(".field-error").count() == 1
    error = page.locator("#id_id_number_error")
    assert error.is_visible()
    assert "校验位" in error.inner_text()
    assert focused_id(page) == "id_id_number"
    assert page.get_by_label("证件号码").input_value() == "110101199003071234"


def test_signup_errors_on_desktop(page, shot):
    check_empty_submit(page)
    shot(page, "signup-errors-desktop-01-empty")
    check_bad_number(page)
    shot(page, "signup-errors-desktop-02-bad-id")


def test_signup_errors_on_a_phone(phone_page, shot):
    check_empty_submit(phone_page)
    shot(phone_page, "signup-errors-phone-01-empty")
    check_bad_number(phone_page)
    shot(phone_page, "signup-errors-phone-02-bad-id")


def test_signup_passport_shows_gender_and_birth_date_errors(page):
    page.goto(URL)
    page.get_by_label("证件类型").select_option("passport")
    submit(page)
    assert page.locator("#id_gender_group").is_visible()
    assert page.locator("#id_gender_error").inner_text().strip() == "请选择性别。"
    assert page.locator("#id_birth_date_error").is_visible()
