"""The notification address against signed messages made here with the simulator's own
platform key: genuine, repeated, late, out of order, for a closed order, forged, tampered,
stale, unknown. Each is answered once and changes at most once."""

import secrets
import time
from datetime import datetime, timedelta, timezone

import pytest
from payment_helpers import fee_schedule

from yikao.core.models import AuditEntry
from yikao.inbox.models import Message
from yikao.payments import services
from yikao.payments.gateway import ensure_key_pair, load_private_key, sign
from yikao.payments.models import Order, OrderStatus, Payment, Refund, RefundReason
from yikao.registrations.models import Registration, Status

CHINA = timezone(timedelta(hours=8))


@pytest.fixture
def platform_key(keys, our_gateway):
    return load_private_key(keys / "platform" / "platform_private.pem")


@pytest.fixture
def order(approved, our_gateway):
    return services.order_open(candidate=approved.candidate, registration_pk=approved.pk)


def notification(key, order, *, trade_no="T0001", amount=None, status="SUCCESS", age=0, **extra):
    params = {
        "merchant_id": "YIKAO",
        "order_no": order.order_no,
        "trade_no": trade_no,
        "amount": str(order.amount_fen if amount is None else amount),
        "status": status,
        "paid_at": datetime.now(CHINA).isoformat(timespec="seconds") if status == "SUCCESS" else "",
        "notify_id": f"N{trade_no}",
        "timestamp": str(int(time.time()) - age),
        "nonce": secrets.token_hex(8),
        **extra,
    }
    params = {k: v for k, v in params.items() if v != ""}
    params["sign"] = sign(params, key)
    return params


def post(client, params):
    answer = client.post("/payments/notify/", params)
    return answer.status_code, answer.content.decode()


def test_a_genuine_notification_pays_once(client, platform_key, order):
    params = notification(platform_key, order)
    assert post(client, params) == (200, "SUCCESS")
    # The same event again (a retry, re-signed) and the very same message replayed.
    assert post(client, notification(platform_key, order)) == (200, "SUCCESS")
    assert post(client, params) == (200, "SUCCESS")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.trade_no == "T0001"
    assert Payment.objects.filter(order=order).count() == 1
    assert order.registration.__class__.objects.get(pk=order.registration_id).status == Status.PAID
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
    assert Message.objects.filter(title="缴费成功").count() == 1
    assert not Refund.objects.exists()


def test_a_second_trade_for_a_paid_order_becomes_a_refund(client, platform_key, order):
    post(client, notification(platform_key, order, trade_no="T0001"))
    assert post(client, notification(platform_key, order, trade_no="T0002")) == (200, "SUCCESS")
    refund = Refund.objects.get()
    assert refund.reason == RefundReason.DUPLICATE and refund.payment.reference == "T0002"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.trade_no == "T0001"
    assert AuditEntry.objects.filter(action="payment.refund_due").count() == 1


def test_a_failure_told_after_the_success_changes_nothing(client, platform_key, order):
    post(client, notification(platform_key, order))
    assert post(client, notification(platform_key, order, trade_no="T0000", status="FAIL")) == (
        200,
        "SUCCESS",
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert Payment.objects.count() == 1


def test_money_for_a_closed_order_is_refunded_and_the_registration_stays_ended(
    client, platform_key, order
):
    exam = order.registration.exam
    exam.payment_deadline = datetime.now(CHINA) - timedelta(minutes=1)
    exam.save(update_fields=["payment_deadline"])
    # The platform knows no payment for it yet (the close queries it first).
    assert services.close_unpaid().expired == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED
    assert post(client, notification(platform_key, order)) == (200, "SUCCESS")
    refund = Refund.objects.get()
    assert refund.reason == RefundReason.AFTER_CLOSE
    assert Registration.objects.get(pk=order.registration_id).status == Status.UNPAID


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("forged", "BAD_SIGNATURE"),
        ("tampered_amount", "BAD_SIGNATURE"),
        ("unsigned", "MISSING_SIGNATURE"),
        ("stale", "STALE"),
        ("wrong_amount_signed", "AMOUNT_MISMATCH"),
    ],
)
def test_refused_notifications_are_audited_and_change_nothing(
    client, platform_key, order, tmp_path, case, code
):
    if case == "forged":
        other = ensure_key_pair(tmp_path / "x.pem", tmp_path / "x.pub")
        params = notification(other, order)
    elif case == "tampered_amount":
        params = notification(platform_key, order) | {"amount": "1"}
    elif case == "unsigned":
        params = notification(platform_key, order)
        del params["sign"]
    elif case == "stale":
        params = notification(platform_key, order, age=3600)
    else:
        params = notification(platform_key, order, amount=order.amount_fen - 100)
    assert post(client, params) == (400, "FAIL")
    refused = AuditEntry.objects.get(action="payment.notify_refused")
    assert refused.reason == code
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert not Payment.objects.exists()


def test_an_unknown_order_is_answered_without_side_effects(client, platform_key, order):
    before = AuditEntry.objects.count()
    fake = Order(order_no="Y999999999999999901", amount_fen=100)
    assert post(client, notification(platform_key, fake)) == (200, "SUCCESS")
    assert not Payment.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_amount_is_frozen_in_the_order(client, approved, our_gateway):
    first = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    fee_schedule(approved.exam, approved.site.area, written=99900, skills=99900)
    again = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    assert again.pk == first.pk and again.amount_fen == 54000
    assert [line["amount_fen"] for line in again.items] == [30000, 24000]


def test_a_flood_of_forged_notifications_is_audited_up_to_the_cap(client, order, tmp_path):
    from yikao.payments.views import REFUSALS_AUDITED_PER_MINUTE

    other = ensure_key_pair(tmp_path / "x.pem", tmp_path / "x.pub")
    for _ in range(REFUSALS_AUDITED_PER_MINUTE + 5):
        assert post(client, notification(other, order)) == (400, "FAIL")
    audited = AuditEntry.objects.filter(action="payment.notify_refused").count()
    assert audited == REFUSALS_AUDITED_PER_MINUTE
