"""The payment back office in a browser at 375 px and 1280 px: every page fits without
sideways scrolling; a counter payment is recorded through the form; screenshots under
test-results/screenshots/ (pay-staff-*-phone.png, pay-staff-*-desktop.png)."""

import datetime

import pytest
from django.utils import timezone
from factories import make_exam, make_site
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration, make_staff, staff_session_cookie

from yikao.payments import reconcile, services
from yikao.payments.gateway import StatementRow
from yikao.payments.models import Channel, Source
from yikao.registrations.models import Registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _world():
    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    site = make_site(exam, code="4101", capacity=300)
    other = make_site(exam, code="4102", capacity=300)
    fee_schedule(exam, site.area, skills=30000)
    names = ("王小明", "欧阳娜娜", "李华", "张伟")
    regs = [approve(make_registration(exam, s, full_name=n))
            for s, n in zip((site, site, other, site), names, strict=True)]  # fmt: skip
    everyone = Registration.objects.all()
    orders = [services.order_ensure(everyone, r.pk, actor=None) for r in regs[:3]]
    now = timezone.now()
    for order, trade in ((orders[0], "PS20270305000001"), (orders[1], "PS20270305000002")):
        services.settle(order_no=order.order_no, channel=Channel.ONLINE, reference=trade,
                        amount_fen=order.amount_fen, paid_at=now, source=Source.NOTIFY)  # fmt: skip
    # A duplicate payment: a refund to make.
    services.settle(order_no=orders[0].order_no, channel=Channel.ONLINE,
                    reference="PS20270305000009", amount_fen=orders[0].amount_fen, paid_at=now,
                    source=Source.NOTIFY)  # fmt: skip
    day = timezone.localdate()
    reconcile.import_statement(date=day, actor=None, rows=[
        StatementRow("PS20270305000001", orders[0].order_no, 54000, "", "SUCCESS"),
        StatementRow("PS20270305000002", orders[1].order_no, 50000, "", "SUCCESS"),
        StatementRow("PS20270305000003", orders[2].order_no, 54000, "", "SUCCESS"),
        StatementRow("PS20270305000004", "Y2027999999999999901", 54000, "", "SUCCESS"),
    ])  # fmt: skip
    area = make_staff("kaoqu41", "area", area=site.area)
    counter = make_staff("kaodian4101", "site", site=site)
    return exam, site, regs, area, counter


def _fits(page, width: int, name: str) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{name}: the page scrolls sideways ({scroll}px > {width}px)"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_payment_staff_pages(viewport, page, phone_page, shot, live_server):
    browser_page = phone_page if viewport == "phone" else page
    width = 375 if viewport == "phone" else 1280
    exam, _site, regs, area, counter = _world()

    browser_page.context.add_cookies(staff_session_cookie(area, live_server.url))
    pages = {
        "home": "/payments/staff/",
        "fees": f"/payments/staff/fees/?exam={exam.pk}",
        "statements": "/payments/staff/statements/",
        "refunds": "/payments/staff/refunds/",
        "totals": f"/payments/staff/totals/?exam={exam.pk}",
    }
    for name, url in pages.items():
        response = browser_page.goto(url)
        assert response.status == 200, (name, url)
        _fits(browser_page, width, name)
        shot(browser_page, f"pay-staff-{name}-{viewport}")
    # A bad amount: the message next to its field.
    browser_page.goto(pages["fees"])
    browser_page.get_by_label("临床执业医师 实践技能考试费（元）").fill("12.345")
    browser_page.get_by_role("button", name="保存收费标准").click()
    browser_page.wait_for_load_state()
    assert "金额最多保留两位小数" in browser_page.content()
    _fits(browser_page, width, "fees-error")
    shot(browser_page, f"pay-staff-fees-error-{viewport}")
    # From the review nav to here.
    browser_page.goto("/review/")
    browser_page.get_by_role("link", name="缴费", exact=True).click()
    browser_page.wait_for_load_state()
    assert "缴费管理" in browser_page.content()

    browser_page.context.clear_cookies()
    browser_page.context.add_cookies(staff_session_cookie(counter, live_server.url))
    browser_page.goto("/payments/staff/counter/")
    browser_page.get_by_label("报名号").fill(regs[3].number)
    browser_page.get_by_role("button", name="查找").click()
    browser_page.wait_for_load_state()
    assert "登记缴费 540.00 元" in browser_page.content()
    _fits(browser_page, width, "counter")
    shot(browser_page, f"pay-staff-counter-{viewport}")
    browser_page.get_by_label("票据号").fill("ＨＮ-2027-000１")
    browser_page.get_by_role("button", name="登记缴费 540.00 元").click()
    browser_page.wait_for_load_state()
    assert "已登记缴费" in browser_page.content() and "HN-2027-0001" in browser_page.content()
    _fits(browser_page, width, "counter-paid")
    shot(browser_page, f"pay-staff-counter-paid-{viewport}")
    regs[3].refresh_from_db()
    assert regs[3].status == "paid"
