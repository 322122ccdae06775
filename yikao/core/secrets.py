"""Development secrets kept under var/, so that `make run` needs no configuration."""

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization


def load_or_create_secret(
    var_dir: Path, name: str, nbytes: int, *, urlsafe_b64: bool = False
) -> str:
    """Return the secret stored in var/<name>, creating it on first use (mode 0600)."""
    path = Path(var_dir) / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = secrets.token_bytes(nbytes)
    value = base64.urlsafe_b64encode(raw).decode() if urlsafe_b64 else secrets.token_urlsafe(nbytes)
    path.touch(mode=0o600)
    path.write_text(value)
    return value


def write_private_key(path: Path, key) -> None:
    """Write a new private key (RSA, Ed25519…) as unencrypted PKCS#8 PEM, owner-only from
    the first byte (0600), refusing to overwrite a file that exists: whoever reads it acts
    as us (signs pay requests, prints valid tickets)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
