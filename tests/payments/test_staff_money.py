"""对账, 退款 and 缴费统计 through the staff pages, scoped: a site has no 对账, a province
sees its own orders' mismatches, rows about unknown orders are national staff's."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from payment_staff_helpers import make_world, staff_client

from yikao.core.models import AuditEntry
from yikao.payments import services
from yikao.payments.models import (
    Channel,
    Mismatch,
    OrderStatus,
    Refund,
    RefundStatus,
    Source,
    StatementImport,
)
from yikao.registrations.models import Registration, Status

pytestmark = pytest.mark.django_db

STATEMENTS = "/payments/staff/statements/"
REFUNDS = "/payments/staff/refunds/"
TOTALS = "/payments/staff/totals/"
DAY = datetime.date(2027, 3, 5)
HEADER = "trade_no,order_no,amount,paid_at,status\n"


@pytest.fixture
def world(pay_exam, pay_site):
    return make_world(pay_exam, pay_site)


def order_for(registration):
    return services.order_ensure(Registration.objects.all(), registration.pk, actor=None)


def pay(order, reference, channel=Channel.ONLINE, when=None):
    return services.settle(
        order_no=order.order_no, channel=channel, reference=reference,
        amount_fen=order.amount_fen, paid_at=when or timezone.now(), source=Source.NOTIFY,
    )  # fmt: skip


def upload(client, text, day=DAY):
    return client.post(STATEMENTS, {
        "date": day.isoformat(), "file": SimpleUploadedFile("s.csv", text.encode(), "text/csv"),
    }, follow=True)  # fmt: skip


# --- 对账 ----------------------------------------------------------------------------------


def test_site_staff_have_no_reconciliation(world):
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    assert client.get(STATEMENTS).status_code == 404
    assert client.post(STATEMENTS, {"date": "2027-03-05"}).status_code == 404


def test_upload_shows_mismatches_in_scope_and_settles_a_pending_order(world):
    henan_order, hubei_order = order_for(world.reg_a), order_for(world.reg_c)
    csv = (HEADER + f"T-A,{henan_order.order_no},54000,2026-12-01T09:30:00+08:00,SUCCESS\n"
           f"T-C,{hubei_order.order_no},44000,,SUCCESS\nT-Z,Y-UNKNOWN,100,,SUCCESS\n")  # fmt: skip
    henan, user = staff_client(Client, "henan", "area", area=world.site_a.area)
    page = upload(henan, csv).content.decode()
    assert "对账完成：3 行，核对一致 0 笔，不一致 3 笔" in page
    assert henan_order.order_no in page and "按对账单补记" in page
    assert hubei_order.order_no not in page and "Y-UNKNOWN" not in page  # 湖北, unknown
    national, _ = staff_client(Client, "nation", "national")
    everything = national.get(STATEMENTS).content.decode()
    assert hubei_order.order_no in everything and "Y-UNKNOWN" in everything

    mismatch = Mismatch.objects.get(trade_no="T-A")
    hubei = Mismatch.objects.get(trade_no="T-C")
    area_42_try = henan.post(f"/payments/staff/mismatches/{hubei.pk}/settle/")
    assert area_42_try.status_code == 404
    done = henan.post(f"/payments/staff/mismatches/{mismatch.pk}/settle/", follow=True)
    assert f"已按对账单补记：订单 {henan_order.order_no} 已缴费" in done.content.decode()
    henan_order.refresh_from_db()
    world.reg_a.refresh_from_db()
    assert henan_order.status == OrderStatus.PAID and world.reg_a.status == Status.PAID
    payment = henan_order.payments.get()
    assert (payment.reference, payment.source, payment.recorded_by) == (
        "T-A",
        Source.STATEMENT,
        user,
    )
    # Recorded at the platform's time of the row, not at the click.
    assert payment.paid_at.isoformat() == "2026-12-01T01:30:00+00:00"
    again = henan.post(f"/payments/staff/mismatches/{mismatch.pk}/settle/", follow=True)
    assert "无需补记" in again.content.decode() and henan_order.payments.count() == 1


def test_a_statement_amount_that_differs_from_the_order_is_not_settled(world):
    order = order_for(world.reg_a)
    national, _ = staff_client(Client, "nation", "national")
    upload(national, HEADER + f"T-A,{order.order_no},100,,SUCCESS\n")
    mismatch = Mismatch.objects.get()
    shown = national.post(f"/payments/staff/mismatches/{mismatch.pk}/settle/", follow=True)
    assert "对账单金额与订单金额不一致" in shown.content.decode()
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING and not order.payments.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "T1,Y1,100,,SUCCESS\nT2,Y2,十元,,SUCCESS\n", "对账单第 3 行金额无效"),
        ("not,a,statement\n", "对账单格式不符"),
        ("", "对账单文件是空的"),
    ],
)
def test_a_bad_file_is_refused_with_its_line_and_nothing_is_stored(world, text, message):
    client, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    page = upload(client, text)
    assert page.status_code == 400
    assert message in page.content.decode()
    assert not StatementImport.objects.exists()


@pytest.mark.parametrize("day", ["", "2027-02-30", "1999-12-31", "<b>", "２０２７-０３-０５x"])
def test_a_bad_date_gets_a_message(world, day):
    client, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    page = client.post(STATEMENTS, {"date": day})
    assert page.status_code == 400
    text = page.content.decode()
    assert "日期" in text and "<b>" not in text.split("<main", 1)[-1]
    assert not StatementImport.objects.exists()


def test_download_from_the_platform_and_its_outage(world, our_gateway, ctl):
    client, _ = staff_client(Client, "nation", "national")
    done = client.post(STATEMENTS, {"date": DAY.isoformat()}, follow=True)
    assert "对账完成：0 行" in done.content.decode()
    ctl("down")
    down = client.post(STATEMENTS, {"date": DAY.isoformat()})
    assert down.status_code == 503
    assert "支付平台暂时无法访问，请稍后再试。您未被扣款。" in down.content.decode()
    ctl("up")
    assert StatementImport.objects.count() == 1


# --- 退款 ----------------------------------------------------------------------------------


def refund_world(world):
    """A duplicate payment (a refund) at site A and one at 湖北."""
    for registration, tag in ((world.reg_a, "A"), (world.reg_c, "C")):
        order = order_for(registration)
        assert pay(order, f"T-{tag}1") == services.Outcome.PAID
        assert pay(order, f"T-{tag}2") == services.Outcome.REFUND
    return Refund.objects.get(payment__reference="T-A2"), Refund.objects.get(
        payment__reference="T-C2"
    )


def test_refunds_are_listed_in_scope_with_masked_names(world):
    _mine, theirs = refund_world(world)
    client, _ = staff_client(Client, "site_a", "site", site=world.site_a)
    page = client.get(REFUNDS).content.decode()
    name = world.reg_a.candidate.full_name
    assert world.reg_a.number in page and world.reg_c.number not in page
    assert name not in page and name[0] + "*" * (len(name) - 1) in page
    assert "重复缴费" in page and "540.00" in page and "待退款" in page
    assert client.post(f"{REFUNDS}{theirs.pk}/done/", {"note": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RefundStatus.PENDING


def test_refund_completion_needs_a_note_and_is_audited(world):
    mine, _ = refund_world(world)
    client, user = staff_client(Client, "henan", "area", area=world.site_a.area)
    for note, message in (
        ("", "请填写退款说明"),
        ("　 ", "请填写退款说明"),
        ("长" * 201, "不超过 200 字"),
    ):
        shown = client.post(f"{REFUNDS}{mine.pk}/done/", {"note": note}, follow=True)
        assert message in shown.content.decode()
        mine.refresh_from_db()
        assert mine.status == RefundStatus.PENDING
    client.post(f"{REFUNDS}{mine.pk}/done/", {"note": "已原路退回 流水 8899"})
    mine.refresh_from_db()
    assert mine.status == RefundStatus.DONE and mine.completed_by == user
    assert mine.note == "已原路退回 流水 8899" and mine.completed_at is not None
    entry = AuditEntry.objects.get(action="payment.refund_done")
    assert entry.actor == user and entry.target_id == str(mine.pk)
    assert entry.changes["refund_status"] == {"old": "pending", "new": "done"}
    # The order stays paid (the first payment stands); a second click changes nothing.
    assert mine.payment.order.status == OrderStatus.PAID
    client.post(f"{REFUNDS}{mine.pk}/done/", {"note": "again"})
    mine.refresh_from_db()
    assert mine.note == "已原路退回 流水 8899"
    assert AuditEntry.objects.filter(action="payment.refund_done").count() == 1


# --- 缴费统计 --------------------------------------------------------------------------------


def totals_world(world):
    """河南: A paid 540 + a duplicate refunded, B due; 湖北: C paid 440 + a pending refund."""
    order_a, order_c = order_for(world.reg_a), order_for(world.reg_c)
    pay(order_a, "T-A1")
    pay(order_a, "T-A2")
    Refund.objects.filter(payment__reference="T-A2").update(status=RefundStatus.DONE)
    pay(order_c, "C-1", channel=Channel.COUNTER)
    pay(order_c, "C-2", channel=Channel.COUNTER)


def test_totals_per_site_and_province(world, django_assert_max_num_queries):
    totals_world(world)
    national, _ = staff_client(Client, "nation", "national")
    from yikao.payments.totals import exam_totals
    from yikao.staff.models import StaffScope

    scope = StaffScope.objects.select_related("site", "area").get(role="national")
    with django_assert_max_num_queries(7):  # grouped queries: not one per site
        totals = exam_totals(scope, world.exam)
    sites = {s.code: s for group in totals.areas for s in group.sites}
    assert (sites["4101"].paid, sites["4101"].paid_fen, sites["4101"].refunded_fen) == (
        1,
        54000,
        54000,
    )
    assert (sites["4102"].due, sites["4102"].paid) == (1, 0)
    assert (sites["4201"].paid_fen, sites["4201"].refund_pending, sites["4201"].refund_pending_fen) == (
        44000, 1, 44000)  # fmt: skip
    henan = totals.areas[0].area
    assert (henan.label, henan.due, henan.paid, henan.paid_fen) == ("河南考区小计", 1, 1, 54000)
    t = totals.total
    assert (t.due, t.paid, t.paid_fen, t.refund_pending, t.refunded_fen) == (1, 2, 98000, 1, 54000)
    page = national.get(TOTALS, {"exam": world.exam.pk}).content.decode()
    assert "980.00" in page and "河南考区小计" in page and "湖北考区小计" in page

    henan_staff, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    page = henan_staff.get(TOTALS).content.decode()
    assert "武汉考点" not in page and "540.00" in page and "980.00" not in page
    site_b, _ = staff_client(Client, "site_b", "site", site=world.site_b)
    page = site_b.get(TOTALS).content.decode()
    assert "4101" not in page and "4102" in page


def test_the_excel_export_opens_and_matches_the_page(world):
    from openpyxl import load_workbook

    totals_world(world)
    henan, _ = staff_client(Client, "henan", "area", area=world.site_a.area)
    answer = henan.get("/payments/staff/totals/export/", {"exam": world.exam.pk})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    rows = list(book["缴费统计"].iter_rows(values_only=True))
    assert rows[0][0] == f"{world.exam.name} 缴费统计（河南考区）"
    assert rows[1][:4] == ("考区", "考点代码", "考点", "待缴费（人）")
    body = rows[2:]
    assert [r[1] for r in body] == ["4101", "4102", None, None]  # sites, 小计, 合计
    assert body[0][3:] == (0, 1, 540, 0, 0, 540)
    assert body[-1][0] == "合计" and body[-1][5] == 540
    assert all("湖北" not in str(r[0]) for r in body)
