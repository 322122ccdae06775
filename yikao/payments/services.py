"""Orders and their payment: open an order, record money that reached us (from any
channel), close what the deadline left unpaid.

Lock order (DESIGN.md rule 4): the registration row first (registrations.lifecycle.lock),
then its order. Every path that changes an order takes both, so a notification, the
return redirect, a counter payment and the deadline close for one registration run one
after another, and each re-reads the state the previous one left.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from yikao.core.audit import audit_record
from yikao.payments.gateway import Gateway, GatewayConfig, GatewayError, PlatformUnavailable
from yikao.payments.models import (
    AreaChannel,
    Channel,
    FeeItem,
    Order,
    OrderStatus,
    Part,
    Payment,
    Refund,
    RefundReason,
    Source,
)
from yikao.registrations import lifecycle
from yikao.registrations.models import Registration, Status

log = logging.getLogger(__name__)

# The two digits after the registration number in an order number, per round.
ROUND_CODES = {Order.FIRST: "01"}


class PaymentError(Exception):
    """A refusal with a message for people (shown next to the button, or in the API)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


@lru_cache(maxsize=1)
def gateway() -> Gateway:
    """The online platform's client, configured from the environment (docs/payments.md).
    Without the platform's public key (not provisioned yet; in development, before the
    simulator first ran) the platform counts as unreachable: no request can be checked."""
    try:
        return Gateway(GatewayConfig.from_env(settings.VAR_DIR))
    except (OSError, ValueError) as error:
        raise PlatformUnavailable(f"gateway keys: {error}") from error


# --- what is owed -----------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    part: str
    label: str
    amount_fen: int

    def as_dict(self) -> dict:
        return {"part": self.part, "label": self.label, "amount_fen": self.amount_fen}


def fee_lines(registration: Registration) -> list[Line]:
    """The fee schedule's items for the registration's exam, province and category, in the
    order of the exam (实践技能 first)."""
    items = FeeItem.objects.filter(
        exam_id=registration.exam_id,
        area_id=registration.site.area_id,
        category_id=registration.category_id,
    )
    order = {part: i for i, part in enumerate(Part.values)}
    return sorted(
        (Line(i.part, Part(i.part).label, i.amount_fen) for i in items),
        key=lambda line: order[line.part],
    )


def channel_for(registration: Registration) -> str:
    row = AreaChannel.objects.filter(
        exam_id=registration.exam_id, area_id=registration.site.area_id
    ).first()
    return row.channel if row else Channel.ONLINE


def order_no_for(registration: Registration, round_: str = Order.FIRST) -> str:
    return f"Y{registration.number}{ROUND_CODES[round_]}"


def payable_check(registration: Registration, now: datetime | None = None) -> None:
    """Refuse with the reason a candidate may not start paying (no order is made)."""
    if registration.status == Status.PAID:
        raise PaymentError("该报名已缴费。", "already_paid")
    if registration.status != Status.APPROVED:
        label = Status(registration.status).label
        raise PaymentError(f"该报名当前为“{label}”，审核通过后才能缴费。", "not_approved")
    deadline = registration.exam.payment_deadline
    if deadline is None:
        raise PaymentError("缴费尚未开放，请留意考区通知。", "not_open")
    if (now or timezone.now()) >= deadline:
        raise PaymentError("缴费已截止。", "deadline_passed")


def order_open(*, candidate, registration_pk: int) -> Order:
    """The candidate's order for one of their registrations (order_ensure)."""
    return order_ensure(
        Registration.objects.filter(candidate=candidate), registration_pk, actor=candidate.user
    )


def order_ensure(registrations, registration_pk: int, *, actor) -> Order:
    """The order of the registration, if `registrations` (the caller's scope: the
    candidate's own, or a staff member's) reaches it; made on first call with its amounts
    frozen. Double clicks, two tabs and two servers get the same row: the registration row
    is locked, and the unique order number settles a race the lock cannot (SQLite)."""
    try:
        return _order_ensure(registrations, registration_pk, actor)
    except IntegrityError:
        existing = Order.objects.filter(
            registration__in=registrations.filter(pk=registration_pk), round=Order.FIRST
        ).first()
        if existing is None:
            raise
        return existing


