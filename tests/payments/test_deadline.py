"""The deadline close (close_unpaid / manage.py close_unpaid): unpaid → 未缴费（视为放弃）,
the order closed, the seat and the collection booking freed, the candidate told; a late
payment found by query is kept; safe to run twice."""

import datetime
import io
import sys
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from payment_helpers import approve
from review_helpers import make_registration

from yikao.appointments.models import Booking, BookingStatus
from yikao.appointments.services import booking_create
from yikao.core.models import AuditEntry
from yikao.inbox.models import Message
from yikao.payments import services
from yikao.payments.models import Order, OrderStatus, Payment
from yikao.registrations.models import ACTIVE, Registration, Status

sys.path.insert(0, str(Path(__file__).parents[1] / "appointments"))
from appointments_helpers import make_slot


def past_deadline(exam):
    exam.payment_deadline = timezone.now() - datetime.timedelta(seconds=1)
    exam.save(update_fields=["payment_deadline"])


def test_unpaid_is_given_up_seat_and_booking_freed(approved, pay_exam, pay_site, our_gateway):
    slot = make_slot(pay_exam, pay_site, capacity=1)
    booking = booking_create(candidate=approved.candidate, slot=slot)
    seats_before = Registration.objects.filter(ACTIVE, site=pay_site).count()
    services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    past_deadline(pay_exam)

    out = io.StringIO()
    call_command("close_unpaid", stdout=out)
    assert "视为放弃 1 个" in out.getvalue()

    approved.refresh_from_db()
    assert approved.status == Status.UNPAID and approved.abandoned_at is not None
    assert Order.objects.get(registration=approved).status == OrderStatus.CLOSED
    assert Registration.objects.filter(ACTIVE, site=pay_site).count() == seats_before - 1
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CANCELLED
    told = Message.objects.get(registration_id=approved.pk, title="未缴费，视为放弃")
    assert "考位已释放" in told.body
    assert AuditEntry.objects.filter(action="payment.unpaid").count() == 1
    # Run again (a second server, a second cron): nothing more happens.
    assert services.close_unpaid().expired == 0
    assert AuditEntry.objects.filter(action="payment.unpaid").count() == 1


def test_an_approved_registration_without_an_order_is_closed_too(approved, pay_exam, our_gateway):
    past_deadline(pay_exam)
    assert services.close_unpaid().expired == 1
    approved.refresh_from_db()
    assert approved.status == Status.UNPAID


def test_before_the_deadline_and_paid_ones_are_left(approved, pay_exam, pay_site, our_gateway):
    other = approve(make_registration(pay_exam, pay_site))
    order = services.order_open(candidate=other.candidate, registration_pk=other.pk)
    services.settle(
        order_no=order.order_no, channel="counter", reference="PJ001",
        amount_fen=order.amount_fen, paid_at=timezone.now(), source="counter",
    )  # fmt: skip
    assert services.close_unpaid().expired == 0  # the deadline is a week away
    past_deadline(pay_exam)
    assert services.close_unpaid().expired == 1
    other.refresh_from_db()
    approved.refresh_from_db()
    assert other.status == Status.PAID and approved.status == Status.UNPAID


def test_a_payment_the_platform_knows_is_recorded_not_closed(approved, pay_exam, our_gateway, ctl):
    order = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    # Paid at the platform; its notification is held (never reaches us).
    request = our_gateway.pay_request(
        order.order_no, order.amount_fen, "考试费", "http://127.0.0.1:9/"
    )
    our_gateway.create_payment(request, flags={"auto": "success", "hold": "1"})
    past_deadline(pay_exam)
    report = services.close_unpaid()
    assert (report.expired, report.paid_late_found) == (0, 1)
    approved.refresh_from_db()
    assert approved.status == Status.PAID
    assert Payment.objects.get().source == "query"


def test_when_the_platform_cannot_answer_the_order_waits_for_the_next_run(
    approved, pay_exam, our_gateway, ctl
):
    services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    past_deadline(pay_exam)
    ctl("down")
    report = services.close_unpaid()
    assert (report.expired, report.unverified) == (0, 1)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    ctl("up")
    assert services.close_unpaid().expired == 1


def test_abandoning_closes_the_pending_order(approved, our_gateway):
    from yikao.registrations.services import registration_abandon

    order = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    registration_abandon(candidate=approved.candidate, registration=approved)
    order.refresh_from_db()
    assert order.status == OrderStatus.CLOSED


def test_query_pending_records_a_payment_whose_notification_was_lost(
    approved, pay_exam, pay_site, our_gateway, ctl
):
    order = services.order_open(candidate=approved.candidate, registration_pk=approved.pk)
    waiting = approve(make_registration(pay_exam, pay_site))
    services.order_open(candidate=waiting.candidate, registration_pk=waiting.pk)
    request = our_gateway.pay_request(
        order.order_no, order.amount_fen, "考试费", "http://127.0.0.1:9/"
    )
    our_gateway.create_payment(request, flags={"auto": "success", "hold": "1"})
    out = io.StringIO()
    call_command("query_pending", "--older-than", "0", stdout=out)
    assert "补记已缴费 1 个；平台仍未收款 1 个；平台未能答复、留待下次 0 个" in out.getvalue()
    approved.refresh_from_db()
    assert approved.status == Status.PAID
    ctl("down")
    assert services.query_pending(older_than=datetime.timedelta(0)) == {"unanswered": 1}
    # Orders younger than the wait are left to their notification.
    ctl("up")
    assert services.query_pending(older_than=datetime.timedelta(minutes=10)) == {}
