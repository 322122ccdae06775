"""考点现场缴费: staff find a registration of their scope by 报名号, see what it owes, and
record the money taken at the counter with its 票据号 (services.settle, audited there and
in the life cycle)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikao.payments import scope as payment_scope
from yikao.payments import services
from yikao.payments.models import Channel, OrderStatus, Source
from yikao.payments.staff_forms import CounterLookupForm, CounterPayForm
from yikao.staff.access import staff_required

OUTCOME_MESSAGES = {
    services.Outcome.ALREADY: "该票据号已登记，本次未重复记账。",
    services.Outcome.REFUND: "该订单此前已缴费或已关闭，本次缴费已记为待退款，请在“退款”中办理。",
    services.Outcome.UNKNOWN: "找不到该订单。",
}


def _registration(request, *, number: str | None = None, pk: int | None = None):
    found = payment_scope.registrations(request.scope).select_related(
        "candidate", "exam", "category", "site__area"
    )
    found = found.filter(number=number) if number is not None else found.filter(pk=pk)
    return found.order_by("-exam__year", "-pk").first()


def _page(request, *, lookup, registration=None, order=None, refusal="", pay_form=None,
          status=200):  # fmt: skip
    return render(request, "payments/staff_counter.html", {
        "lookup": lookup, "registration": registration, "order": order, "refusal": refusal,
        "pay_form": pay_form or CounterPayForm(),
        "payable": order is not None and order.status == OrderStatus.PENDING,
    }, status=status)  # fmt: skip


def _order(request, registration):
    """The registration's order (made now if it has none), or the reason there is none."""
    try:
        order = services.order_ensure(
            payment_scope.registrations(request.scope), registration.pk, actor=request.user
        )
    except services.PaymentError as error:
        if error.code == "not_found":
            raise Http404 from error
        return None, error.message
    return order, ""


@staff_required
def counter(request):
    lookup = CounterLookupForm(request.GET if "number" in request.GET else None)
    if not lookup.is_bound or not lookup.is_valid():
        return _page(request, lookup=lookup)
    registration = _registration(request, number=lookup.cleaned_data["number"])
    if registration is None:
        lookup.add_error("number", "在您的管理范围内没有这个报名号。")
        return _page(request, lookup=lookup, status=404)
    order, refusal = _order(request, registration)
    return _page(request, lookup=lookup, registration=registration, order=order, refusal=refusal)


@staff_required
@require_POST
def counter_pay(request, registration_id: int):
    registration = _registration(request, pk=registration_id)
    if registration is None:
        raise Http404
    lookup = CounterLookupForm({"number": registration.number})
    lookup.is_valid()
    form = CounterPayForm(request.POST)
    order, refusal = _order(request, registration)
    if order is None or not form.is_valid():
        return _page(request, lookup=lookup, registration=registration, order=order,
                     refusal=refusal, pay_form=form)  # fmt: skip
    outcome = services.settle(
        order_no=order.order_no, channel=Channel.COUNTER,
        reference=form.cleaned_data["receipt_no"], amount_fen=order.amount_fen,
        paid_at=timezone.now(), source=Source.COUNTER, actor=request.user,
    )  # fmt: skip
    if outcome == services.Outcome.PAID:
        messages.success(
            request,
            f"已登记缴费：报名号 {registration.number}，{order.amount_yuan} 元，"
            f"票据号 {form.cleaned_data['receipt_no']}。",
        )
    elif outcome == services.Outcome.ALREADY:
        form.add_error("receipt_no", OUTCOME_MESSAGES[outcome])
        order.refresh_from_db()
        return _page(request, lookup=lookup, registration=registration, order=order,
                     pay_form=form)  # fmt: skip
    else:
        messages.warning(request, OUTCOME_MESSAGES[outcome])
    return redirect(f"{reverse('payments:staff_counter')}?number={registration.number}")
