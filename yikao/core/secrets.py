"""Development secrets kept under var/, so that `make run` needs no configuration."""

import base64
import secrets
from pathlib import Path


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
