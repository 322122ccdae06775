#!/usr/bin/env python3
"""paysim — a payment gateway simulator, the stand-in for the province's non-tax payment platform.

It runs as its own small HTTP server process (standard library ``http.server`` plus
``cryptography``; no Django), so the tests, the demo and the benchmark talk to something
outside our code over real HTTP, the way they will talk to the real platform. It is modelled
on the redirect + signed asynchronous notification pattern of Chinese payment platforms
(UnionPay, Alipay, WeChat Pay v2, the provinces' 非税缴费平台). docs/payments.md is the
longer description.

Signing (both directions)
    canonical string = the parameters sorted by key (byte order), empty values and the
    ``sign`` field left out, each written ``k=v`` (raw UTF-8, not URL-encoded), joined by
    ``&``. ``sign`` = base64(RSA PKCS#1 v1.5 signature with SHA-256 over that string), the
    "RSA2" scheme of Alipay. Requests are signed with the MERCHANT's (our) private key and
    verified here with ``--merchant-public-key``; everything the platform sends back
    (notification, return redirect, query answer) is signed with the PLATFORM's private key.
    This module deliberately re-implements the canonical string instead of importing
    yikao.payments: a shared bug would otherwise be invisible to the tests.

Endpoints
    POST /pay              form or JSON: merchant_id, order_no, amount (分, integer), subject,
                           notify_url, return_url, timestamp (Unix seconds), nonce, sign.
                           400 + JSON error on a bad signature, stale timestamp (>300 s),
                           reused nonce, bad field. Answers the cashier page (HTML), or JSON
                           {trade_no, cashier_url, status} when the body is JSON or
                           ``Accept: application/json`` (server-to-server "统一下单").
                           Query flags (not signed): auto=success|fail pays at once;
                           dup=N sends the notification N times; delay=S waits S seconds
                           first; hold=1 keeps it until POST /control/release.
    GET  /cashier/<trade>  the cashier page again; POST it with result=success|fail to pay,
                           answered by a 303 to return_url with platform-signed parameters.
    (notification)         POST form to notify_url: merchant_id, order_no, trade_no, amount,
                           status SUCCESS|FAIL, paid_at (ISO, +08:00), notify_id, timestamp,
                           nonce, sign. Retried with backoff until the answer body is
                           ``SUCCESS`` (--notify-tries, --notify-backoff); each attempt is
                           signed afresh (new timestamp and nonce, same notify_id).
    GET  /query            merchant_id, order_no, timestamp, nonce, sign -> JSON signed by the
                           platform: order_no, trade_no, amount, status
                           (NOT_FOUND|WAIT|SUCCESS|FAIL), paid_at, timestamp, nonce, sign.
    GET  /statement        merchant_id, date=YYYY-MM-DD, timestamp, nonce, sign -> CSV of the
                           day's (Asia/Shanghai) successful trades: trade_no, order_no, amount
                           (分), paid_at, status. Header ``Paysim-Signature``: the platform's
                           signature over the body bytes.
    GET  /public-key.pem   the platform's public key (a demo convenience; the real one comes
                           out of band).

Controls (for tests; unauthenticated, so the server binds 127.0.0.1 by default)
    POST /control/down, /control/up     every non-control endpoint answers 503 while down.
    POST /control/notify                JSON {dup, delay, hold}: defaults for later payments.
    POST /control/release               JSON {"order": [order_no, ...]} or {"reverse": true}:
                                        deliver held notifications in that order, one by one.
    POST /control/statement-row         JSON {date, order_no, amount, trade_no?, paid_at?}: a
                                        row that exists only in the statement.
    POST /control/statement-amount      JSON {order_no, amount}: the statement shows this
                                        amount instead of the paid one.
    POST /control/reset                 forget everything (keys stay).
    GET  /control/state                 JSON: trades, held notifications, delivery log.

Usage
    python scripts/paysim.py --port 0 --merchant-public-key var/payments/merchant_public.pem \\
        --keys var/paysim
The first line on stdout is ``PAYSIM_URL=http://127.0.0.1:NNNN``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import csv
import html
import io
import itertools
import json
import re
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
# A request older (or newer) than this is refused, and its nonce is remembered this long.
REQUEST_WINDOW_SECONDS = 300
MAX_AMOUNT_FEN = 100_000_000  # 100万元: far above any exam fee; catches unit mix-ups


# --- signing (independent of yikao.payments on purpose, see the module docstring) ---------


def canonical_string(params: dict) -> str:
    items = sorted(
        (str(k), str(v)) for k, v in params.items() if k != "sign" and v not in ("", None)
    )
    return "&".join(f"{k}={v}" for k, v in items)


def sign(params: dict, private_key: rsa.RSAPrivateKey) -> str:
    signature = private_key.sign(
        canonical_string(params).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    return base64.b64encode(signature).decode()


def verify(params: dict, signature: str, public_key: rsa.RSAPublicKey) -> bool:
    try:
        raw = base64.b64decode(signature or "", validate=True)
        public_key.verify(
            raw, canonical_string(params).encode(), padding.PKCS1v15(), hashes.SHA256()
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


def load_or_create_keys(directory: Path | None) -> rsa.RSAPrivateKey:
    """The platform's key pair: loaded from DIR, or made and written there (public key too)."""
    if directory is not None:
        private_path = directory / "platform_private.pem"
        if private_path.exists():
            key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
            assert isinstance(key, rsa.RSAPrivateKey)
            return key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if directory is not None:
        directory.mkdir(parents=True, exist_ok=True)
        private_path = directory / "platform_private.pem"
        private_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        private_path.chmod(0o600)
        (directory / "platform_public.pem").write_bytes(public_pem(key))
    return key


