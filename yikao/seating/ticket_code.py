"""The signed code printed as the 准考证's QR: any holder of the PUBLIC key can tell a real
ticket from a forged or altered one offline (a door check without network).

Text form (what the QR holds, ASCII only so it fits a small QR):

    YK1.<payload>.<signature>

``YK1`` is the format's version; ``payload`` is base64url (no padding) of compact JSON
``{"t": 准考证号, "y": exam year, "p": part, "s": session number, "r": room code,
"n": seat, "g": registration id}``; ``signature`` is base64url (no padding) of the
**Ed25519** signature over the bytes ``YK1.<payload>`` (the version is signed too, so a
code cannot be relabelled). Ed25519: 64-byte signatures (RSA-2048 would make the QR four
times denser) and deterministic, so the same seat always prints the same code.

Keys: ``YIKAO_TICKET_KEY`` names the private key (PEM, PKCS#8); default
``VAR_DIR/tickets/ed25519.pem``, made owner-only on first use (development), with
``ed25519_public.pem`` beside it for the door-check devices.

Offline check: ``python -m yikao.seating.ticket_code verify <code> --public-key FILE``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from yikao.core.secrets import write_private_key

VERSION = "YK1"
# A real code is ~190 characters; anything far longer is not ours (and not worth decoding).
MAX_LENGTH = 512
PARTS = ("skills", "written")


class ForgedTicket(Exception):
    """The code is not one we signed: bad signature, altered, malformed or another version."""

    def __init__(self, message: str = "准考证二维码无效：不是本系统签发的准考证，或已被改动。"):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TicketClaim:
    """What a verified code says."""

    ticket_no: str
    year: int
    part: str
    session: int
    room: str
    seat: int
    registration_id: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text or not text.isascii():
        raise ForgedTicket()
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ForgedTicket() from None


# --- keys -------------------------------------------------------------------------------


def key_path() -> Path:
    from django.conf import settings  # only here: the verify command runs without Django

    return Path(
        os.environ.get("YIKAO_TICKET_KEY") or Path(settings.VAR_DIR) / "tickets" / "ed25519.pem"
    )


def ensure_key(path: Path) -> Ed25519PrivateKey:
    """Load the private key, or make it (and its public key beside it) on first use."""
    path = Path(path)
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    write_private_key(path, key)  # owner-only: whoever reads it can print valid tickets
    public_path(path).write_bytes(public_pem(key.public_key()))
    return key


def public_path(private: Path) -> Path:
    return Path(private).with_name("ed25519_public.pem")


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(Path(path).read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def private_key() -> Ed25519PrivateKey:
    return ensure_key(key_path())


# --- codes ------------------------------------------------------------------------------


def sign_claim(claim: TicketClaim, key: Ed25519PrivateKey) -> str:
    body = {
        "t": claim.ticket_no, "y": claim.year, "p": claim.part, "s": claim.session,
        "r": claim.room, "n": claim.seat, "g": claim.registration_id,
    }  # fmt: skip
    payload = _b64(json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode())
    signed = f"{VERSION}.{payload}"
    return f"{signed}.{_b64(key.sign(signed.encode()))}"


def claim_of(seat) -> TicketClaim:
    """The claim of a seating.Seat (its session, room and the session's exam loaded)."""
    return TicketClaim(
        ticket_no=seat.ticket_no,
        year=seat.session.exam.year,
        part=seat.part,
        session=seat.session.number,
        room=seat.room.code,
        seat=seat.number,
        registration_id=seat.registration_id,
    )


def ticket_code(seat) -> str:
    """The signed QR text of a seat."""
    return sign_claim(claim_of(seat), private_key())


def verify_code(text: object, public: Ed25519PublicKey) -> TicketClaim:
    """The claim of a code signed by the holder of ``public``'s private key; ForgedTicket
    for anything else (never another exception, whatever the input)."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise ForgedTicket()
    pieces = text.strip().split(".")
    if len(pieces) != 3 or pieces[0] != VERSION:
        raise ForgedTicket()
    signature = _unb64(pieces[2])
    try:
        public.verify(signature, f"{pieces[0]}.{pieces[1]}".encode())
    except (InvalidSignature, ValueError):
        raise ForgedTicket() from None
    try:
        body = json.loads(_unb64(pieces[1]))
        claim = TicketClaim(
            ticket_no=body["t"], year=body["y"], part=body["p"], session=body["s"],
            room=body["r"], seat=body["n"], registration_id=body["g"],
        )  # fmt: skip
    except (ValueError, KeyError, TypeError):
        raise ForgedTicket() from None
    # Signed by us yet not the shape we write: treated as forged rather than trusted.
    fields = (claim.ticket_no, claim.room, claim.part)
    numbers = (claim.year, claim.session, claim.seat, claim.registration_id)
    if not all(isinstance(x, str) for x in fields) or not all(
        isinstance(x, int) and not isinstance(x, bool) for x in numbers
    ):
        raise ForgedTicket()
    if claim.part not in PARTS:
        raise ForgedTicket()
    return claim


def read_ticket_code(text: object) -> TicketClaim:
    """Verify a scanned code with our own key pair (the server side of the door check)."""
    return verify_code(text, private_key().public_key())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m yikao.seating.ticket_code", description="离线核验准考证二维码"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("verify", help="核验一个二维码内容")
    check.add_argument("code")
    check.add_argument("--public-key", required=True, type=Path, help="签发方公钥（PEM）")
    args = parser.parse_args(argv)
    try:
        claim = verify_code(args.code, load_public_key(args.public_key))
    except ForgedTicket as error:
        print(error.message, file=sys.stderr)
        return 1
    print(json.dumps(claim.__dict__, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
