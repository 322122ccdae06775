"""Payments under real threads: one genuine signed notification posted 50 times from 8
threads at once to the live server pays once; two tabs opening the order make one order;
two deadline-close runs at once expire each registration once.

The notification is the simulator's own (scripts/paysim.py, signed with the platform's
private key, caught on its way to a receiver), so our notify view checks a real signature
in every one of the 50 requests."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import timedelta

import pytest
import rush
from django.db import connection
from django.utils import timezone
from payment_fixtures import *  # noqa: F403  (the simulator, keys, approved, site_gateway …)
from payment_helpers import approve, fee_schedule

from yikao.core.models import AuditEntry
from yikao.inbox.models import Message
from yikao.payments import services
from yikao.payments.models import Order, OrderStatus, Payment, Refund
from yikao.registrations.models import Registration, Status

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


THREADS = 8
COPIES = 50


def at_once(calls: list, threads: int):
    """Run the calls from `threads` threads released together; each result (or the
    exception's repr) in the calls' order."""
    pending = list(enumerate(calls))
    lock = threading.Lock()
    barrier = threading.Barrier(threads)
    results = [None] * len(calls)

    def worker():
        barrier.wait()
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    index, call = pending.pop()
                try:
                    results[index] = call()
                except Exception as exc:  # reported by the caller's assertion
                    results[index] = repr(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    return results


def post_form(url: str, form: dict) -> tuple[int, str]:
    body = urllib.parse.urlencode(form).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=60) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as answer:
        return answer.code, answer.read().decode()


def signed_notification(gateway, receiver, order, live_server) -> dict:
    """Pay the order at the simulator at once and catch the notification it sends."""
    request = gateway.pay_request(
        order.order_no,
        order.amount_fen,
        subject="医师资格考试 考试费",
        notify_url=receiver.url,
        return_url=f"{live_server.url}/payments/return/",
    )
    gateway.create_payment(request, flags={"auto": "success"})
    (notification,) = receiver.take(1)
    assert notification["status"] == "SUCCESS" and notification["sign"]
    return notification


def test_fifty_copies_of_one_notification_from_eight_threads_pay_once(
    approved, site_gateway, receiver, live_server
):
    order = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    notification = signed_notification(site_gateway, receiver, order, live_server)
    notify_url = f"{live_server.url}/payments/notify/"

    answers = at_once([lambda: post_form(notify_url, notification)] * COPIES, THREADS)

    assert Counter(answers) == {(200, "SUCCESS"): COPIES}, Counter(map(str, answers))
    order.refresh_from_db()
    approved.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.trade_no == notification["trade_no"]
    assert approved.status == Status.PAID
    assert Payment.objects.filter(order=order).count() == 1
    assert not Refund.objects.exists()
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
    assert Message.objects.filter(candidate=approved.candidate, title="缴费成功").count() == 1


def test_two_tabs_opening_the_order_at_once_make_one_order(approved):
    jobs = [
        lambda: services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    ] * 2
    results = rush.run_at_once(jobs, refusal=services.PaymentError)
    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert len({pk for _, pk in results}) == 1
    assert Order.objects.filter(registration=approved).count() == 1
    assert AuditEntry.objects.filter(action="payment.order_created").count() == 1


def test_two_deadline_closes_at_once_expire_each_registration_once(
    pay_exam, pay_site, site_gateway, receiver, live_server
):
    """Six unpaid registrations, three of them with an online order the platform never
    saw, and one more paid at the platform whose notification never reached us: both
    runs query the platform and race for the same rows."""
    from review_helpers import make_registration

    fee_schedule(pay_exam, pay_site.area)
    unpaid = [approve(make_registration(pay_exam, pay_site)) for _ in range(6)]
    for registration in unpaid[:3]:
        services.order_open(candidate=registration.candidate, registration_pk=registration.pk)
    paid_there = approve(make_registration(pay_exam, pay_site))
    order = services.order_open(candidate=paid_there.candidate, registration_pk=paid_there.pk)
    signed_notification(site_gateway, receiver, order, live_server)  # caught, never delivered
    pay_exam.payment_deadline = timezone.now() - timedelta(minutes=1)
    pay_exam.save(update_fields=["payment_deadline"])

    reports = at_once([services.close_unpaid] * 2, 2)

    assert all(isinstance(r, services.CloseReport) for r in reports), reports
    assert sum(r.expired for r in reports) == 6
    assert sum(r.paid_late_found for r in reports) == 1
    assert sum(r.unverified for r in reports) == 0
    pks = [r.pk for r in unpaid]
    assert set(Registration.objects.filter(pk__in=pks).values_list("status", flat=True)) == {
        Status.UNPAID
    }
    expired = Counter(
        AuditEntry.objects.filter(action="payment.unpaid").values_list("target_id", flat=True)
    )
    assert expired == Counter({str(pk): 1 for pk in pks})
    titles = Counter(
        Message.objects.filter(title="未缴费，视为放弃").values_list("candidate", flat=True)
    )
    assert titles == Counter({r.candidate_id: 1 for r in unpaid})
    closed = Order.objects.filter(registration__in=pks)
    assert set(closed.values_list("status", flat=True)) == {OrderStatus.CLOSED}
    paid_there.refresh_from_db()
    assert paid_there.status == Status.PAID
    assert Payment.objects.filter(order=order).count() == 1
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