def public_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def now_china() -> datetime:
    return datetime.now(UTC).astimezone(CHINA)


def yuan(amount_fen: int) -> str:
    return f"{amount_fen // 100}.{amount_fen % 100:02d}"


class BadRequest(Exception):
    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


# --- the platform's state ----------------------------------------------------------------


class Platform:
    def __init__(self, args: argparse.Namespace, private_key: rsa.RSAPrivateKey, merchant_key):
        self.merchant_id = args.merchant_id
        self.private_key = private_key
        self.merchant_key = merchant_key
        self.notify_tries = args.notify_tries
        self.notify_backoff = args.notify_backoff
        self.notify_timeout = args.notify_timeout
        self.lock = threading.Lock()
        self.generation = 0
        self.reset()

    def reset(self) -> None:
        with self.lock:
            # Delivery threads of the previous generation stop at their next attempt, so a
            # test's leftovers never reach the next test's receiver.
            self.generation += 1
            self.down = False
            self.trades: dict[str, dict] = {}
            self.by_order: dict[str, str] = {}  # order_no -> its latest trade_no
            self.nonces: dict[str, float] = {}
            self.held: list[dict] = []
            self.deliveries: list[dict] = []
            self.defaults = {"dup": 1, "delay": 0.0, "hold": False}
            self.statement_rows: list[dict] = []
            self.statement_amounts: dict[str, int] = {}
            self.counter = itertools.count(1)

    # requests from the merchant

    def check_request(self, params: dict) -> None:
        """Signature, merchant, freshness and nonce: the gate every merchant request passes."""
        if params.get("merchant_id") != self.merchant_id:
            raise BadRequest("UNKNOWN_MERCHANT", "商户号不存在")
        if not params.get("sign"):
            raise BadRequest("MISSING_SIGNATURE", "缺少签名")
        if not verify(params, params["sign"], self.merchant_key):
            raise BadRequest("BAD_SIGNATURE", "签名验证失败")
        try:
            ts = int(params.get("timestamp", ""))
        except ValueError:
            raise BadRequest("BAD_TIMESTAMP", "时间戳格式错误") from None
        if abs(time.time() - ts) > REQUEST_WINDOW_SECONDS:
            raise BadRequest("TIMESTAMP_EXPIRED", "请求已过期")
        nonce = params.get("nonce", "")
        if not nonce:
            raise BadRequest("MISSING_NONCE", "缺少随机串")
        with self.lock:
            cutoff = time.time() - 2 * REQUEST_WINDOW_SECONDS
            self.nonces = {n: t for n, t in self.nonces.items() if t > cutoff}
            if nonce in self.nonces:
                raise BadRequest("NONCE_REUSED", "重复的请求")
            self.nonces[nonce] = time.time()

    def create_trade(self, params: dict) -> dict:
        self.check_request(params)
        for field in ("order_no", "amount", "subject", "notify_url"):
            if not params.get(field):
                raise BadRequest("MISSING_FIELD", f"缺少字段 {field}")
        if (
            not re.fullmatch(r"[1-9][0-9]{0,9}", params["amount"])
            or int(params["amount"]) > MAX_AMOUNT_FEN
        ):
            raise BadRequest("BAD_AMOUNT", "金额必须是以分为单位的正整数")
        for field in ("notify_url", "return_url"):
            url = params.get(field, "")
            if url and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise BadRequest("BAD_URL", f"{field} 必须是 http(s) 地址")
        order_no = params["order_no"]
        with self.lock:
            previous = self.trades.get(self.by_order.get(order_no, ""))
            if previous and previous["status"] == "SUCCESS":
                raise BadRequest("ORDER_PAID", "该订单已支付", status=409)
            if previous and previous["status"] == "WAIT":
                if previous["amount"] != int(params["amount"]):
                    raise BadRequest("ORDER_MISMATCH", "同一订单号的金额不一致", status=409)
                # The same order posted again (a reload, a second tab): the same cashier.
                return previous
            trade_no = (
                f"PS{now_china():%Y%m%d}{next(self.counter):06d}{secrets.randbelow(10000):04d}"
            )
            trade = {
                "trade_no": trade_no,
                "order_no": order_no,
                "amount": int(params["amount"]),
                "subject": params["subject"],
                "notify_url": params["notify_url"],
                "return_url": params.get("return_url", ""),
                "status": "WAIT",
                "created_at": now_china().isoformat(timespec="seconds"),
                "paid_at": "",
            }
            self.trades[trade_no] = trade
            self.by_order[order_no] = trade_no
            return trade

    def finish(self, trade_no: str, success: bool, flags: dict) -> dict:
        with self.lock:
            trade = self.trades.get(trade_no)
            if trade is None:
                raise BadRequest("UNKNOWN_TRADE", "交易不存在", status=404)
            if trade["status"] != "WAIT":
                raise BadRequest("TRADE_CLOSED", "该交易已结束", status=409)
            trade["status"] = "SUCCESS" if success else "FAIL"
            trade["paid_at"] = now_china().isoformat(timespec="seconds") if success else ""
        self.notify(trade, flags)
        return trade

    def signed(self, fields: dict) -> dict:
        params = {
            **{k: str(v) for k, v in fields.items()},
            "merchant_id": self.merchant_id,
            "timestamp": str(int(time.time())),
            "nonce": secrets.token_hex(16),
        }
        params["sign"] = sign(params, self.private_key)
        return params

    def trade_fields(self, trade: dict) -> dict:
        return {
            "order_no": trade["order_no"],
            "trade_no": trade["trade_no"],
            "amount": trade["amount"],
            "status": trade["status"],
            "paid_at": trade["paid_at"],
        }

    # notifications

    def notify(self, trade: dict, flags: dict) -> None:
        dup = max(1, int(flags.get("dup", self.defaults["dup"])))
        delay = float(flags.get("delay", self.defaults["delay"]))
        hold = flags.get("hold", self.defaults["hold"])
        notify_id = secrets.token_hex(12)
        jobs = [
            {
                "trade_no": trade["trade_no"],
                "order_no": trade["order_no"],
                "notify_id": notify_id,
                "copy": i + 1,
                "generation": self.generation,
            }
            for i in range(dup)
        ]
        if hold:
            with self.lock:
                self.held.extend(jobs)
            return
        threading.Thread(target=self._deliver_all, args=(jobs, delay), daemon=True).start()

    def release(self, order: list[str] | None, reverse: bool) -> int:
        with self.lock:
            held, self.held = self.held, []
        if order is not None:
            rank = {order_no: i for i, order_no in enumerate(order)}
            wanted = [j for j in held if j["order_no"] in rank]
            wanted.sort(key=lambda j: rank[j["order_no"]])
            with self.lock:
                self.held = [j for j in held if j not in wanted] + self.held
            held = wanted
        if reverse:
            held.reverse()
        threading.Thread(target=self._deliver_all, args=(held, 0.0), daemon=True).start()
        return len(held)

    def _deliver_all(self, jobs: list[dict], delay: float) -> None:
        # One thread per batch, one job after another: the order the test asked for is the
        # order the merchant sees.
        if delay:
            time.sleep(delay)
        for job in jobs:
            self._deliver(job)

    def _deliver(self, job: dict) -> None:
        trade = self.trades.get(job["trade_no"])
        for attempt in range(1, self.notify_tries + 1):
            if trade is None or job["generation"] != self.generation:
                return
            params = self.signed({**self.trade_fields(trade), "notify_id": job["notify_id"]})
            body = urllib.parse.urlencode(params).encode()
            request = urllib.request.Request(  # noqa: S310 - notify_url was checked to be http(s)
                trade["notify_url"],
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            )
            entry = {
                "order_no": trade["order_no"],
                "trade_no": trade["trade_no"],
                "notify_id": job["notify_id"],
                "copy": job["copy"],
                "attempt": attempt,
                "status": trade["status"],
                "at": now_china().isoformat(timespec="milliseconds"),
            }
            try:
                with urllib.request.urlopen(request, timeout=self.notify_timeout) as response:  # noqa: S310
                    answer = response.read(1000).decode("utf-8", "replace")
                    entry["http_status"] = response.status
            except urllib.error.HTTPError as error:
                answer = error.read(1000).decode("utf-8", "replace")
                entry["http_status"] = error.code
            except OSError as error:
                answer = ""
                entry["http_status"] = 0
                entry["error"] = str(error)
            entry["answer"] = answer.strip()
            entry["acknowledged"] = entry["http_status"] == 200 and answer.strip() == "SUCCESS"
            with self.lock:
                self.deliveries.append(entry)
            if entry["acknowledged"]:
                return
            if attempt < self.notify_tries:
                time.sleep(self.notify_backoff * 2 ** (attempt - 1))

    # query and statement

    def query(self, params: dict) -> dict:
        self.check_request(params)
        with self.lock:
            trade = self.trades.get(self.by_order.get(params.get("order_no", ""), ""))
            if trade is None:
                fields = {"order_no": params.get("order_no", ""), "status": "NOT_FOUND"}
            else:
                fields = self.trade_fields(trade)
        return self.signed(fields)

    def statement(self, params: dict) -> bytes:
        self.check_request(params)
        day = params.get("date", "")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise BadRequest("BAD_DATE", "日期格式应为 YYYY-MM-DD")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["trade_no", "order_no", "amount", "paid_at", "status"])
        with self.lock:
            for trade in self.trades.values():
                if trade["status"] == "SUCCESS" and trade["paid_at"][:10] == day:
                    amount = self.statement_amounts.get(trade["order_no"], trade["amount"])
                    writer.writerow(
                        [trade["trade_no"], trade["order_no"], amount, trade["paid_at"], "SUCCESS"]
                    )
            for row in self.statement_rows:
                if row["paid_at"][:10] == day:
                    writer.writerow(
                        [row["trade_no"], row["order_no"], row["amount"], row["paid_at"], "SUCCESS"]
                    )
        return out.getvalue().encode()


