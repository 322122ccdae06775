"""/admin/ logs in in Chinese, with one submit, and still asks for password and code."""

import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_totp.models import TOTPDevice
from review_helpers import totp_now

pytestmark = pytest.mark.django_db
PASSWORD = "Admin2026pass"


def _visible(html: str) -> str:
    body = html[html.find("<body") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_admin_login_page_is_chinese_with_one_submit(client):
    html = client.get("/admin/login/?next=/admin/").content.decode()
    text = _visible(html)
    for words in ("医考管理后台", "用户名：", "密码：", "动态验证码：", "身份验证器"):
        assert words in text, words
    assert not re.search(r"OTP|Token|Log in|Django|Challenge", text), text
    assert re.findall(r'type="submit"', html) == ['type="submit"']
    assert 'value="登录"' in html


def test_admin_login_still_needs_password_and_code(client):
    root = get_user_model().objects.create_superuser("root", PASSWORD)
    device = TOTPDevice.objects.create(user=root, name="默认", confirmed=True)
    data = {"username": "root", "password": PASSWORD, "next": "/admin/"}
    refused = client.post("/admin/login/", {**data, "otp_token": ""})
    assert refused.status_code == 200
    [error] = re.findall(r'<p class="errornote">(.*?)</p>', refused.content.decode())
    assert "请输入一个正确的" in error  # as a wrong password: the code is part of the check
    response = client.post("/admin/login/", {**data, "otp_token": totp_now(device)})
    assert response.status_code == 302
    index = client.get("/admin/").content.decode()
    assert "医考管理后台" in index and "数据管理" in index
