"""The candidate's payment pages, and the two addresses the platform calls: the signed
asynchronous notification (authoritative) and the browser's return (a hint we verify)."""

import logging
import os
import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from yikao.accounts.decorators import candidate_required
from yikao.core import ratelimit
from yikao.core.audit import audit_record
from yikao.payments import selectors, services
from yikao.payments.gateway import GatewayError, NotificationRejected, PlatformUnavailable
from yikao.payments.models import Channel, Order, OrderStatus, Source

log = logging.getLogger(__name__)

# Fault injection for tests/faults/test_fault_payment_notify.py only: the worker dies after
# the payment is committed and before the platform hears SUCCESS, as a power cut would.
# Read once at import, so a request cannot switch it on; never set outside that test.
KILL_AFTER_SETTLE = os.environ.get("YIKAO_FAULT_KILL_AFTER_SETTLE") == "1"


@candidate_required
def pay(request, registration_id: int):
    """What is owed, until when, and the way to pay it (or the payment made)."""
    context = selectors.payment_page(request.user.candidate, registration_id)
    response = render(request, "payments/pay.html", context)
    if context["payable"] and context["online"]:
        _allow_form_action_to_platform(response)
    return response


def _allow_form_action_to_platform(response) -> None:
    """The pay button's POST ends in a redirect to the platform's cashier, and browsers
    apply this page's CSP form-action to that redirect too: 'self' alone blocks it."""
    try:
        platform = urllib.parse.urlsplit(services.gateway().config.base_url)
    except PlatformUnavailable as error:  # keys not provisioned: the page still shows
        log.error("payment gateway not configured: %s", error.detail)
        return
    response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY.replace(
        "form-action 'self'", f"form-action 'self' {platform.scheme}://{platform.netloc}"
    )


@candidate_required
@require_POST
def start(request, registration_id: int):
    """Make (or find) the order and send the candidate to the platform's cashier
    (services.payment_start); a refusal or an outage shows on the payment page."""
    try:
        started = services.payment_start(
            candidate=request.user.candidate,
            registration_pk=registration_id,
            notify_url=callback_url(request, reverse("payments:notify")),
            return_url=callback_url(request, reverse("payments:return")),
        )
    except services.PaymentError as error:
        if error.code == "not_found":
            raise Http404 from error
        messages.error(request, error.message)
    except PlatformUnavailable as error:
        messages.error(request, error.message)
    else:
        return redirect(started.cashier_url)
    return redirect("payments:pay", registration_id=registration_id)


def callback_url(request, path: str) -> str:
    # Behind a proxy the platform must call the public address, which the request may
    # not know (YIKAO_PAY_CALLBACK_BASE, docs/payments.md).
    base = settings.PAY_CALLBACK_BASE
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


@candidate_required
@require_GET
def returned(request):
    """The browser back from the cashier. Its parameters are signed by the platform; a
    valid paid one is recorded like a notification (the notification may come later or
    not at all); otherwise the order is queried once. Then the payment page."""
    params = request.GET.dict()
    order = (
        Order.objects.filter(
            order_no=params.get("order_no", ""), registration__candidate=request.user.candidate
        )
        .select_related("registration")
        .first()
    )
    if order is None:
        return redirect("registrations:index")
    if order.status == OrderStatus.PENDING:
        try:
            told = services.gateway().verify_notification(params)
            told.check_against(order.order_no, order.amount_fen)
        except GatewayError as error:  # refused, or our keys missing: ask the platform
            told = None
            log.warning("return for %s refused: %s", order.order_no, error.code)
        if told is not None and told.paid:
            _record(order, told, Source.RETURN)
        else:
            services.query_and_settle(order)
    return redirect("payments:pay", registration_id=order.registration_id)


@csrf_exempt  # called by the platform, not a browser; the RSA signature is the check
@require_POST
def notify(request):
    """The platform's signed notification. Answers exactly SUCCESS once it is recorded
    (or known, or about an order we do not have), so the platform stops retrying;
    anything else makes it retry. Refusals are audited."""
    params = request.POST.dict()
    ip = ratelimit.client_ip(request)
    try:
        told = services.gateway().verify_notification(params)
    except NotificationRejected as error:
        return _refused(params, error, ip)
    except PlatformUnavailable as error:  # our keys missing: not refused, the platform retries
        log.error("notification not checked: %s", error.detail)
        return _answer("FAIL", status=503)
    if not told.paid:
        return _answer("SUCCESS")  # a failed attempt: nothing to record
    order = Order.objects.filter(order_no=told.order_no).only("order_no", "amount_fen").first()
    if order is None:
        log.warning("notification for unknown order %s (trade %s)", told.order_no, told.trade_no)
        return _answer("SUCCESS")
    try:
        told.check_against(order.order_no, order.amount_fen)
    except NotificationRejected as error:
        return _refused(params, error, ip)
    _record(order, told, Source.NOTIFY)
    if KILL_AFTER_SETTLE:
        os._exit(1)
    return _answer("SUCCESS")


def _record(order: Order, told, source: str) -> str:
    """Record the payment a verified platform message (notification or return) reports."""
    return services.settle(
        order_no=order.order_no,
        channel=Channel.ONLINE,
        reference=told.trade_no,
        amount_fen=told.amount,
        paid_at=services.parse_time(told.paid_at),
        source=source,
        notify_id=told.notify_id,
    )


# Refusals audited per address and minute: the address is public, and a flood of forged
# posts must not become a flood of audit rows (the rest are logged only).
REFUSALS_AUDITED_PER_MINUTE = 30


def _refused(params: dict, error: NotificationRejected, ip: str | None) -> HttpResponse:
    log.warning("notification refused: %s %s", error.code, params.get("order_no", "")[:64])
    if not ratelimit.hit(
        "payment-refused", ip or "-", limit=REFUSALS_AUDITED_PER_MINUTE, window=60
    ):
        return _answer("FAIL", status=400)
    audit_record(
        actor=None,
        action="payment.notify_refused",
        changes={
            key: {"old": None, "new": str(params.get(key, ""))[:64]}
            for key in ("order_no", "trade_no", "amount", "status", "merchant_id")
        },
        reason=error.code,
        ip_address=ip,
    )
    return _answer("FAIL", status=400)


def _answer(body: str, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type="text/plain; charset=utf-8")