# --- HTTP --------------------------------------------------------------------------------

CASHIER = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>支付平台（模拟）— 收银台</title></head>
<body>
<h1>收银台（模拟支付平台）</h1>
<p>订单号：<span id="order-no">{order_no}</span></p>
<p>交易号：<span id="trade-no">{trade_no}</span></p>
<p>商品：{subject}</p>
<p>金额：<strong id="amount">¥{amount}</strong> 元</p>
<form method="post" action="/cashier/{trade_no}">
  <button type="submit" name="result" value="success">支付成功</button>
  <button type="submit" name="result" value="fail">支付失败</button>
</form>
</body></html>
"""


class Handler(BaseHTTPRequestHandler):
    platform: Platform  # set on the class by main()
    protocol_version = "HTTP/1.1"
    server_version = "paysim/1"

    def log_message(self, format, *args):
        if self.server.verbose:
            super().log_message(format, *args)

    # helpers

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, data) -> None:
        body = json.dumps(data, ensure_ascii=False).encode()
        self._send(status, body, "application/json; charset=utf-8")

    def _error(self, error: BadRequest) -> None:
        self._json(error.status, {"error": error.code, "message": error.message})

    def _body(self) -> tuple[dict, bool]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if (self.headers.get("Content-Type") or "").startswith("application/json"):
            try:
                data = json.loads(raw or b"{}")
            except ValueError:
                raise BadRequest("BAD_JSON", "请求体不是合法的 JSON") from None
            if not isinstance(data, dict):
                raise BadRequest("BAD_JSON", "请求体必须是 JSON 对象")
            return {str(k): "" if v is None else str(v) for k, v in data.items()}, True
        return dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True)), False

    def _query(self) -> dict:
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))

    def _route(self) -> str:
        return urllib.parse.urlsplit(self.path).path

    # verbs

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        route = self._route()
        try:
            if route.startswith("/control/"):
                return self._control(method, route)
            if route == "/public-key.pem":
                return self._send(
                    200, public_pem(self.platform.private_key), "application/x-pem-file"
                )
            if self.platform.down:
                raise BadRequest("PLATFORM_DOWN", "支付平台维护中", status=503)
            if method == "POST" and route == "/pay":
                return self._pay()
            if route.startswith("/cashier/"):
                return self._cashier(method, route.removeprefix("/cashier/"))
            if method == "GET" and route == "/query":
                return self._json(200, self.platform.query(self._query()))
            if method == "GET" and route == "/statement":
                body = self.platform.statement(self._query())
                # The file is signed as raw bytes: a statement is not a parameter set.
                signature = base64.b64encode(
                    self.platform.private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
                ).decode()
                return self._send(
                    200, body, "text/csv; charset=utf-8", {"Paysim-Signature": signature}
                )
            raise BadRequest("NOT_FOUND", "没有这个地址", status=404)
        except BadRequest as error:
            self._error(error)

    def _flags(self) -> dict:
        query = self._query()
        flags: dict = {}
        try:
            if "dup" in query:
                flags["dup"] = int(query["dup"])
            if "delay" in query:
                flags["delay"] = float(query["delay"])
        except ValueError:
            raise BadRequest("BAD_FLAG", "dup/delay 必须是数字") from None
        if "hold" in query:
            flags["hold"] = query["hold"] not in ("0", "")
        return flags

    def _pay(self) -> None:
        params, is_json = self._body()
        flags = self._flags()
        trade = self.platform.create_trade(params)
        auto = self._query().get("auto")
        if auto in ("success", "fail") and trade["status"] == "WAIT":
            trade = self.platform.finish(trade["trade_no"], auto == "success", flags)
        elif flags:
            trade["flags"] = flags  # applied when the cashier's button is pressed
        wants_json = is_json or "application/json" in (self.headers.get("Accept") or "")
        if wants_json:
            return self._json(
                200,
                {
                    "trade_no": trade["trade_no"],
                    "order_no": trade["order_no"],
                    "status": trade["status"],
                    "cashier_url": f"/cashier/{trade['trade_no']}",
                },
            )
        self._cashier_page(trade)

    def _cashier_page(self, trade: dict) -> None:
        page = CASHIER.format(
            order_no=html.escape(trade["order_no"]),
            trade_no=html.escape(trade["trade_no"]),
            subject=html.escape(trade["subject"]),
            amount=yuan(trade["amount"]),
        )
        self._send(200, page.encode(), "text/html; charset=utf-8")

    def _cashier(self, method: str, trade_no: str) -> None:
        trade = self.platform.trades.get(trade_no)
        if trade is None:
            raise BadRequest("UNKNOWN_TRADE", "交易不存在", status=404)
        if method == "GET":
            return self._cashier_page(trade)
        params, _ = self._body()
        result = params.get("result")
        if result not in ("success", "fail"):
            raise BadRequest("BAD_RESULT", "result 应为 success 或 fail")
        trade = self.platform.finish(trade_no, result == "success", trade.get("flags", {}))
        if not trade["return_url"]:
            return self._json(200, self.platform.trade_fields(trade))
        # The browser goes back to us with the result, signed; the notification stays the
        # authoritative word (a candidate may close the tab before this redirect).
        back = self.platform.signed(self.platform.trade_fields(trade))
        separator = "&" if "?" in trade["return_url"] else "?"
        location = trade["return_url"] + separator + urllib.parse.urlencode(back)
        self.send_response(303)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _control(self, method: str, route: str) -> None:
        platform = self.platform
        if method == "GET" and route == "/control/state":
            with platform.lock:
                state = {
                    "down": platform.down,
                    "trades": list(platform.trades.values()),
                    "held": list(platform.held),
                    "deliveries": list(platform.deliveries),
                }
            return self._json(200, state)
        if method != "POST":
            raise BadRequest("NOT_FOUND", "没有这个地址", status=404)
        data = {}
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            try:
                data = json.loads(self.rfile.read(length))
            except ValueError:
                raise BadRequest("BAD_JSON", "请求体不是合法的 JSON") from None
        if route == "/control/down":
            platform.down = True
        elif route == "/control/up":
            platform.down = False
        elif route == "/control/reset":
            platform.reset()
        elif route == "/control/notify":
            for key in ("dup", "delay", "hold"):
                if key in data:
                    platform.defaults[key] = data[key]
        elif route == "/control/release":
            count = platform.release(data.get("order"), bool(data.get("reverse")))
            return self._json(200, {"ok": True, "released": count})
        elif route == "/control/statement-row":
            paid_at = data.get("paid_at") or f"{data['date']}T12:00:00+08:00"
            with platform.lock:
                platform.statement_rows.append(
                    {
                        "trade_no": data.get("trade_no") or f"PSX{secrets.token_hex(6)}",
                        "order_no": data["order_no"],
                        "amount": int(data["amount"]),
                        "paid_at": paid_at,
                    }
                )
        elif route == "/control/statement-amount":
            with platform.lock:
                platform.statement_amounts[data["order_no"]] = int(data["amount"])
        else:
            raise BadRequest("NOT_FOUND", "没有这个地址", status=404)
        self._json(200, {"ok": True})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Payment gateway simulator (see the docstring).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900, help="0 picks a free port")
    parser.add_argument("--keys", type=Path, help="directory for the platform's key pair")
    parser.add_argument(
        "--merchant-public-key",
        type=Path,
        required=True,
        help="our (the merchant's) public key PEM",
    )
    parser.add_argument("--merchant-id", default="YIKAO")
    parser.add_argument("--notify-tries", type=int, default=5)
    parser.add_argument(
        "--notify-backoff", type=float, default=0.2, help="seconds before the 2nd try, doubling"
    )
    parser.add_argument("--notify-timeout", type=float, default=5.0)
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)

    merchant_key = serialization.load_pem_public_key(args.merchant_public_key.read_bytes())
    platform = Platform(args, load_or_create_keys(args.keys), merchant_key)
    Handler.platform = platform
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.verbose = args.verbose
    host, port = server.server_address[:2]
    print(f"PAYSIM_URL=http://{host}:{port}", flush=True)
    if args.keys:
        print(f"PAYSIM_PUBLIC_KEY={args.keys / 'platform_public.pem'}", flush=True)

    def stop(signum, frame):
        # shutdown() waits for serve_forever, so it runs on another thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever(poll_interval=0.1)  # a quick stop on SIGTERM
    server.server_close()


if __name__ == "__main__":
    sys.exit(main())
