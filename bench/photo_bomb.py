"""Hostile uploads to the public 照片检测 page: peak RSS of the gunicorn workers.

Starts the app under gunicorn exactly as configured (gunicorn.conf.py: 2 gthread workers of 4
threads) on a fresh SQLite database in a temporary var directory, warms both workers up with
ordinary checks (OpenCV loaded), then sends 4 concurrent hostile uploads per round — pixel
bombs generated here: a 7000×7000 (49 MP) PNG and a 7000×7000 WebP, a few KB to ~50 KB each —
and reports each worker's peak RSS (VmHWM) before and after, with the answers.
`--near-cap` sends the largest files still accepted instead (a 25 MP PNG and a 12 MP WebP), the
worst case once the bombs are refused.

    .venv/bin/python bench/photo_bomb.py                  # this checkout
    .venv/bin/python bench/photo_bomb.py --root /path/to/other/checkout   # e.g. the old code

Linux only (/proc). Needs no Redis or PostgreSQL.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "photos"))

CHECK = "/photos/check/"
MB = 2**20


def bombs(near_cap: bool) -> dict[str, bytes]:
    """name → file. Solid white: the most compressible content, so the smallest files."""
    out = {}
    png_side, webp_side = (4999, 3464) if near_cap else (7000, 7000)
    im = Image.new("P", (png_side, png_side))
    im.putpalette([255, 255, 255] * 256)
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=True)
    out[f"{png_side}x{png_side}.png"] = buf.getvalue()
    buf = io.BytesIO()
    Image.new("RGB", (webp_side, webp_side), (255, 255, 255)).save(
        buf, "WEBP", lossless=True, method=0
    )
    out[f"{webp_side}x{webp_side}.webp"] = buf.getvalue()
    return out


def ordinary_photo() -> bytes:
    from photo_factory import jpeg, portrait

    return jpeg(portrait())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        kids += [int(k) for k in text]
    return kids


def status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class Server:
    def __init__(self, root: Path, var: Path, port: int):
        self.root, self.var, self.port = root, var, port
        self.env = {
            **os.environ,
            "YIKAO_VAR_DIR": str(var),
            "DATABASE_URL": f"sqlite:///{var / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "yikao.settings",
            "BIND": f"127.0.0.1:{port}",
            "PYTHONPATH": str(root),
        }
        self.env.pop("REDIS_URL", None)
        self.url = f"http://127.0.0.1:{port}"

    def __enter__(self):
        py = Path(sys.executable)
        subprocess.run(
            [str(py), "manage.py", "migrate", "--noinput", "-v0"],
            cwd=self.root, env=self.env, check=True,
        )  # fmt: skip
        for command in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [str(py), "manage.py", *command], cwd=self.root, env=self.env, check=True
            )
        self.log = (self.var / "gunicorn.log").open("w")
        self.proc = subprocess.Popen(
            [str(py.parent / "gunicorn"), "yikao.wsgi", "-c", str(self.root / "gunicorn.conf.py")],
            cwd=self.root, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(150):
            try:
                requests.get(self.url + CHECK, timeout=2)
                if len(children(self.proc.pid)) >= 2:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not start, see {self.var / 'gunicorn.log'}")

    def workers(self) -> list[int]:
        return sorted(children(self.proc.pid))

    def __exit__(self, *exc):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()


def post_check(base: str, name: str, data: bytes, address: str) -> tuple[int, str, float]:
    """GET the page (CSRF cookie and token), POST the file; (status, message, seconds)."""
    session = requests.Session()
    # Each simulated visitor comes from its own address only if PROXY_COUNT trusts the header;
    # without it all share 127.0.0.1 (60 checks per 10 minutes, plenty here).
    session.headers["X-Forwarded-For"] = address
    page = session.get(base + CHECK, timeout=60)
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if found is None:
        raise SystemExit(f"GET {CHECK}: {page.status_code} {page.text[:300]}")
    token = found.group(1)
    t0 = time.perf_counter()
    response = session.post(
        base + CHECK,
        data={"csrfmiddlewaretoken": token},
        files={"photo": (name, data, "application/octet-stream")},
        headers={"Referer": base + CHECK},
        timeout=120,
    )
    elapsed = time.perf_counter() - t0
    found = re.findall(r"(图片像素过大[^<]*|照片检测繁忙[^<]*|检测过于频繁[^<]*)", response.text)
    message = found[0] if found else ("(a check report)" if response.ok else response.text[:80])
    return response.status_code, message, elapsed


def burst(base: str, files: list[tuple[str, bytes]]) -> list[tuple[str, int, str, float]]:
    results: list = [None] * len(files)

    def one(i, name, data):
        try:
            results[i] = (name, *post_check(base, name, data, f"10.9.0.{i + 1}"))
        except (requests.RequestException, SystemExit) as exc:
            results[i] = (name, 0, f"no answer: {exc}"[:200], 0.0)

    threads = [threading.Thread(target=one, args=(i, n, d)) for i, (n, d) in enumerate(files)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def rss_line(server: Server, label: str) -> dict[int, int]:
    peaks = {pid: status_kb(pid, "VmHWM") for pid in server.workers()}
    now = {pid: status_kb(pid, "VmRSS") for pid in server.workers()}
    shown = ", ".join(
        f"worker {pid}: RSS {now[pid] / 1024:.0f} MB, peak {peaks[pid] / 1024:.0f} MB"
        for pid in peaks
    )
    print(f"{label:<28} {shown}")
    return peaks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="checkout to serve")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of 4 concurrent uploads")
    parser.add_argument("--near-cap", action="store_true", help="largest files still accepted")
    args = parser.parse_args()

    files = bombs(args.near_cap)
    for name, data in files.items():
        print(f"hostile file {name}: {len(data):,} bytes")
    photo = ordinary_photo()
    var = Path(tempfile.mkdtemp(prefix="photo_bomb_"))
    try:
        with Server(args.root.resolve(), var, free_port()) as server:
            print(f"gunicorn {args.root.resolve()} (gunicorn.conf.py), workers {server.workers()}")
            for _ in range(2):  # both workers: OpenCV loaded, a real check done
                burst(server.url, [("photo.jpg", photo)] * 4)
            before = rss_line(server, "after warm-up checks:")
            names = list(files)
            peak = dict(before)
            for r in range(args.rounds):
                batch = [(names[i % len(names)], files[names[i % len(names)]]) for i in range(4)]
                t0 = time.perf_counter()
                results = burst(server.url, batch)
                wall = time.perf_counter() - t0
                print(f"round {r + 1}: 4 concurrent uploads in {wall:.1f} s")
                for name, status, message, secs in results:
                    print(f"  {name:<16} {status} {secs:5.2f} s  {message}")
                peak = rss_line(server, f"after round {r + 1}:")
            worst = max(peak.values()) / 1024
            base = max(before.values()) / 1024
            print(f"PEAK worker RSS (VmHWM): {worst:.0f} MB (after warm-up: {base:.0f} MB)")
    finally:
        if not os.environ.get("KEEP"):
            shutil.rmtree(var, ignore_errors=True)
        else:
            print(var)


if __name__ == "__main__":
    main()
