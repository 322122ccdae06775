import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from photo_factory import BLUE, KEY, jpeg, portrait

from yikao.photos import DEFAULT_PROFILE, check_photo, verify_mark

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args, key="cli-key"):
    env = {k: v for k, v in os.environ.items() if k not in ("PHOTO_MARK_KEY", "SECRET_KEY")}
    if key:
        env["PHOTO_MARK_KEY"] = key
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "yikao.photos", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_cli_exit_codes(tmp_path):
    good, bad, junk, out = (tmp_path / n for n in ("good.jpg", "blue.jpg", "junk.jpg", "out.jpg"))
    good.write_bytes(jpeg(portrait()))
    bad.write_bytes(jpeg(portrait(BLUE)))
    junk.write_bytes(b"definitely not a photo")

    r = run_cli("check", str(good), "-o", str(out))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "[background] 背景为白色" in r.stdout and "合格" in r.stdout
    assert verify_mark(out.read_bytes(), DEFAULT_PROFILE, b"cli-key")
    assert run_cli("verify", str(out)).returncode == 0
    assert run_cli("verify", str(out), key="other").returncode == 1

    r = run_cli("check", str(bad), "-o", str(tmp_path / "no.jpg"))
    assert r.returncode == 1 and "背景不是白色" in r.stdout
    assert not (tmp_path / "no.jpg").exists()

    r = run_cli("check", str(junk))
    assert r.returncode == 2 and "不是可识别的图片" in r.stdout

    r = run_cli("check", str(good), key=None)
    assert r.returncode == 0 and "开发用密钥" in r.stderr


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048))
def test_random_bytes_never_raise(data):
    r = check_photo(data, key=KEY)
    assert not r.usable and r.jpeg is None


_GOOD = jpeg(portrait())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, len(_GOOD) - 1), st.integers(0, 255), st.integers(16, len(_GOOD)))
def test_corrupted_jpegs_never_raise(pos, byte, cut):
    data = bytearray(_GOOD[:cut])
    if pos < len(data):
        data[pos] = byte
    r = check_photo(bytes(data), key=KEY)
    assert r.passed == (r.jpeg is not None)
    if r.jpeg is not None:
        assert len(r.jpeg) <= 30 * 1024 and verify_mark(r.jpeg, DEFAULT_PROFILE, KEY)
