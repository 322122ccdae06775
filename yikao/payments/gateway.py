"""Our side of the online payment gateway: signing, notifications, query, statement.

The protocol (docs/payments.md) is the redirect + signed asynchronous notification pattern of
Chinese payment platforms; scripts/paysim.py is the simulator that speaks it in tests and
the demo.

Signing rule: the canonical string is the parameters sorted by key, empty values and the
``sign`` field left out, each ``k=v`` in raw UTF-8 (not URL-encoded), joined by ``&``; the
signature is base64 of RSA **PKCS#1 v1.5 with SHA-256** over it (Alipay's "RSA2"; PKCS#1 v1.5
rather than PSS because that is what the Chinese platforms use, and it is deterministic, so a
signature can be compared in a test). We sign with our (the merchant's) private key and
verify what the platform sends with the platform's public key. Only ``cryptography``
primitives are used.

Keys: PEM files. ``GatewayConfig.from_env(var_dir)`` reads

    YIKAO_PAY_GATEWAY_URL          the platform's base URL (default http://127.0.0.1:8900)
    YIKAO_PAY_MERCHANT_ID          our merchant id (default YIKAO)
    YIKAO_PAY_PRIVATE_KEY          our private key PEM (default var/payments/merchant_private.pem,
                                   generated with its public key on first use for development)
    YIKAO_PAY_PLATFORM_PUBLIC_KEY  the platform's public key PEM
                                   (default var/paysim/platform_public.pem, where paysim --keys
                                   var/paysim writes it)

This module imports nothing from the other yikao apps but core (the owner-only key
writer); the orders that use it sit above it.
"""

from __future__ import annotations

import base64
import binascii
import csv
import http.client
import io
import json
import os
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from yikao.core.secrets import write_private_key

# What the candidate sees when the platform cannot be reached. Our side has not sent the
# candidate anywhere to pay yet (or only asked), so nothing was charged.
PLATFORM_UNAVAILABLE = "支付平台暂时无法访问，请稍后再试。您未被扣款。"

# A notification signed longer ago than this is refused as a replay. Real platforms retry
# for hours, but each retry is signed afresh, so a fresh timestamp is always available.
NOTIFY_WINDOW_SECONDS = 300

NOTIFY_STATUSES = ("SUCCESS", "FAIL")
QUERY_STATUSES = ("NOT_FOUND", "WAIT", "SUCCESS", "FAIL")
STATEMENT_COLUMNS = ["trade_no", "order_no", "amount", "paid_at", "status"]


class GatewayError(Exception):
    """Something the platform said or did that we cannot accept; ``message`` is for people."""

    def __init__(self, message: str, code: str = "GATEWAY_ERROR"):
        super().__init__(message)
        self.message = message
        self.code = code


class PlatformUnavailable(GatewayError):
    """The platform is down, slow past our timeout, or unreachable."""

    def __init__(self, detail: str = ""):
        super().__init__(PLATFORM_UNAVAILABLE, "PLATFORM_UNAVAILABLE")
        self.detail = detail  # for the log, never shown to the candidate


class NotificationRejected(GatewayError):
    """A notification (or return redirect) that is forged, tampered, stale or not ours."""


# --- signing ---------------------------------------------------------------------------


def canonical_string(params: Mapping[str, object]) -> str:
    items = sorted(
        (str(k), str(v)) for k, v in params.items() if k != "sign" and v is not None and v != ""
    )
    return "&".join(f"{k}={v}" for k, v in items)


def sign(params: Mapping[str, object], private_key: rsa.RSAPrivateKey) -> str:
    signature = private_key.sign(
        canonical_string(params).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    return base64.b64encode(signature).decode()


def verify(params: Mapping[str, object], signature: str, public_key: rsa.RSAPublicKey) -> bool:
    """True only for a valid signature; a missing or malformed one is simply not valid."""
    return verify_bytes(canonical_string(params).encode(), signature, public_key)


def verify_bytes(data: bytes, signature: str | None, public_key: rsa.RSAPublicKey) -> bool:
    try:
        raw = base64.b64decode(signature or "", validate=True)
        if not raw:
            return False
        public_key.verify(raw, data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, binascii.Error, ValueError):
        return False
    return True


# --- keys --------------------------------------------------------------------------------


def load_private_key(path: Path) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path} is not an RSA private key")
    return key


