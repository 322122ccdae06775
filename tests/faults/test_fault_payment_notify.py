"""The app server dies between the platform's notification and our answer.

A real gunicorn on the test database, started with YIKAO_FAULT_KILL_AFTER_SETTLE=1 (the
hook in yikao.payments.views.notify: the worker exits right after the payment is
committed, before SUCCESS is written). The simulator (scripts/paysim.py, a real process)
sees the connection drop and retries with backoff; gunicorn's master respawns the worker,
which dies again on the retry. Then the whole server is killed with SIGKILL and started
again on the same port without the hook, and the next retry is answered SUCCESS. The order
ends 已支付 exactly once: one Payment, one payment.paid audit row, one 缴费成功 message.
"""

import payment_fixtures
import pytest
from fault_server import Server
from payment_fixtures import *  # noqa: F403  (the simulator, keys, approved, site_gateway …)
from payment_fixtures import wait_for
from payment_helpers import approve, fee_schedule

from yikao.core.models import AuditEntry
from yikao.inbox.models import Message
from yikao.payments import services
from yikao.payments.gateway import Gateway, GatewayConfig, ensure_key_pair, load_public_key
from yikao.payments.models import Order, OrderStatus, Payment, Refund
from yikao.registrations.models import Status

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def deliveries(simulator: str, order_no: str) -> list[dict]:
    state = payment_fixtures.control(simulator, "state", method="GET")
    return [d for d in state["deliveries"] if d["order_no"] == order_no]


def test_kill_between_committed_payment_and_answer_pays_exactly_once(
    keys, pay_exam, pay_site, monkeypatch
):
    from review_helpers import make_registration

    fee_schedule(pay_exam, pay_site.area, skills=30000)
    registration = approve(make_registration(pay_exam, pay_site))
    order = services.order_open(candidate=registration.candidate, registration_pk=registration.pk)

    # Backoff 1 s doubling over 8 tries (about two minutes): the retries outlast a restart.
    with payment_fixtures.running_paysim(
        keys, "--notify-backoff", "1", "--notify-tries", "8"
    ) as simulator:
        monkeypatch.setenv("YIKAO_PAY_GATEWAY_URL", simulator)
        monkeypatch.setenv("YIKAO_PAY_PRIVATE_KEY", str(keys / "merchant_private.pem"))
        monkeypatch.setenv(
            "YIKAO_PAY_PLATFORM_PUBLIC_KEY", str(keys / "platform" / "platform_public.pem")
        )
        monkeypatch.setenv("YIKAO_FAULT_KILL_AFTER_SETTLE", "1")
        server = Server(workers=1, threads=2)
        try:
            server.start()  # inside the try: a server that never came up is stopped too
            gateway = Gateway(GatewayConfig(
                base_url=simulator, merchant_id="YIKAO",
                private_key=ensure_key_pair(keys / "merchant_private.pem",
                                            keys / "merchant_public.pem"),
                platform_public_key=load_public_key(keys / "platform" / "platform_public.pem"),
                timeout=5.0,
            ))  # fmt: skip
            request = gateway.pay_request(
                order.order_no,
                order.amount_fen,
                subject="医师资格考试 考试费",
                notify_url=f"http://127.0.0.1:{server.port}/payments/notify/",
                return_url=f"http://127.0.0.1:{server.port}/payments/return/",
            )
            gateway.create_payment(request, flags={"auto": "success"})

            # The payment is committed, and the platform never heard SUCCESS.
            wait_for(lambda: Payment.objects.filter(order=order).exists(), 30, "the payment")
            wait_for(lambda: deliveries(simulator, order.order_no), 30, "a delivery")
            first = deliveries(simulator, order.order_no)[0]
            assert not first["acknowledged"] and first["http_status"] == 0, first

            server.kill9()
            monkeypatch.delenv("YIKAO_FAULT_KILL_AFTER_SETTLE")
            server.start()  # the same port: the platform retries the same notify_url

            wait_for(
                lambda: any(d["acknowledged"] for d in deliveries(simulator, order.order_no)),
                90,
                "a retry answered SUCCESS",
            )
            log = deliveries(simulator, order.order_no)
        finally:
            server.stop()

    # Every attempt before the restart died with the worker; the first one after it is
    # acknowledged and ends the retries.
    assert [d["acknowledged"] for d in log] == [False] * (len(log) - 1) + [True], log
    assert log[-1]["answer"] == "SUCCESS"
    order.refresh_from_db()
    registration.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert registration.status == Status.PAID
    assert Payment.objects.filter(order=order).count() == 1
    assert not Refund.objects.exists()
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
    assert Message.objects.filter(candidate=registration.candidate, title="缴费成功").count() == 1
    assert Order.objects.filter(registration=registration).count() == 1
