"""The candidate's online payment through our real pages and the simulator process: the
order, the cashier, the signed notification to the live server, the return redirect."""

import pytest
from payment_fixtures import press, wait_for

from yikao.payments.models import Order, OrderStatus, Payment
from yikao.registrations.models import Status

pytestmark = pytest.mark.django_db(transaction=True)


def test_pay_online_from_approved_to_paid(client, approved, site_gateway):
    client.force_login(approved.candidate.user)
    page = client.get(f"/payments/{approved.pk}/")
    assert "去支付 540.00 元" in page.content.decode()
    started = client.post(f"/payments/{approved.pk}/start/")
    assert started.status_code == 302
    order = Order.objects.get(registration=approved)
    assert order.amount_fen == 54000 and order.status == OrderStatus.PENDING
    back = press(started["Location"])
    wait_for(lambda: Order.objects.get(pk=order.pk).status == OrderStatus.PAID)
    approved.refresh_from_db()
    assert approved.status == Status.PAID
    shown = client.get(back, follow=True).content.decode()
    assert "已缴费" in shown and order.order_no in shown
    assert Payment.objects.filter(order=order).count() == 1


def test_platform_down_shows_the_message_and_charges_nothing(client, approved, site_gateway, ctl):
    ctl("down")
    client.force_login(approved.candidate.user)
    shown = client.post(f"/payments/{approved.pk}/start/", follow=True).content.decode()
    assert "支付平台暂时无法访问，请稍后再试。您未被扣款。" in shown
    assert not Payment.objects.exists()
    ctl("up")
    assert client.post(f"/payments/{approved.pk}/start/").status_code == 302
    assert Order.objects.filter(registration=approved).count() == 1