def load_public_key(path: Path) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError(f"{path} is not an RSA public key")
    return key


def ensure_key_pair(private_path: Path, public_path: Path) -> rsa.RSAPrivateKey:
    """Load our private key, or make the pair (development: the first use makes it)."""
    private_path, public_path = Path(private_path), Path(public_path)
    if private_path.exists():
        key = load_private_key(private_path)
    else:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        write_private_key(private_path, key)  # owner-only: the key is the merchant's identity
    if not public_path.exists():
        public_path.parent.mkdir(parents=True, exist_ok=True)
        public_path.write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    return key


# --- the client --------------------------------------------------------------------------


@dataclass(frozen=True)
class GatewayConfig:
    base_url: str
    merchant_id: str
    private_key: rsa.RSAPrivateKey
    platform_public_key: rsa.RSAPublicKey
    timeout: float = 5.0
    notify_window: int = NOTIFY_WINDOW_SECONDS

    @classmethod
    def from_env(cls, var_dir: Path, environ: Mapping[str, str] | None = None) -> GatewayConfig:
        env = os.environ if environ is None else environ
        var_dir = Path(var_dir)
        private_path = Path(
            env.get("YIKAO_PAY_PRIVATE_KEY") or var_dir / "payments" / "merchant_private.pem"
        )
        platform_path = Path(
            env.get("YIKAO_PAY_PLATFORM_PUBLIC_KEY") or var_dir / "paysim" / "platform_public.pem"
        )
        return cls(
            base_url=env.get("YIKAO_PAY_GATEWAY_URL") or "http://127.0.0.1:8900",
            merchant_id=env.get("YIKAO_PAY_MERCHANT_ID") or "YIKAO",
            private_key=ensure_key_pair(
                private_path, private_path.with_name("merchant_public.pem")
            ),
            platform_public_key=load_public_key(platform_path),
            timeout=float(env.get("YIKAO_PAY_TIMEOUT") or 5.0),
        )


@dataclass(frozen=True)
class PayRequest:
    """A signed request the browser posts to ``url`` (an auto-submitting form)."""

    url: str
    params: dict[str, str]


@dataclass(frozen=True)
class Notification:
    """A verified notification (or return redirect) from the platform."""

    order_no: str
    trade_no: str
    amount: int  # 分
    status: str  # SUCCESS or FAIL
    paid_at: str  # ISO 8601 with offset; empty unless SUCCESS
    notify_id: str  # the same across retries and duplicates of one event; empty on a return
    nonce: str
    timestamp: int

    @property
    def paid(self) -> bool:
        return self.status == "SUCCESS"

    def check_against(self, order_no: str, amount_fen: int) -> None:
        """Refuse a notification that does not match the order we hold (found by order_no)."""
        if self.order_no != order_no:
            raise NotificationRejected("通知的订单号与本订单不符。", "WRONG_ORDER")
        if self.amount != amount_fen:
            raise NotificationRejected("通知的金额与订单金额不符。", "AMOUNT_MISMATCH")


@dataclass(frozen=True)
class QueryResult:
    order_no: str
    status: str  # NOT_FOUND, WAIT, SUCCESS or FAIL
    trade_no: str = ""
    amount: int | None = None
    paid_at: str = ""


@dataclass(frozen=True)
class StatementRow:
    trade_no: str
    order_no: str
    amount: int  # 分
    paid_at: str
    status: str


