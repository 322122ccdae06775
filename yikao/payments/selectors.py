"""Named reads of the candidate's payment pages."""

from django.http import Http404
from django.utils import timezone

from yikao.payments.models import Channel, Order
from yikao.payments.services import PaymentError, channel_for, fee_lines, payable_check
from yikao.registrations.models import Registration, Status


def candidate_registration(candidate, registration_id: int) -> Registration:
    registration = (
        Registration.objects.filter(candidate=candidate, pk=registration_id)
        .select_related("exam", "category", "site__area")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def payment_page(candidate, registration_id: int) -> dict:
    """The order when there is one (its frozen lines), else what the schedule says now;
    whether the candidate may pay, and why not."""
    registration = candidate_registration(candidate, registration_id)
    order = Order.objects.filter(registration=registration, round=Order.FIRST).first()
    lines = order.items if order else [line.as_dict() for line in fee_lines(registration)]
    refusal = ""
    if order is None or order.status == "pending":
        try:
            payable_check(registration)
        except PaymentError as error:
            refusal = error.message
        if not refusal and not lines:
            refusal = "本考区尚未公布该类别的收费标准，请稍后再来。"
    channel = order.channel if order else channel_for(registration)
    return {
        "registration": registration,
        "order": order,
        "lines": lines,
        "total_fen": sum(line["amount_fen"] for line in lines),
        "deadline": order.deadline if order else registration.exam.payment_deadline,
        "channel": channel,
        "online": channel == Channel.ONLINE,
        "refusal": refusal,
        "payable": not refusal and registration.status == Status.APPROVED,
        "now": timezone.now(),
    }
