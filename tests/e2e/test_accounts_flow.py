"""A new candidate: sign up, log out, get locked out, recover, log in, change the password."""

import pytest
from factories import resident_id

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fill_signup(page, number):
    page.goto("/accounts/register/")
    page.get_by_label("姓名").fill("王小明")
    page.get_by_label("证件类型").select_option("resident_id")
    page.get_by_label("证件号码").fill(number)
    page.get_by_label("用户名").fill("wangxm2026")
    page.get_by_label("密码", exact=True).fill("Secret2026a")
    page.get_by_label("确认密码").fill("Secret2026a")
    page.get_by_label("密码提示问题").fill("您的出生地是？")
    page.get_by_label("密码提示答案").fill("河南郑州")
    page.get_by_label("电子邮箱").fill("")
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("我已阅读并同意").check()


def login(page, username, password):
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_candidate_account_lifecycle(page, shot):
    number = resident_id(birth="19980520", seq=11)

    # Sign-up with one mistake first: the error sits next to its field, typed values stay.
    fill_signup(page, number)
    page.get_by_label("手机号码").fill("12345")
    page.get_by_role("button", name="注册").click()
    assert page.locator("#id_mobile_error").inner_text().startswith("手机号码应为11位数字")
    assert page.get_by_label("姓名").input_value() == "王小明"
    assert page.get_by_label("密码", exact=True).input_value() == ""
    shot(page, "accounts-01-register-error")

    fill_signup(page, number)
    shot(page, "accounts-02-register-filled")
    page.get_by_role("button", name="注册").click()
    page.wait_for_url("**/profile/")
    assert "王小明" in page.content()
    shot(page, "accounts-03-first-landing-profile")

    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/")
    shot(page, "accounts-04-home-logged-out")

    for _ in range(5):
        login(page, "wangxm2026", "Wrong2026pass")
    login(page, "wangxm2026", "Secret2026a")
    assert "已被暂时锁定" in page.content()
    shot(page, "accounts-05-locked")

    page.get_by_role("link", name="忘记密码？").click()
    page.get_by_label("证件号码").fill(number)
    page.get_by_role("button", name="下一步").click()
    assert "您的出生地是？" in page.content()
    page.get_by_label("密码提示答案").fill("河南郑州")
    page.get_by_label("新密码", exact=True).fill("Recovered2027")
    page.get_by_label("确认新密码").fill("Recovered2027")
    shot(page, "accounts-06-recovery")
    page.get_by_role("button", name="重置密码").click()
    page.wait_for_url("**/accounts/login/")

    login(page, number, "Recovered2027")  # by ID number this time
    page.wait_for_url(lambda url: url.endswith("/"))
    shot(page, "accounts-07-home-logged-in")

    page.get_by_role("link", name="安全设置").click()
    shot(page, "accounts-08-security")
    page.get_by_role("link", name="修改密码", exact=True).click()
    page.get_by_label("原密码").fill("Recovered2027")
    page.get_by_label("新密码", exact=True).fill("Changed2028b")
    page.get_by_label("确认新密码").fill("Changed2028b")
    page.get_by_role("button", name="确认修改").click()
    assert "密码已修改" in page.content()
    shot(page, "accounts-09-password-changed")

    page.get_by_role("button", name="退出").click()
    login(page, "wangxm2026", "Changed2028b")
    page.wait_for_url(lambda url: url.endswith("/"))


def test_pages_on_a_phone(phone_page, shot):
    for path, name in [
        ("/", "home"),
        ("/accounts/register/", "register"),
        ("/accounts/login/", "login"),
        ("/accounts/recover/", "recover"),
        ("/terms/", "terms"),
    ]:
        phone_page.goto(path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px)"
        shot(phone_page, f"phone-{name}")
