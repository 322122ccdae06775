"""Reconciliation: a day's statement against our online payments, each kind of mismatch,
re-import of a day replaces its result, a bad file is refused with its line, the real
simulator's statement, the management command."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from payment_fixtures import press, wait_for

from yikao.core.models import AuditEntry
from yikao.payments import reconcile, services
from yikao.payments.gateway import StatementRow
from yikao.payments.models import (
    Channel,
    Mismatch,
    MismatchKind,
    Order,
    Payment,
    Source,
    StatementImport,
)
from yikao.registrations.models import Registration

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2027, 3, 5)


def at(hour, minute=0, day=DAY):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


def order_for(registration):
    return services.order_ensure(Registration.objects.all(), registration.pk, actor=None)


def paid_online(order, trade_no, when, amount=None):
    assert services.settle(
        order_no=order.order_no, channel=Channel.ONLINE, reference=trade_no,
        amount_fen=amount or order.amount_fen, paid_at=when, source=Source.NOTIFY,
    ) == services.Outcome.PAID  # fmt: skip


def row(trade_no, order_no, amount, status="SUCCESS"):
    return StatementRow(trade_no, order_no, amount, f"{DAY}T10:00:00+08:00", status)


@pytest.fixture
def four_orders(pay_exam, pay_site):
    from payment_helpers import approve, fee_schedule
    from review_helpers import make_registration

    fee_schedule(pay_exam, pay_site.area, skills=30000)
    return [order_for(approve(make_registration(pay_exam, pay_site))) for _ in range(4)]


@pytest.mark.django_db
def test_each_kind_of_mismatch(four_orders, django_user_model):
    matched, differs, ours_only, pending = four_orders
    paid_online(matched, "T-MATCH", at(9))
    paid_online(differs, "T-DIFF", at(10))
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:10 the next day is not this day's.
    paid_online(ours_only, "T-OURS", at(23, 30))
    statement = reconcile.import_statement(date=DAY, rows=[
        row("T-MATCH", matched.order_no, 54000),
        row("T-DIFF", differs.order_no, 50000),
        row("T-THEIRS", pending.order_no, 54000),  # pending here: paid there
        row("T-UNKNOWN", "Y999", 100),  # not an order of ours at all
        row("T-SECOND", matched.order_no, 54000),  # a second trade for a paid order
        row("T-FAILED", matched.order_no, 54000, status="FAIL"),  # not a paid trade
    ], actor=None)  # fmt: skip
    assert (statement.rows, statement.matched) == (6, 1)
    found = {(m.kind, m.trade_no): m for m in statement.mismatches.all()}
    assert set(found) == {
        (MismatchKind.AMOUNT, "T-DIFF"), (MismatchKind.OURS_ONLY, "T-OURS"),
        (MismatchKind.PLATFORM_ONLY, "T-THEIRS"), (MismatchKind.PLATFORM_ONLY, "T-UNKNOWN"),
        (MismatchKind.PLATFORM_ONLY, "T-SECOND"),
    }  # fmt: skip
    assert found[(MismatchKind.PLATFORM_ONLY, "T-SECOND")].order_id == matched.pk
    amount = found[(MismatchKind.AMOUNT, "T-DIFF")]
    assert (amount.ours_fen, amount.theirs_fen, amount.order_id) == (54000, 50000, differs.pk)
    assert found[(MismatchKind.OURS_ONLY, "T-OURS")].ours_fen == 54000
    assert found[(MismatchKind.PLATFORM_ONLY, "T-THEIRS")].order_id == pending.pk
    assert found[(MismatchKind.PLATFORM_ONLY, "T-UNKNOWN")].order is None
    entry = AuditEntry.objects.get(action="payment.statement_imported")
    assert entry.changes["mismatches"]["new"] == 5


@pytest.mark.django_db
def test_the_day_is_the_platforms_day_in_shanghai(four_orders):
    first, second, *_ = four_orders
    paid_online(first, "T-BEFORE", at(23, 59, day=DAY - datetime.timedelta(days=1)))
    paid_online(second, "T-AFTER", at(0, 0, day=DAY + datetime.timedelta(days=1)))
    statement = reconcile.import_statement(date=DAY, rows=[], actor=None)
    assert not statement.mismatches.exists()


@pytest.mark.django_db
def test_a_trade_recorded_here_on_another_day_still_matches(four_orders):
    first, *_ = four_orders
    paid_online(first, "T-LATE", at(23, 59, day=DAY - datetime.timedelta(days=1)))
    statement = reconcile.import_statement(
        date=DAY, rows=[row("T-LATE", first.order_no, 54000)], actor=None
    )
    assert statement.matched == 1 and not statement.mismatches.exists()


@pytest.mark.django_db
def test_reimporting_a_day_replaces_its_result(four_orders):
    first, second, *_ = four_orders
    paid_online(first, "T-1", at(9))
    rows = [row("T-1", first.order_no, 1), row("T-X", second.order_no, 54000)]
    one = reconcile.import_statement(date=DAY, rows=rows, actor=None)
    two = reconcile.import_statement(date=DAY, rows=rows, actor=None)
    assert two.replaced and not one.replaced
    assert list(StatementImport.objects.values_list("pk", flat=True)) == [two.pk]
    assert Mismatch.objects.count() == 2
    assert set(Mismatch.objects.values_list("statement_id", flat=True)) == {two.pk}
    # A corrected statement: the amount agrees now.
    three = reconcile.import_statement(
        date=DAY, rows=[row("T-1", first.order_no, 54000)], actor=None
    )
    assert StatementImport.objects.get().pk == three.pk and not Mismatch.objects.exists()
    # Another day's import is left alone.
    reconcile.import_statement(date=DAY + datetime.timedelta(days=1), rows=[], actor=None)
    assert StatementImport.objects.count() == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "对账单文件是空的"),
        (b"a,b,c\n1,2,3\n", "对账单格式不符"),
        (b"trade_no,order_no,amount,paid_at,status\nT1,Y1,100,,SUCCESS\nT2,Y2,abc,,SUCCESS\n",
         "第 3 行金额无效"),
        (b"trade_no,order_no,amount,paid_at,status\nT1,Y1,-100,,SUCCESS\n", "第 2 行金额应为正整数"),
        (b"trade_no,order_no,amount,paid_at,status\nT1,,100,,SUCCESS\n", "第 2 行缺少交易号或订单号"),
        ("trade_no,order_no,amount,paid_at,status\nT1,Y" + "1" * 40 + ",100,,SUCCESS\n",
         "第 2 行订单号或交易号过长"),
        (b"\xff\xfe\x00garbage", "不是 UTF-8"),
    ],
)  # fmt: skip
def test_bad_files_are_refused_with_the_line(text, message):
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(reconcile.StatementRefused) as refused:
        reconcile.rows_from_file(data)
    assert message in refused.value.message


def test_a_good_file_with_a_bom_is_read():
    data = "\ufefftrade_no,order_no,amount,paid_at,status\nT1,Y1,100,,SUCCESS\n".encode()
    assert reconcile.rows_from_file(data) == [StatementRow("T1", "Y1", 100, "", "SUCCESS")]


@pytest.mark.django_db(transaction=True)
def test_the_simulators_statement_with_each_kind_of_mismatch(approved, site_gateway, ctl, settings):
    """A real online payment through the simulator (notified to the live server), then
    the platform's statement with an amount it changed, a trade only it has, and a
    payment only we have."""
    from payment_helpers import approve
    from review_helpers import make_registration

    order = order_for(approved)
    gateway = site_gateway
    request = gateway.pay_request(
        order.order_no, order.amount_fen, subject="考试费",
        notify_url=f"{settings.PAY_CALLBACK_BASE}/payments/notify/",
        return_url=f"{settings.PAY_CALLBACK_BASE}/payments/return/",
    )  # fmt: skip
    answer = gateway.create_payment(request)
    press(answer["cashier_url"])
    wait_for(lambda: Order.objects.get(pk=order.pk).status == "paid")
    trade_no = Payment.objects.get(order=order).reference

    other = order_for(approve(make_registration(approved.exam, approved.site)))
    paid_online(other, "T-ONLY-HERE", timezone.now())
    today = timezone.localdate().isoformat()
    ctl("statement-amount", {"order_no": order.order_no, "amount": 1})
    ctl("statement-row", {"date": today, "order_no": "Y-NOT-OURS", "amount": 54000,
                          "trade_no": "PS-ONLY-THERE"})  # fmt: skip

    rows = services.gateway().statement(today)
    statement = reconcile.import_statement(date=timezone.localdate(), rows=rows, actor=None)
    kinds = {(m.kind, m.trade_no, m.ours_fen, m.theirs_fen) for m in statement.mismatches.all()}
    assert kinds == {
        (MismatchKind.AMOUNT, trade_no, 54000, 1),
        (MismatchKind.PLATFORM_ONLY, "PS-ONLY-THERE", None, 54000),
        (MismatchKind.OURS_ONLY, "T-ONLY-HERE", 54000, None),
    }


@pytest.mark.django_db
def test_the_command_imports_a_file_and_refuses_bad_input(four_orders, tmp_path, capsys):
    first, *_ = four_orders
    paid_online(first, "T-1", at(9))
    path = tmp_path / "statement.csv"
    path.write_text(
        f"trade_no,order_no,amount,paid_at,status\nT-1,{first.order_no},54000,,SUCCESS\n"
    )
    call_command("import_statement", "--date", DAY.isoformat(), "--file", str(path))
    assert "一致 1 笔" in capsys.readouterr().out
    call_command("import_statement", "--date", DAY.isoformat(), "--file", str(path))
    assert "已替换此前结果" in capsys.readouterr().out
    assert StatementImport.objects.count() == 1
    with pytest.raises(CommandError, match="日期无效"):
        call_command("import_statement", "--date", "2027-02-30")
    path.write_text("trade_no,order_no,amount,paid_at,status\nT-1,Y1,x,,SUCCESS\n")
    with pytest.raises(CommandError, match="第 2 行金额无效"):
        call_command("import_statement", "--date", DAY.isoformat(), "--file", str(path))
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_statement", "--date", DAY.isoformat(), "--file", str(tmp_path / "no"))
    assert StatementImport.objects.count() == 1


@pytest.mark.django_db
def test_the_command_downloads_from_the_simulator_and_says_when_it_is_down(
    our_gateway, ctl, capsys
):
    call_command("import_statement", "--date", DAY.isoformat())
    assert "0 行" in capsys.readouterr().out
    ctl("down")
    with pytest.raises(CommandError, match="支付平台暂时无法访问"):
        call_command("import_statement", "--date", DAY.isoformat())
    ctl("up")