class Gateway:
    def __init__(self, config: GatewayConfig):
        self.config = config

    # requests

    def _signed(self, fields: Mapping[str, object]) -> dict[str, str]:
        params = {k: str(v) for k, v in fields.items() if v is not None and v != ""}
        params.update(
            merchant_id=self.config.merchant_id,
            timestamp=str(int(time.time())),
            # A fresh nonce per request: the platform refuses one it has seen.
            nonce=secrets.token_hex(16),
        )
        params["sign"] = sign(params, self.config.private_key)
        return params

    def pay_request(
        self, order_no: str, amount_fen: int, subject: str, notify_url: str, return_url: str = ""
    ) -> PayRequest:
        if not isinstance(amount_fen, int) or isinstance(amount_fen, bool) or amount_fen <= 0:
            # Amounts travel in 分 as integers; a float or 元 here is a bug upstream.
            raise ValueError("amount_fen must be a positive int (分)")
        params = self._signed(
            {
                "order_no": order_no,
                "amount": amount_fen,
                "subject": subject,
                "notify_url": notify_url,
                "return_url": return_url,
            }
        )
        return PayRequest(url=self._url("/pay"), params=params)

    def create_payment(self, request: PayRequest, flags: Mapping[str, str] | None = None) -> dict:
        """Server-to-server creation (统一下单): finds the platform down before the candidate
        is sent there. Answers {trade_no, order_no, status, cashier_url (absolute)}."""
        url = request.url
        if flags:
            url += "?" + urllib.parse.urlencode(flags)
        body = json.dumps(request.params).encode()
        data = self._call(url, body, {"Content-Type": "application/json"})
        try:
            answer = json.loads(data)
        except ValueError as error:
            raise PlatformUnavailable(f"not JSON: {data[:200]!r}") from error
        answer["cashier_url"] = self._url(answer.get("cashier_url", ""))
        return answer

    def query(self, order_no: str) -> QueryResult:
        """Ask the platform for an order's state, when a notification never came."""
        params = self._signed({"order_no": order_no})
        data = self._call(self._url("/query") + "?" + urllib.parse.urlencode(params))
        try:
            answer = json.loads(data)
        except ValueError as error:
            raise PlatformUnavailable(f"not JSON: {data[:200]!r}") from error
        if not isinstance(answer, dict) or not verify(
            answer, answer.get("sign", ""), self.config.platform_public_key
        ):
            raise GatewayError("支付平台的查询结果签名无效。", "BAD_SIGNATURE")
        if (
            answer.get("merchant_id") != self.config.merchant_id
            or answer.get("order_no") != order_no
        ):
            raise GatewayError("支付平台的查询结果与所查订单不符。", "WRONG_ORDER")
        if answer.get("status") not in QUERY_STATUSES:
            raise GatewayError("支付平台的查询结果状态未知。", "BAD_STATUS")
        return QueryResult(
            order_no=order_no,
            status=answer["status"],
            trade_no=answer.get("trade_no", ""),
            amount=int(answer["amount"]) if answer.get("amount") else None,
            paid_at=answer.get("paid_at", ""),
        )

    def statement(self, date: str) -> list[StatementRow]:
        """The platform's statement for one day (YYYY-MM-DD, platform time), verified."""
        params = self._signed({"date": date})
        url = self._url("/statement") + "?" + urllib.parse.urlencode(params)
        data, headers = self._call(url, with_headers=True)
        if not verify_bytes(data, headers.get("Paysim-Signature"), self.config.platform_public_key):
            raise GatewayError("支付平台的对账单签名无效。", "BAD_SIGNATURE")
        return parse_statement(data.decode("utf-8-sig"))

    # verification of what the platform sends

    def verify_notification(
        self, params: Mapping[str, str], now: float | None = None
    ) -> Notification:
        """Check a notification's (or return redirect's) signature, merchant and freshness.

        Refuses a missing or bad signature (forged, or any field changed in transit), another
        merchant's notification, and one signed longer ago than the window (a replay). The
        caller then finds the order by ``order_no`` and calls ``check_against``.
        """
        params = {str(k): str(v) for k, v in params.items()}
        if not params.get("sign"):
            raise NotificationRejected("通知缺少签名。", "MISSING_SIGNATURE")
        if not verify(params, params["sign"], self.config.platform_public_key):
            raise NotificationRejected("通知签名无效。", "BAD_SIGNATURE")
        if params.get("merchant_id") != self.config.merchant_id:
            raise NotificationRejected("通知不是发给本商户的。", "WRONG_MERCHANT")
        try:
            timestamp = int(params.get("timestamp", ""))
            amount = int(params.get("amount", ""))
        except ValueError:
            raise NotificationRejected("通知字段格式错误。", "BAD_FIELD") from None
        now = time.time() if now is None else now
        if abs(now - timestamp) > self.config.notify_window:
            raise NotificationRejected("通知已过期（可能是重放）。", "STALE")
        if params.get("status") not in NOTIFY_STATUSES:
            raise NotificationRejected("通知状态未知。", "BAD_STATUS")
        if not params.get("order_no") or not params.get("trade_no"):
            raise NotificationRejected("通知缺少订单号或交易号。", "BAD_FIELD")
        return Notification(
            order_no=params["order_no"],
            trade_no=params["trade_no"],
            amount=amount,
            status=params["status"],
            paid_at=params.get("paid_at", ""),
            notify_id=params.get("notify_id", ""),
            nonce=params.get("nonce", ""),
            timestamp=timestamp,
        )

    # HTTP

    def _url(self, path: str) -> str:
        return urllib.parse.urljoin(self.config.base_url.rstrip("/") + "/", path.lstrip("/"))

    def _call(
        self,
        url: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        with_headers: bool = False,
    ):
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"not an http(s) URL: {url}")
        request = urllib.request.Request(url, data=body, headers=dict(headers or {}))  # noqa: S310 - scheme checked above
        try:
            with urllib.request.urlopen(request, timeout=self.config.timeout) as response:  # noqa: S310 - scheme checked above
                data = response.read()
                answer_headers = dict(response.headers)
        except urllib.error.HTTPError as error:
            detail = error.read(1000).decode("utf-8", "replace")
            if error.code >= 500:
                raise PlatformUnavailable(f"HTTP {error.code}: {detail}") from error
            # A 4xx means our request was wrong (signature, fields): a bug, not an outage.
            raise GatewayError(
                f"支付平台拒绝了请求：{_error_message(detail)}", "REFUSED"
            ) from error
        except (
            OSError,
            http.client.HTTPException,
        ) as error:  # URLError, refused, reset, timeout, cut short
            raise PlatformUnavailable(str(error)) from error
        return (data, answer_headers) if with_headers else data


def _error_message(detail: str) -> str:
    try:
        return json.loads(detail).get("message") or detail
    except (ValueError, AttributeError):
        return detail


def parse_statement(text: str) -> list[StatementRow]:
    """Parse the statement CSV (header: trade_no,order_no,amount,paid_at,status; amount in 分)."""
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != STATEMENT_COLUMNS:
        raise GatewayError(
            "对账单格式不符：表头应为 " + ",".join(STATEMENT_COLUMNS), "BAD_STATEMENT"
        )
    rows = []
    for line_no, row in enumerate(reader, start=2):
        try:
            amount = int(row["amount"])
        except (TypeError, ValueError):
            raise GatewayError(f"对账单第 {line_no} 行金额无效。", "BAD_STATEMENT") from None
        if not row["trade_no"] or not row["order_no"]:
            raise GatewayError(f"对账单第 {line_no} 行缺少交易号或订单号。", "BAD_STATEMENT")
        rows.append(
            StatementRow(
                trade_no=row["trade_no"],
                order_no=row["order_no"],
                amount=amount,
                paid_at=row["paid_at"],
                status=row["status"],
            )
        )
    return rows
