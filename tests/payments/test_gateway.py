"""Our gateway client against the simulator (scripts/paysim.py) running as a real process."""

import http.client
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from yikao.payments.gateway import (
    PLATFORM_UNAVAILABLE,
    Gateway,
    GatewayConfig,
    GatewayError,
    NotificationRejected,
    PlatformUnavailable,
    canonical_string,
    parse_statement,
    sign,
    verify,
)

FEE_执业 = 24000  # 240元 in 分: 4 综合 units at 60元 (docs/payments.md)
FEE_助理 = 12000


def post_pay(gateway, order_no, amount, notify_url, flags=None, return_url="", as_json=True):
    """Post a signed pay request the way a browser form (or our server) would."""
    request = gateway.pay_request(
        order_no, amount, "2026年医师资格考试 医学综合", notify_url, return_url
    )
    url = request.url + ("?" + urllib.parse.urlencode(flags) if flags else "")
    if as_json:
        body = json.dumps(request.params).encode()
        headers = {"Content-Type": "application/json"}
    else:
        body = urllib.parse.urlencode(request.params).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
    req = urllib.request.Request(url, data=body, headers=headers)
    with urllib.request.urlopen(req, timeout=5) as response:
        return response.status, response.read().decode()


# --- signing -----------------------------------------------------------------------------


def test_canonical_string_sorts_and_leaves_out_sign_and_empty_values():
    params = {"b": "2", "a": "1", "sign": "xyz", "empty": "", "subject": "医学综合", "c": 3}
    assert canonical_string(params) == "a=1&b=2&c=3&subject=医学综合"


def test_sign_and_verify(keys):
    from yikao.payments.gateway import load_private_key

    key = load_private_key(keys / "merchant_private.pem")
    params = {"order_no": "Y1", "amount": "24000"}
    signature = sign(params, key)
    assert verify(params, signature, key.public_key())
    assert not verify({**params, "amount": "1"}, signature, key.public_key())
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert not verify(params, signature, other.public_key())
    assert not verify(params, "not base64!", key.public_key())
    assert not verify(params, "", key.public_key())


# --- pay and notification ----------------------------------------------------------------


def test_paid_order_is_notified_signed_and_verifies(gateway, receiver, ctl):
    status, body = post_pay(gateway, "Y2026000001", FEE_执业, receiver.url, {"auto": "success"})
    assert status == 200
    answer = json.loads(body)
    assert answer["status"] == "SUCCESS"

    [params] = receiver.take(1)
    note = gateway.verify_notification(params)
    assert note.paid
    assert (note.order_no, note.trade_no, note.amount) == (
        "Y2026000001",
        answer["trade_no"],
        FEE_执业,
    )
    assert datetime.fromisoformat(note.paid_at).utcoffset() == timedelta(hours=8)
    note.check_against("Y2026000001", FEE_执业)
    receiver.nothing_more()
    [delivery] = ctl("state", method="GET")["deliveries"]
    assert delivery["acknowledged"]


def test_failed_payment_is_notified_as_fail(gateway, receiver):
    post_pay(gateway, "Y2026000002", FEE_助理, receiver.url, {"auto": "fail"})
    note = gateway.verify_notification(receiver.take(1)[0])
    assert note.status == "FAIL"
    assert not note.paid


def test_pay_request_with_bad_signature_is_refused(gateway, paysim):
    request = gateway.pay_request("Y2026000003", FEE_执业, "医学综合", "http://127.0.0.1:1/n")
    forged = {**request.params, "amount": "1"}  # the candidate lowers the amount in the form
    req = urllib.request.Request(
        request.url,
        data=json.dumps(forged).encode(),
        headers={"Content-Type": "application/json"},
    )
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(req, timeout=5)
    assert raised.value.code == 400
    assert json.loads(raised.value.read())["error"] == "BAD_SIGNATURE"


