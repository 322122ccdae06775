"""对账, 退款 and 缴费统计 for province and national staff (退款 and 统计 also for a site,
within its site)."""

import datetime
import logging

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikao.core.audit import audit_record
from yikao.payments import reconcile, services
from yikao.payments import scope as payment_scope
from yikao.payments.export import totals_xlsx
from yikao.payments.gateway import GatewayError, PlatformUnavailable
from yikao.payments.models import (
    Channel,
    MismatchKind,
    OrderStatus,
    RefundStatus,
    Source,
    StatementImport,
)
from yikao.payments.staff import EXAM_ID, exam_in_view, exams
from yikao.payments.staff_forms import RefundDoneForm, StatementForm
from yikao.payments.totals import exam_totals
from yikao.staff.access import staff_required

log = logging.getLogger(__name__)
money_staff = staff_required(roles=payment_scope.MONEY_ROLES)


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: enough for staff to tell rows apart."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


# --- 对账 ----------------------------------------------------------------------------------


def _statement_page(request, form, status=200):
    visible = payment_scope.mismatches(request.scope)
    imports = list(StatementImport.objects.order_by("-date")[:30])
    wanted = request.GET.get("statement", "")
    shown = imports[0] if imports else None
    if EXAM_ID.fullmatch(wanted):
        shown = StatementImport.objects.filter(pk=int(wanted)).first() or shown
    rows = []
    if shown is not None:
        rows = list(
            visible.filter(statement=shown)
            .select_related("order__registration__site")
            .order_by("kind", "order_no")
        )
    return render(request, "payments/staff_reconcile.html", {
        "form": form, "imports": imports, "shown": shown, "rows": rows,
        "kinds": MismatchKind, "pending": OrderStatus.PENDING,
    }, status=status)  # fmt: skip


@money_staff
def statements(request):
    form = StatementForm(request.POST or None, request.FILES or None,
                         initial={"date": timezone.localdate() - datetime.timedelta(days=1)})  # fmt: skip
    if request.method != "POST":
        return _statement_page(request, form)
    if not form.is_valid():
        return _statement_page(request, form, status=400)
    day, upload = form.cleaned_data["date"], form.cleaned_data.get("file")
    try:
        if upload is not None:
            rows = reconcile.rows_from_file(upload.read(reconcile.MAX_FILE_BYTES + 1))
        else:
            rows = services.gateway().statement(day.isoformat())
    except reconcile.StatementRefused as error:
        form.add_error("file", error.message)
        return _statement_page(request, form, status=400)
    except PlatformUnavailable as error:
        log.warning("statement download for %s failed: %s", day, error.detail)
        form.add_error(None, error.message)
        return _statement_page(request, form, status=503)
    except GatewayError as error:
        log.error("statement download for %s refused: %s %s", day, error.code, error)
        form.add_error(None, f"支付平台的对账单无法使用：{error}")
        return _statement_page(request, form, status=502)
    statement = reconcile.import_statement(date=day, rows=rows, actor=request.user)
    n = statement.mismatches.count()
    messages.success(
        request,
        f"{day:%Y-%m-%d} 对账完成：{statement.rows} 行，核对一致 {statement.matched} 笔，"
        f"不一致 {n} 笔。" + ("（已替换该日此前的对账结果）" if statement.replaced else ""),
    )
    return redirect(f"{reverse('payments:staff_statements')}?statement={statement.pk}")


@money_staff
@require_POST
def mismatch_settle(request, mismatch_id: int):
    """按对账单补记: the platform took money for an order still 待支付 here."""
    mismatch = (
        payment_scope.mismatches(request.scope)
        .filter(pk=mismatch_id, kind=MismatchKind.PLATFORM_ONLY, order__isnull=False)
        .select_related("order", "statement")
        .first()
    )
    if mismatch is None:
        raise Http404
    back = f"{reverse('payments:staff_statements')}?statement={mismatch.statement_id}"
    order = mismatch.order
    if order.status != OrderStatus.PENDING:
        messages.error(request, "该订单已不是待支付状态，无需补记。")
        return redirect(back)
    if mismatch.theirs_fen != order.amount_fen:
        messages.error(request, "对账单金额与订单金额不一致，不能补记，请与支付平台核实。")
        return redirect(back)
    # The statement row's own time; now only for a row whose time was unreadable.
    outcome = services.settle(
        order_no=order.order_no, channel=Channel.ONLINE, reference=mismatch.trade_no,
        amount_fen=mismatch.theirs_fen, paid_at=mismatch.paid_at or timezone.now(),
        source=Source.STATEMENT,
        actor=request.user,
    )  # fmt: skip
    text = {
        services.Outcome.PAID: f"已按对账单补记：订单 {order.order_no} 已缴费。",
        services.Outcome.ALREADY: "该交易已登记，未重复记账。",
        services.Outcome.REFUND: "该订单已缴费或已关闭，本笔已记为待退款。",
    }.get(outcome, "找不到该订单。")
    (messages.success if outcome == services.Outcome.PAID else messages.warning)(request, text)
    return redirect(back)


# --- 退款 ----------------------------------------------------------------------------------


def _refunds_page(request, *, failed=None, form=None, status=200):
    """The list; `failed` is the refund whose note was refused (its message and typed
    note shown next to its field)."""
    rows = (
        payment_scope.refunds(request.scope)
        .select_related(
            "payment__order__registration__candidate", "payment__order__registration__site"
        )
        .order_by("-status", "-created_at")  # 待退款 (pending) before 已退款 (done)
    )[:500]
    items = [
        (r, mask_name(r.payment.order.registration.candidate.full_name),
         form if failed == r.pk else None)
        for r in rows
    ]  # fmt: skip
    return render(request, "payments/staff_refunds.html", {"items": items}, status=status)


@staff_required
def refunds(request):
    return _refunds_page(request)


@staff_required
@require_POST
def refund_done(request, refund_id: int):
    form = RefundDoneForm(request.POST)
    with transaction.atomic():
        refund = (
            payment_scope.refunds(request.scope).select_for_update().filter(pk=refund_id).first()
        )
        if refund is None:
            raise Http404
        if refund.status == RefundStatus.DONE:
            messages.info(request, "该退款此前已办结。")
            return redirect("payments:staff_refunds")
        if not form.is_valid():
            return _refunds_page(request, failed=refund.pk, form=form, status=400)
        refund.status, refund.note = RefundStatus.DONE, form.cleaned_data["note"]
        refund.completed_by, refund.completed_at = request.user, timezone.now()
        refund.save(update_fields=["status", "note", "completed_by", "completed_at"])
        audit_record(
            actor=request.user,
            action="payment.refund_done",
            target=refund,
            subject=refund.payment.order.registration.candidate.user,
            changes={"refund_status": {"old": RefundStatus.PENDING, "new": RefundStatus.DONE},
                     "note": {"old": "", "new": refund.note}},
        )  # fmt: skip
    messages.success(request, "已标记为已退款。")
    return redirect("payments:staff_refunds")


# --- 缴费统计 --------------------------------------------------------------------------------


@staff_required
def totals(request):
    exam = exam_in_view(request)
    return render(request, "payments/staff_totals.html", {
        "exam": exam, "exams": exams(), "totals": exam_totals(request.scope, exam),
    })  # fmt: skip


@staff_required
def totals_export(request):
    exam = exam_in_view(request)
    handle = totals_xlsx(exam, request.scope.place_label, exam_totals(request.scope, exam))
    return FileResponse(handle, as_attachment=True, filename=f"payments-{exam.pk}.xlsx")
