"""Reconciliation (对账): one day's statement from the platform against the online
payments we recorded, and what did not agree.

A statement lists the platform's successful trades paid that day (Asia/Shanghai). We match
them by trade number (our Payment.reference on the online channel):

- platform_only: a SUCCESS row whose trade is no Payment here (paid there, not here);
- ours_only: an online Payment here paid that day that the statement does not list;
- amount: both have the trade, the amounts differ.

Importing the same day again replaces that day's result, in one transaction, so a second
run (a corrected file, a re-download) never adds a second set of mismatches.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikao.core.audit import audit_record
from yikao.payments.gateway import GatewayError, StatementRow, parse_statement
from yikao.payments.models import (
    Channel,
    Mismatch,
    MismatchKind,
    Order,
    Payment,
    StatementImport,
)

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
SUCCESS = "SUCCESS"
MAX_FILE_BYTES = 20 * 1024 * 1024
# The widths of Mismatch.order_no and .trade_no: a longer value is no order or trade of ours.
ORDER_NO_MAX, TRADE_NO_MAX = 32, 64


class StatementRefused(Exception):
    """A statement file we do not import (message for people, with the line number)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The platform's day [start, end) as aware datetimes."""
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=PLATFORM_TZ)
    return start, start + datetime.timedelta(days=1)


def rows_from_file(data: bytes) -> list[StatementRow]:
    """The rows of an uploaded statement CSV, or StatementRefused saying which line is bad."""
    if len(data) > MAX_FILE_BYTES:
        raise StatementRefused("对账单文件过大（超过 20 MB）。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementRefused("对账单不是 UTF-8 编码的 CSV 文件。") from None
    if not text.strip():
        raise StatementRefused("对账单文件是空的。")
    try:
        rows = parse_statement(text)
    except GatewayError as error:
        raise StatementRefused(str(error)) from None
    except Exception:  # csv.Error: a NUL byte, an unclosed quote…
        raise StatementRefused("对账单不是有效的 CSV 文件。") from None
    for line_no, row in enumerate(rows, start=2):
        if row.amount <= 0:
            raise StatementRefused(f"对账单第 {line_no} 行金额应为正整数（单位：分）。")
        if len(row.order_no) > ORDER_NO_MAX or len(row.trade_no) > TRADE_NO_MAX:
            raise StatementRefused(f"对账单第 {line_no} 行订单号或交易号过长。")
    return rows


def statement_sha256(rows: Sequence[StatementRow]) -> str:
    """A fingerprint of the rows, whatever their source (file or download)."""
    digest = hashlib.sha256()
    for r in rows:
        digest.update(f"{r.trade_no},{r.order_no},{r.amount},{r.paid_at},{r.status}\n".encode())
    return digest.hexdigest()


def _by_reference(payments) -> dict[str, tuple[int, int, str]]:
    """reference → (amount_fen, order id, order_no). Tuples, not model instances: a day
    can list tens of thousands of trades."""
    rows = payments.values_list("reference", "amount_fen", "order_id", "order__order_no")
    return {
        reference: (amount, order_id, order_no) for reference, amount, order_id, order_no in rows
    }


def import_statement(
    *, date: datetime.date, rows: Sequence[StatementRow], actor
) -> StatementImport:
    """Match one day's statement with our online payments and store the result, replacing
    an earlier import of the same day. Returns the new StatementImport.

    Two imports of one day at once: the earlier one's row lock orders them when it exists;
    when neither finds one, the unique day makes the second fail, and it runs again (then
    finding, and replacing, the first's result)."""
    try:
        return _import_statement(date, rows, actor)
    except IntegrityError:
        return _import_statement(date, rows, actor)


def _import_statement(date, rows, actor) -> StatementImport:
    paid = [r for r in rows if r.status == SUCCESS]
    start, end = day_bounds(date)
    with transaction.atomic():
        # Lock the day's earlier imports so two imports of one day run one after another.
        earlier = list(
            StatementImport.objects.select_for_update()
            .filter(date=date)
            .values_list("pk", flat=True)
        )
        StatementImport.objects.filter(pk__in=earlier).delete()
        online = Payment.objects.filter(channel=Channel.ONLINE)
        ours_that_day = _by_reference(online.filter(paid_at__gte=start, paid_at__lt=end))
        # A trade listed today may have been recorded with another day's time here
        # (a late notification): look every listed trade up, not only today's.
        listed = {r.trade_no for r in paid}
        known = dict(ours_that_day)
        if listed - known.keys():
            known.update(_by_reference(online.filter(reference__in=listed - known.keys())))
        unknown_order_nos = {r.order_no for r in paid if r.trade_no not in known}
        orders = dict(
            Order.objects.filter(order_no__in=unknown_order_nos).values_list("order_no", "pk")
        )
        mismatches, matched = [], 0
        for row in paid:
            found = known.get(row.trade_no)
            if found is None:
                mismatches.append(Mismatch(
                    kind=MismatchKind.PLATFORM_ONLY, order_no=row.order_no,
                    trade_no=row.trade_no, order_id=orders.get(row.order_no),
                    theirs_fen=row.amount, paid_at=_platform_time(row.paid_at),
                ))  # fmt: skip
                continue
            amount, order_id, order_no = found
            if amount != row.amount:
                mismatches.append(Mismatch(
                    kind=MismatchKind.AMOUNT, order_no=order_no, trade_no=row.trade_no,
                    order_id=order_id, ours_fen=amount, theirs_fen=row.amount,
                ))  # fmt: skip
            else:
                matched += 1
        for reference, (amount, order_id, order_no) in sorted(ours_that_day.items()):
            if reference not in listed:
                mismatches.append(Mismatch(
                    kind=MismatchKind.OURS_ONLY, order_no=order_no, trade_no=reference,
                    order_id=order_id, ours_fen=amount,
                ))  # fmt: skip
        statement = StatementImport.objects.create(
            date=date, imported_by=actor, rows=len(rows), matched=matched,
            sha256=statement_sha256(rows),
        )  # fmt: skip
        for mismatch in mismatches:
            mismatch.statement = statement
        Mismatch.objects.bulk_create(mismatches)
        audit_record(
            actor=actor,
            action="payment.statement_imported",
            target=statement,
            changes={"statement_date": {"old": None, "new": date.isoformat()},
                     "rows": {"old": None, "new": len(rows)},
                     "matched": {"old": None, "new": matched},
                     "mismatches": {"old": None, "new": len(mismatches)},
                     "replaced": {"old": None, "new": bool(earlier)}},
        )  # fmt: skip
    statement.replaced = bool(earlier)  # for the caller's message
    return statement


def _platform_time(value: str) -> datetime.datetime | None:
    """A statement row's payment time (ISO 8601 with offset), None when unreadable."""
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)
