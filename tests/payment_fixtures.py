"""Fixtures of the payment tests (tests/payments/ takes them all through its conftest; a test
module elsewhere imports the ones it uses): the payment simulator as a real subprocess, a
tiny HTTP receiver for its notifications, an approved registration with its fees, and our
app talking to the simulator.

One simulator per test worker (starting it costs a Python start and a key load); each test
begins with /control/reset, so no state leaks between tests.
"""

import contextlib
import json
import queue
import select
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from yikao.payments.gateway import Gateway, GatewayConfig, ensure_key_pair, load_public_key

PAYSIM = Path(__file__).resolve().parents[1] / "scripts" / "paysim.py"


@pytest.fixture(scope="session")
def keys(tmp_path_factory):
    root = tmp_path_factory.mktemp("paykeys")
    ensure_key_pair(root / "merchant_private.pem", root / "merchant_public.pem")
    return root


@contextlib.contextmanager
def running_paysim(keys, *extra: str):
    """A simulator process on a free port with the keys under `keys`; yields its URL and
    stops it on the way out."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(PAYSIM),
            "--port",
            "0",
            "--keys",
            str(keys / "platform"),
            "--merchant-public-key",
            str(keys / "merchant_public.pem"),
            *extra,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait for the URL line, but not forever: a simulator that cannot start fails the test.
        ready, _, _ = select.select([process.stdout], [], [], 15)
        line = process.stdout.readline().strip() if ready else ""
        if not line.startswith("PAYSIM_URL="):
            pytest.fail(f"paysim did not start: {line!r}")
        yield line.removeprefix("PAYSIM_URL=")
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def start_paysim():
    """running_paysim, for tests that need a simulator of their own."""
    return running_paysim


@pytest.fixture(scope="session")
def paysim_process(keys):
    # Fast retries: the tests wait for them.
    with running_paysim(keys, "--notify-backoff", "0.05", "--notify-tries", "4") as url:
        yield url


@pytest.fixture
def paysim(paysim_process):
    control(paysim_process, "reset")
    return paysim_process


@pytest.fixture
def gateway(paysim, keys):
    return Gateway(
        GatewayConfig(
            base_url=paysim,
            merchant_id="YIKAO",
            private_key=ensure_key_pair(
                keys / "merchant_private.pem", keys / "merchant_public.pem"
            ),
            platform_public_key=load_public_key(keys / "platform" / "platform_public.pem"),
            timeout=2.0,
        )
    )


def control(base_url, name, data=None, method="POST"):
    body = json.dumps(data or {}).encode() if method == "POST" else None
    request = urllib.request.Request(
        f"{base_url}/control/{name}",
        data=body,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


class Receiver:
    """Our notify_url in the tests: records each POST; answers from a script, then SUCCESS."""

    def __init__(self):
        self.received = queue.Queue()
        self.answers = []  # answered in turn before falling back to SUCCESS
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                receiver.received.put(dict(urllib.parse.parse_qsl(body)))
                answer = receiver.answers.pop(0) if receiver.answers else "SUCCESS"
                data = answer.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/payments/notify"
        # A short poll keeps shutdown() at teardown quick.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def take(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        got = []
        while len(got) < count:
            got.append(self.received.get(timeout=max(0.01, deadline - time.monotonic())))
        return got

    def nothing_more(self, wait=0.3):
        try:
            extra = self.received.get(timeout=wait)
        except queue.Empty:
            return True
        raise AssertionError(f"unexpected notification {extra}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def ctl(paysim):
    """ctl("down"), ctl("release", {"reverse": True}), ctl("state", method="GET")."""
    return lambda name, data=None, method="POST": control(paysim, name, data, method)


# --- the Django side: an approved registration, its fees, our app talking to the simulator
# (fee_schedule and approve live in tests/payment_helpers.py, importable from any test)


@pytest.fixture
def pay_exam(db):
    from datetime import timedelta

    from django.utils import timezone
    from factories import make_exam

    exam = make_exam()
    exam.payment_deadline = timezone.now() + timedelta(days=7)
    exam.save(update_fields=["payment_deadline"])
    return exam


@pytest.fixture
def pay_site(pay_exam):
    from factories import make_site

    return make_site(pay_exam, code="4101", capacity=500)


@pytest.fixture
def approved(pay_exam, pay_site):
    """An approved (待缴费) registration with the 医学综合 fee and a 实践技能 fee of 300元
    (a test figure)."""
    from payment_helpers import approve, fee_schedule
    from review_helpers import make_registration

    fee_schedule(pay_exam, pay_site.area, skills=30000)
    return approve(make_registration(pay_exam, pay_site))


@pytest.fixture
def our_gateway(paysim, keys, monkeypatch):
    """services.gateway(), the app's own client, configured to talk to the simulator."""
    from yikao.payments import services

    monkeypatch.setenv("YIKAO_PAY_GATEWAY_URL", paysim)
    monkeypatch.setenv("YIKAO_PAY_PRIVATE_KEY", str(keys / "merchant_private.pem"))
    monkeypatch.setenv(
        "YIKAO_PAY_PLATFORM_PUBLIC_KEY", str(keys / "platform" / "platform_public.pem")
    )
    monkeypatch.setenv("YIKAO_PAY_TIMEOUT", "2")
    services.gateway.cache_clear()
    yield services.gateway()
    services.gateway.cache_clear()


@pytest.fixture
def site_gateway(our_gateway, settings, live_server):
    """our_gateway, with the simulator calling back to the live server."""
    settings.PAY_CALLBACK_BASE = live_server.url
    return our_gateway


# --- helpers of the tests that pay through the simulator


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def press(cashier_url, result="success"):
    """The candidate's click at the simulator's cashier; answers our return URL (where the
    browser would go next)."""
    opener = urllib.request.build_opener(_NoRedirect)
    body = urllib.parse.urlencode({"result": result}).encode()
    try:
        opener.open(urllib.request.Request(cashier_url, data=body, method="POST"), timeout=5)
    except urllib.error.HTTPError as answer:
        assert answer.code == 303
        return answer.headers["Location"]
    raise AssertionError("the cashier did not redirect")


def wait_for(check, timeout=10.0, what="the condition"):
    """Poll `check` until it answers something true (returned); fail after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