def test_replayed_pay_request_is_refused(gateway):
    request = gateway.pay_request("Y2026000004", FEE_执业, "医学综合", "http://127.0.0.1:1/n")
    body = json.dumps(request.params).encode()
    headers = {"Content-Type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(request.url, body, headers), timeout=5):
        pass
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(urllib.request.Request(request.url, body, headers), timeout=5)
    assert json.loads(raised.value.read())["error"] == "NONCE_REUSED"


def test_cashier_page_then_redirect_back_signed(gateway, receiver, paysim):
    status, page = post_pay(
        gateway,
        "Y2026000005",
        FEE_执业,
        receiver.url,
        return_url="http://127.0.0.1:1/payments/return?x=1",
        as_json=False,
    )
    assert status == 200
    assert "¥240.00" in page and "Y2026000005" in page
    assert "支付成功" in page and "支付失败" in page
    trade_no = page.split('id="trade-no">')[1].split("<")[0]

    # Press 支付成功 without following the redirect: it points at our (absent) return page.
    host, port = urllib.parse.urlsplit(paysim).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request(
        "POST",
        f"/cashier/{trade_no}",
        body="result=success",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    response = conn.getresponse()
    assert response.status == 303
    location = response.getheader("Location")
    conn.close()
    assert location.startswith("http://127.0.0.1:1/payments/return?x=1&")
    back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
    back.pop("x")
    assert gateway.verify_notification(back).paid
    assert gateway.verify_notification(receiver.take(1)[0]).trade_no == trade_no


def test_server_to_server_creation_gives_the_cashier(gateway, receiver):
    request = gateway.pay_request("Y2026000006", FEE_执业, "医学综合", receiver.url)
    created = gateway.create_payment(request)
    assert created["status"] == "WAIT"
    with urllib.request.urlopen(created["cashier_url"], timeout=5) as response:
        assert "¥240.00" in response.read().decode()
    assert gateway.query("Y2026000006").status == "WAIT"


# --- notifications we must refuse ----------------------------------------------------------


@pytest.fixture
def genuine(gateway, receiver):
    post_pay(gateway, "Y2026000010", FEE_执业, receiver.url, {"auto": "success"})
    return receiver.take(1)[0]


def test_tampered_amount_is_refused(gateway, genuine):
    with pytest.raises(NotificationRejected) as raised:
        gateway.verify_notification({**genuine, "amount": "1"})
    assert raised.value.code == "BAD_SIGNATURE"


def test_notification_forged_with_another_key_is_refused(gateway, genuine):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = {**genuine, "status": "SUCCESS"}
    forged["sign"] = sign(forged, forger)
    with pytest.raises(NotificationRejected) as raised:
        gateway.verify_notification(forged)
    assert raised.value.code == "BAD_SIGNATURE"


def test_missing_signature_is_refused(gateway, genuine):
    unsigned = {k: v for k, v in genuine.items() if k != "sign"}
    with pytest.raises(NotificationRejected) as raised:
        gateway.verify_notification(unsigned)
    assert raised.value.code == "MISSING_SIGNATURE"


def test_replay_after_the_window_is_refused(gateway, genuine):
    later = time.time() + gateway.config.notify_window + 1
    with pytest.raises(NotificationRejected) as raised:
        gateway.verify_notification(genuine, now=later)
    assert raised.value.code == "STALE"


def test_notification_for_another_order_or_amount_is_refused(gateway, genuine):
    note = gateway.verify_notification(genuine)
    with pytest.raises(NotificationRejected) as raised:
        note.check_against("Y2026000099", FEE_执业)
    assert raised.value.code == "WRONG_ORDER"
    with pytest.raises(NotificationRejected) as raised:
        note.check_against("Y2026000010", FEE_助理)
    assert raised.value.code == "AMOUNT_MISMATCH"


def test_notification_for_another_merchant_is_refused(gateway, genuine, keys):
    other = Gateway(GatewayConfig(**{**gateway.config.__dict__, "merchant_id": "OTHER"}))
    with pytest.raises(NotificationRejected) as raised:
        other.verify_notification(genuine)
    assert raised.value.code == "WRONG_MERCHANT"


# --- delivery: retries, duplicates, delay, order -----------------------------------------


def test_retried_until_we_answer_success(gateway, receiver, ctl):
    receiver.answers = ["FAIL", "busy"]
    post_pay(gateway, "Y2026000020", FEE_执业, receiver.url, {"auto": "success"})
    first, second, third = receiver.take(3)
    # Each attempt is signed afresh but carries the same event id.
    assert first["notify_id"] == second["notify_id"] == third["notify_id"]
    assert first["nonce"] != second["nonce"]
    for params in (first, second, third):
        gateway.verify_notification(params)
    receiver.nothing_more()
    deliveries = ctl("state", method="GET")["deliveries"]
    assert [d["acknowledged"] for d in deliveries] == [False, False, True]


def test_gives_up_after_the_last_try(gateway, receiver, ctl):
    receiver.answers = ["no"] * 10
    post_pay(gateway, "Y2026000021", FEE_执业, receiver.url, {"auto": "success"})
    assert len(receiver.take(4)) == 4  # --notify-tries 4 in the fixture
    receiver.nothing_more(0.5)
    # The order is still paid there: the query is how we learn it.
    assert gateway.query("Y2026000021").status == "SUCCESS"


def test_duplicates_arrive_and_all_verify(gateway, receiver):
    post_pay(gateway, "Y2026000022", FEE_执业, receiver.url, {"auto": "success", "dup": "5"})
    notes = [gateway.verify_notification(p) for p in receiver.take(5)]
    assert {n.trade_no for n in notes} == {notes[0].trade_no}
    assert {n.notify_id for n in notes} == {notes[0].notify_id}
    receiver.nothing_more()


def test_delayed_notification(gateway, receiver):
    started = time.monotonic()
    post_pay(gateway, "Y2026000023", FEE_执业, receiver.url, {"auto": "success", "delay": "0.6"})
    receiver.take(1, timeout=5)
    assert time.monotonic() - started >= 0.6


def test_held_notifications_released_out_of_order(gateway, receiver, ctl):
    for order_no in ("Y2026000031", "Y2026000032", "Y2026000033"):
        post_pay(gateway, order_no, FEE_助理, receiver.url, {"auto": "success", "hold": "1"})
    receiver.nothing_more(0.3)
    assert len(ctl("state", method="GET")["held"]) == 3

    assert ctl("release", {"order": ["Y2026000033", "Y2026000031"]})["released"] == 2
    assert [p["order_no"] for p in receiver.take(2)] == ["Y2026000033", "Y2026000031"]
    ctl("release", {"reverse": True})
    assert receiver.take(1)[0]["order_no"] == "Y2026000032"


def test_fail_then_success_for_one_order_released_reversed(gateway, receiver, ctl):
    # A failed attempt, then a paid one: their notifications come back newest first.
    post_pay(gateway, "Y2026000040", FEE_执业, receiver.url, {"auto": "fail", "hold": "1"})
    post_pay(gateway, "Y2026000040", FEE_执业, receiver.url, {"auto": "success", "hold": "1"})
    ctl("release", {"reverse": True})
    notes = [gateway.verify_notification(p) for p in receiver.take(2)]
    assert [n.status for n in notes] == ["SUCCESS", "FAIL"]
    assert notes[0].trade_no != notes[1].trade_no
    assert gateway.query("Y2026000040").status == "SUCCESS"


# --- query, statement, outage ----------------------------------------------------------


def test_query(gateway, receiver):
    assert gateway.query("Y2026000050").status == "NOT_FOUND"
    post_pay(gateway, "Y2026000050", FEE_执业, receiver.url, {"auto": "success"})
    result = gateway.query("Y2026000050")
    assert (result.status, result.amount) == ("SUCCESS", FEE_执业)
    assert result.trade_no.startswith("PS")


def test_statement_with_injected_mismatches(gateway, receiver, ctl):
    post_pay(gateway, "Y2026000060", FEE_执业, receiver.url, {"auto": "success"})
    post_pay(gateway, "Y2026000061", FEE_助理, receiver.url, {"auto": "success"})
    post_pay(gateway, "Y2026000062", FEE_助理, receiver.url, {"auto": "fail"})
    receiver.take(3)
    today = datetime.now(timezone(timedelta(hours=8))).date().isoformat()
    ctl("statement-row", {"date": today, "order_no": "Y2026009999", "amount": 24000})
    ctl("statement-amount", {"order_no": "Y2026000061", "amount": 12500})

    rows = {row.order_no: row for row in gateway.statement(today)}
    assert set(rows) == {"Y2026000060", "Y2026000061", "Y2026009999"}  # the failed one is absent
    assert rows["Y2026000060"].amount == FEE_执业
    assert rows["Y2026000061"].amount == 12500
    assert all(row.status == "SUCCESS" for row in rows.values())
    assert gateway.statement("2000-01-01") == []


def test_parse_statement_refuses_a_bad_file():
    with pytest.raises(GatewayError):
        parse_statement("a,b\n1,2\n")
    with pytest.raises(GatewayError):
        parse_statement("trade_no,order_no,amount,paid_at,status\nT1,Y1,12.5,x,SUCCESS\n")


def test_platform_down_gives_the_documented_error(gateway, receiver, ctl):
    ctl("down")
    with pytest.raises(PlatformUnavailable) as raised:
        gateway.query("Y2026000070")
    assert (
        raised.value.message
        == PLATFORM_UNAVAILABLE
        == "支付平台暂时无法访问，请稍后再试。您未被扣款。"
    )
    with pytest.raises(PlatformUnavailable):
        gateway.create_payment(
            gateway.pay_request("Y2026000070", FEE_执业, "医学综合", receiver.url)
        )
    ctl("up")
    assert gateway.query("Y2026000070").status == "NOT_FOUND"


def test_unreachable_or_slow_platform_gives_the_documented_error(gateway):
    # Nothing listens on port 1.
    closed = Gateway(GatewayConfig(**{**gateway.config.__dict__, "base_url": "http://127.0.0.1:1"}))
    with pytest.raises(PlatformUnavailable):
        closed.query("Y1")

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self):
            time.sleep(2)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        slow = Gateway(
            GatewayConfig(
                **{
                    **gateway.config.__dict__,
                    "base_url": f"http://127.0.0.1:{server.server_address[1]}",
                    "timeout": 0.3,
                }
            )
        )
        started = time.monotonic()
        with pytest.raises(PlatformUnavailable):
            slow.query("Y1")
        assert time.monotonic() - started < 1.5
    finally:
        server.shutdown()
        server.server_close()


def test_config_from_env_makes_our_dev_keys_on_first_use(tmp_path, keys):
    env = {
        "YIKAO_PAY_GATEWAY_URL": "http://127.0.0.1:8999",
        "YIKAO_PAY_PLATFORM_PUBLIC_KEY": str(keys / "platform" / "platform_public.pem"),
    }
    config = GatewayConfig.from_env(tmp_path, env)
    private = tmp_path / "payments" / "merchant_private.pem"
    assert private.exists() and (tmp_path / "payments" / "merchant_public.pem").exists()
    assert private.stat().st_mode & 0o077 == 0  # the key is for the owner only
    assert (config.base_url, config.merchant_id, config.timeout) == (
        "http://127.0.0.1:8999",
        "YIKAO",
        5.0,
    )
    # The second use loads the same key.
    again = GatewayConfig.from_env(tmp_path, env)
    assert again.private_key.private_numbers() == config.private_key.private_numbers()


def test_a_paid_order_cannot_be_paid_again_there(gateway, receiver):
    post_pay(gateway, "Y2026000080", FEE_执业, receiver.url, {"auto": "success"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        post_pay(gateway, "Y2026000080", FEE_执业, receiver.url, {"auto": "success"})
    assert raised.value.code == 409
    assert json.loads(raised.value.read())["error"] == "ORDER_PAID"
    assert len(receiver.take(1)) == 1


def test_simulator_reloads_its_keys_from_the_keys_folder(paysim_process, keys, start_paysim):
    # A second simulator on the same --keys folder signs with the same platform key, so the
    # public key our side holds stays valid across restarts.
    with start_paysim(keys) as url:
        response = urllib.request.urlopen(f"{url}/public-key.pem", timeout=5)
        served = response.read()
        response.close()
    assert served == (keys / "platform" / "platform_public.pem").read_bytes()