def _order_ensure(registrations, registration_pk: int, actor) -> Order:
    with transaction.atomic():
        registration = lifecycle.lock(registrations, registration_pk)
        if registration is None:
            raise PaymentError("找不到该报名。", "not_found")
        existing = Order.objects.filter(registration=registration, round=Order.FIRST).first()
        if existing is not None and existing.status != OrderStatus.CLOSED:
            return existing
        payable_check(registration)
        if existing is not None:
            # Closed with the registration still payable: cannot happen through the
            # life cycle (a closed order ends the registration); refuse, never reopen.
            raise PaymentError("该订单已关闭，不能再缴费。", "closed")
        lines = fee_lines(registration)
        if not lines:
            raise PaymentError("本考区尚未公布该类别的收费标准，请稍后再来。", "no_fees")
        order = Order.objects.create(
            registration=registration,
            round=Order.FIRST,
            order_no=order_no_for(registration),
            items=[line.as_dict() for line in lines],
            amount_fen=sum(line.amount_fen for line in lines),
            channel=channel_for(registration),
            deadline=registration.exam.payment_deadline,
        )
        audit_record(
            actor=actor,
            subject=registration.candidate.user,
            action="payment.order_created",
            target=order,
            changes={"amount_fen": {"old": None, "new": order.amount_fen},
                     "order_no": {"old": None, "new": order.order_no}},
        )  # fmt: skip
        return order


# --- starting an online payment ----------------------------------------------------------


@dataclass(frozen=True)
class StartResult:
    order_no: str
    amount_fen: int
    cashier_url: str  # where the candidate pays, at the platform


def payment_start(
    *, candidate, registration_pk: int, notify_url: str, return_url: str
) -> StartResult:
    """Make (or find) the candidate's order and open a payment for it at the platform, the
    pay request going server to server, so an outage shows before anyone leaves us. The
    pay page and the API both start here.

    Raises PaymentError (not_found, not payable, counter province, paid, platform refused)
    or PlatformUnavailable (its message says nothing was charged)."""
    order = order_open(candidate=candidate, registration_pk=registration_pk)
    if order.status == OrderStatus.PAID:
        raise PaymentError("该报名已缴费。", "already_paid")
    if order.status != OrderStatus.PENDING:
        raise PaymentError(f"该订单{order.get_status_display()}，不能再缴费。", "closed")
    if order.channel != Channel.ONLINE:
        raise PaymentError("本考区在考点现场缴费，不能网上支付。", "counter")
    client = gateway()
    pay_request = client.pay_request(
        order.order_no,
        order.amount_fen,
        subject=f"{order.registration.exam.name} 考试费",
        notify_url=notify_url,
        return_url=return_url,
    )
    try:
        answer = client.create_payment(pay_request)
    except PlatformUnavailable as error:
        log.warning("payment platform unavailable for %s: %s", order.order_no, error.detail)
        raise
    except GatewayError as error:
        # The platform refuses a new pay request for an order it has paid (ORDER_PAID; our
        # client reports every refusal as REFUSED): its notification may still be on the
        # way. Ask it, and record the payment it reports, before calling it a refusal.
        query_and_settle(order)
        order.refresh_from_db(fields=["status"])
        if order.status == OrderStatus.PAID:
            raise PaymentError("该报名已缴费。", "already_paid") from error
        log.error("payment request refused for %s: %s %s", order.order_no, error.code, error)
        raise PaymentError(
            "支付平台拒绝了本次支付请求，请稍后再试。您未被扣款。", "platform_refused"
        ) from error
    return StartResult(order.order_no, order.amount_fen, answer["cashier_url"])


