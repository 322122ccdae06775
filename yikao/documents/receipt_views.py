"""The 缴费凭证 PDF of a paid registration, for its candidate only.

The receipt shows the ID number masked, so unlike the forms its download is not audited.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from yikao.accounts.decorators import candidate_required
from yikao.core.masking import mask_id_number
from yikao.documents.mapping import id_number
from yikao.documents.pdf.receipt import ReceiptInfo, ReceiptLine, render_receipt
from yikao.documents.selectors import printable_registration
from yikao.payments.models import Channel, Order, OrderStatus
from yikao.registrations.models import Registration

NOT_PAID = "该报名尚未缴费，缴费成功后才能下载缴费凭证。"
REFERENCE_LABELS = {Channel.ONLINE: "交易流水号", Channel.COUNTER: "票据号"}


def _time(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def receipt_info(registration: Registration, order: Order) -> ReceiptInfo:
    """The paid order as the receipt shows it: its frozen lines, Beijing times, the name
    and (masked) ID number as submitted with the registration."""
    basic = registration.snap.basic
    return ReceiptInfo(
        exam_name=registration.exam.name,
        candidate_name=basic.full_name or registration.candidate.full_name,
        id_number_masked=mask_id_number(id_number(registration)),
        registration_number=registration.number,
        category=registration.category.label,
        area=registration.site.area.name,
        site=registration.site.name,
        order_no=order.order_no,
        lines=[ReceiptLine(line["label"], line["amount_fen"]) for line in order.items],
        total_fen=order.amount_fen,
        paid_at=_time(order.paid_at),
        channel=Channel(order.channel).label,
        reference_label=REFERENCE_LABELS.get(order.channel, "交易流水号"),
        reference=order.trade_no,
        generated_at=_time(timezone.now()),
    )


@candidate_required
@require_safe
@xframe_options_sameorigin
def payment_receipt(request, registration_id: int):
    registration = printable_registration(request.user.candidate, registration_id)
    order = Order.objects.filter(registration=registration, status=OrderStatus.PAID).first()
    if order is None:
        context = {"registration": registration, "message": NOT_PAID}
        return render(request, "documents/receipt_refused.html", context, status=409)
    pdf = render_receipt(receipt_info(registration, order))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="jiaofei-pingzheng-{order.order_no}.pdf"'
    response["Cache-Control"] = "private, no-store"
    # As for the forms: the site's page policy would blank Chrome's PDF viewer.
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
