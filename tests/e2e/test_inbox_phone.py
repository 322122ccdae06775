"""站内消息 on a phone: a returned registration shows on 首页 as an unread message; the
list page reads well at 375 px and marks it read."""

import sys
from pathlib import Path

import pytest
from factories import DEFAULT_PASSWORD, make_exam, make_site

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "review"))
from review_helpers import make_registration, make_staff

from yikao.review.services import review_return

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_returned_registration_is_a_message_on_the_phone(phone_page, shot):
    exam = make_exam()
    site = make_site(exam, code="4101")
    registration = make_registration(exam, site)
    staff = make_staff("kaodian_inbox", "site", site=site)
    review_return(staff=staff, registration=registration, reason="照片背景不是白色，请重新上传。")

    page = phone_page
    page.goto("/accounts/login/")
    page.get_by_label("用户名或证件号码").fill(registration.candidate.user.username)
    page.get_by_label("密码").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/")
    latest = page.locator(".inbox-latest")
    assert "2条未读" in latest.inner_text()
    assert "报名被考点退回" in latest.inner_text()
    shot(page, "inbox-home-375")

    latest.get_by_role("link", name="报名被考点退回").click()
    page.wait_for_url("**/messages/")
    body = page.locator("main").inner_text()
    assert "退回原因：照片背景不是白色，请重新上传。" in body
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "inbox-list-375")
    page.goto("/")
    assert "条未读" not in page.locator(".inbox-latest").inner_text()