# --- money in ---------------------------------------------------------------------------


class Outcome:
    PAID = "paid"  # this payment paid the order; the registration is 已缴费
    ALREADY = "already"  # the same trade was recorded before: nothing changed
    REFUND = "refund"  # the order was paid or closed already: a refund record was made
    UNKNOWN = "unknown"  # no such order: nothing changed


def settle(
    *,
    order_no: str,
    channel: str,
    reference: str,
    amount_fen: int,
    paid_at: datetime,
    source: str,
    actor=None,
    notify_id: str = "",
) -> str:
    """Record money that reached us for an order, once per (channel, reference).

    The first payment of a pending order pays it and moves the registration to 已缴费; a
    payment for an order already paid or closed becomes a refund to make. The caller has
    checked the amount against the order (a platform's message) or typed it from the
    order (a counter). Returns an Outcome."""
    found = Order.objects.filter(order_no=order_no).values_list("pk", "registration_id").first()
    if found is None:
        return Outcome.UNKNOWN
    order_pk, registration_pk = found
    try:
        with transaction.atomic():
            return _settle_locked(
                order_pk, registration_pk, channel, reference, amount_fen, paid_at, source,
                actor, notify_id,
            )  # fmt: skip
    except IntegrityError:
        # Another process recorded the same trade between our check and our insert (only
        # where row locks do not serialise us: SQLite). Theirs stands.
        if Payment.objects.filter(channel=channel, reference=reference).exists():
            return Outcome.ALREADY
        raise


def _settle_locked(
    order_pk, registration_pk, channel, reference, amount_fen, paid_at, source, actor, notify_id
) -> str:
    registration = lifecycle.lock(Registration.objects.all(), registration_pk)
    order = Order.objects.select_for_update().get(pk=order_pk)
    if Payment.objects.filter(channel=channel, reference=reference).exists():
        return Outcome.ALREADY
    payment = Payment.objects.create(
        order=order,
        channel=channel,
        reference=reference,
        amount_fen=amount_fen,
        paid_at=paid_at,
        source=source,
        notify_id=notify_id,
        recorded_by=actor,
    )
    subject = registration.candidate.user
    if order.status == OrderStatus.PENDING and registration.status == Status.APPROVED:
        order.status = OrderStatus.PAID
        order.paid_at, order.trade_no = paid_at, reference
        order.save(update_fields=["status", "paid_at", "trade_no"])
        lifecycle.move(
            registration,
            lifecycle.PAY,
            actor=actor,
            changes={"order_no": {"old": None, "new": order.order_no},
                     "trade_no": {"old": None, "new": reference},
                     "channel": {"old": None, "new": channel}},
        )  # fmt: skip
        return Outcome.PAID
    if order.status == OrderStatus.PENDING:
        # Paid while the registration had already ended (abandoned): the order closes.
        _close(order)
    reason = (
        RefundReason.DUPLICATE
        if order.status in (OrderStatus.PAID, OrderStatus.REFUNDED)
        else RefundReason.AFTER_CLOSE
    )
    refund = Refund.objects.create(payment=payment, reason=reason, amount_fen=amount_fen)
    audit_record(
        actor=actor,
        subject=subject,
        action="payment.refund_due",
        target=refund,
        changes={"order_no": {"old": None, "new": order.order_no},
                 "reference": {"old": None, "new": reference},
                 "reason": {"old": None, "new": reason}},
    )  # fmt: skip
    return Outcome.REFUND


def _close(order: Order) -> None:
    order.status, order.closed_at = OrderStatus.CLOSED, timezone.now()
    order.save(update_fields=["status", "closed_at"])


def on_registration_moved(*, registration: Registration, **_) -> None:
    """registrations.lifecycle.moved: a registration that ends closes its unpaid order, so
    a payment still arriving for it becomes a refund."""
    if registration.status in Status.ENDED:
        for order in Order.objects.select_for_update().filter(
            registration=registration, status=OrderStatus.PENDING
        ):
            _close(order)


