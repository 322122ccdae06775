"""The 准考证 QR code: what we sign reads back; anything else is refused as forged."""

import base64
import json
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from yikao.seating import ticket_code as tc

CLAIM = tc.TicketClaim(
    ticket_no="202641010012001203", year=2026, part="written", session=1, room="012",
    seat=3, registration_id=4711,
)  # fmt: skip


@pytest.fixture
def key():
    return Ed25519PrivateKey.generate()


def _flip(text: str, index: int) -> str:
    """``text`` with one bit of its ``index``-th decoded byte flipped, re-encoded."""
    raw = bytearray(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    raw[index] ^= 0x01
    return base64.urlsafe_b64encode(bytes(raw)).rstrip(b"=").decode()


def test_round_trip(key):
    code = tc.sign_claim(CLAIM, key)
    assert code.startswith("YK1.") and code.count(".") == 2 and code.isascii()
    assert tc.verify_code(code, key.public_key()) == CLAIM
    assert tc.sign_claim(CLAIM, key) == code  # Ed25519 is deterministic: reprints agree


def test_a_flipped_bit_in_the_payload_is_forged(key):
    version, payload, signature = tc.sign_claim(CLAIM, key).split(".")
    for index in (0, 5, 20):
        with pytest.raises(tc.ForgedTicket):
            tc.verify_code(f"{version}.{_flip(payload, index)}.{signature}", key.public_key())


def test_a_flipped_bit_in_the_signature_is_forged(key):
    version, payload, signature = tc.sign_claim(CLAIM, key).split(".")
    with pytest.raises(tc.ForgedTicket):
        tc.verify_code(f"{version}.{payload}.{_flip(signature, 10)}", key.public_key())


def test_a_changed_seat_resigned_by_another_key_is_forged(key):
    other = Ed25519PrivateKey.generate()
    forged = tc.sign_claim(tc.TicketClaim(**{**CLAIM.__dict__, "seat": 30}), other)
    with pytest.raises(tc.ForgedTicket):
        tc.verify_code(forged, key.public_key())


def test_an_edited_payload_with_the_old_signature_is_forged(key):
    version, payload, signature = tc.sign_claim(CLAIM, key).split(".")
    body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    body["r"] = "013"
    edited = base64.urlsafe_b64encode(json.dumps(body).encode()).rstrip(b"=").decode()
    with pytest.raises(tc.ForgedTicket):
        tc.verify_code(f"{version}.{edited}.{signature}", key.public_key())


@pytest.mark.parametrize(
    "mangle",
    [
        lambda c: c[:-5],  # truncated signature
        lambda c: c[: len(c) // 2],  # cut in the middle
        lambda c: "YK2" + c[3:],  # wrong version
        lambda c: "XX1" + c[3:],  # wrong prefix
        lambda c: c.split(".", 1)[1],  # no prefix at all
        lambda c: c + ".x",  # an extra piece
        lambda c: c.replace(".", "。"),  # full-width dots
        lambda c: c + "Ａ",  # non-ASCII
        lambda c: "",
        lambda c: "YK1..",
        lambda c: "YK1.!!!.???",
        lambda c: c * 4,  # far too long
        lambda c: None,
        lambda c: 12345,
    ],
)
def test_malformed_codes_are_forged(key, mangle):
    code = tc.sign_claim(CLAIM, key)
    with pytest.raises(tc.ForgedTicket) as caught:
        tc.verify_code(mangle(code), key.public_key())
    assert "准考证二维码无效" in caught.value.message


def test_our_signature_on_a_foreign_shape_is_still_refused(key):
    """Signed by the right key but not what we write (a leaked key's experiments, an old
    format): refused rather than trusted."""
    payload = base64.urlsafe_b64encode(b'{"t":1}').rstrip(b"=").decode()
    signature = tc._b64(key.sign(f"YK1.{payload}".encode()))
    with pytest.raises(tc.ForgedTicket):
        tc.verify_code(f"YK1.{payload}.{signature}", key.public_key())


def test_read_ticket_code_uses_the_configured_key(_ticket_key):
    code = tc.sign_claim(CLAIM, tc.private_key())
    assert tc.read_ticket_code(code) == CLAIM
    assert tc.key_path() == _ticket_key
    assert oct(_ticket_key.stat().st_mode & 0o777) == "0o600"
    assert tc.public_path(_ticket_key).exists()
    with pytest.raises(tc.ForgedTicket):
        tc.read_ticket_code(tc.sign_claim(CLAIM, Ed25519PrivateKey.generate()))


def test_offline_verify_command(tmp_path, key):
    public = tmp_path / "pub.pem"
    public.write_bytes(tc.public_pem(key.public_key()))
    code = tc.sign_claim(CLAIM, key)
    command = [sys.executable, "-m", "yikao.seating.ticket_code", "verify"]
    ok = subprocess.run(
        [*command, code, "--public-key", str(public)], capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["ticket_no"] == CLAIM.ticket_no
    bad = subprocess.run(
        [*command, code[:-3] + "AAA", "--public-key", str(public)], capture_output=True, text=True
    )
    assert bad.returncode == 1 and "准考证二维码无效" in bad.stderr