def query_and_settle(order: Order) -> str | None:
    """Ask the platform about an online order still pending here (the notification may be
    late or lost) and record a payment it reports. None: the platform could not answer."""
    try:
        result = gateway().query(order.order_no)
    except GatewayError as error:
        log.warning("payment query %s failed: %s", order.order_no, error)
        return None
    if result.status != "SUCCESS":
        return result.status
    if result.amount != order.amount_fen:
        audit_record(
            actor=None,
            action="payment.query_refused",
            target=order,
            changes={"amount_fen": {"old": order.amount_fen, "new": result.amount}},
            reason="AMOUNT_MISMATCH",
        )
        return None
    return settle(
        order_no=order.order_no,
        channel=Channel.ONLINE,
        reference=result.trade_no,
        amount_fen=result.amount,
        paid_at=parse_time(result.paid_at),
        source=Source.QUERY,
    )


def parse_time(value: str) -> datetime:
    """A platform time (ISO 8601 with offset); now when absent or unreadable."""
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.now()
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def query_pending(*, older_than: timedelta, now: datetime | None = None) -> dict[str, int]:
    """Ask the platform about every online order still 待支付 here that was made more than
    `older_than` ago: a payment whose notification never came (the platform gave up its
    retries while we were down) is recorded without waiting for the candidate or the
    deadline. Counts per answer: paid (recorded now), WAIT / NOT_FOUND / FAIL (still
    unpaid there), unanswered (the platform could not say; asked again next run)."""
    cutoff = (now or timezone.now()) - older_than
    counts: dict[str, int] = {}
    pending = Order.objects.filter(
        status=OrderStatus.PENDING, channel=Channel.ONLINE, created_at__lte=cutoff
    ).only("pk", "order_no", "amount_fen")
    for order in pending.iterator(chunk_size=500):
        answer = query_and_settle(order) or "unanswered"
        counts[answer] = counts.get(answer, 0) + 1
    return counts


# --- the deadline -----------------------------------------------------------------------


@dataclass
class CloseReport:
    expired: int = 0  # registrations moved to 未缴费（视为放弃）
    paid_late_found: int = 0  # pending orders the platform reported paid: recorded instead
    unverified: int = (
        0  # pending online orders the platform could not confirm: kept for the next run
    )


def close_unpaid(*, now: datetime | None = None) -> CloseReport:
    """After each exam's payment deadline: every registration still 审核通过 (unpaid) moves
    to 未缴费（视为放弃）, its order closes, its seat and collection booking are freed and
    the candidate is told (listeners of the move).

    A pending online order is first queried at the platform, so a payment whose
    notification is late is recorded rather than closed; when the platform cannot answer
    the registration is left for the next run. Safe to run twice and on two servers at
    once: each registration is locked and re-read in the state 审核通过 before it moves."""
    now = now or timezone.now()
    report = CloseReport()
    due = Registration.objects.filter(
        status=Status.APPROVED, exam__payment_deadline__lte=now
    ).values_list("pk", flat=True)
    for registration_pk in list(due.iterator(chunk_size=2000)):
        pending = Order.objects.filter(
            registration_id=registration_pk, status=OrderStatus.PENDING, channel=Channel.ONLINE
        ).first()
        if pending is not None:
            answer = query_and_settle(pending)
            if answer is None:
                report.unverified += 1
                continue
            if answer in (Outcome.PAID, Outcome.ALREADY):
                report.paid_late_found += answer == Outcome.PAID
                continue
        with transaction.atomic():
            registration = lifecycle.lock(
                Registration.objects.filter(status=Status.APPROVED), registration_pk
            )
            if registration is None:  # paid, or closed by another run meanwhile
                continue
            lifecycle.move(
                registration,
                lifecycle.EXPIRE,
                actor=None,
                reason="缴费截止时未缴费",
            )
            report.expired += 1
    return report
