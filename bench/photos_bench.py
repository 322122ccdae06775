"""Photo checker benchmark: checks per second and peak memory for a typical phone photo.

The input is a 3000×4000 JPEG (quality 90, ~2 MB): skimage's astronaut cut out on white
(tests/photos/photo_factory.py), enlarged 6.5× with Lanczos, Gaussian noise σ=8 added at full
size (a stand-in for sensor detail, so the photo passes the upscale check), padded/cropped to
3000×4000. Run: .venv/bin/python bench/photos_bench.py [--n 20]
"""

from __future__ import annotations

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "photos")]

from photo_factory import jpeg, portrait  # noqa: E402

from yikao.photos import check_photo  # noqa: E402


def phone_photo() -> bytes:
    img = portrait(scale=6.5, noise=8.0, top=196)  # 2990 × 4004
    img = img[-4000:, :]  # 2990 × 4000
    img = cv2.copyMakeBorder(img, 0, 0, 5, 5, cv2.BORDER_REPLICATE)  # 3000 × 4000
    assert img.shape == (4000, 3000, 3)
    return jpeg(np.ascontiguousarray(img), 90)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args()
    data = phone_photo()
    key = b"bench-key"
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    r = check_photo(data, key=key)  # warm-up: loads the cascades
    assert r.passed, [c.to_dict() for c in r.failures]
    times = []
    for _ in range(args.n):
        t = time.perf_counter()
        check_photo(data, key=key)
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    check_photo(data, key=key)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    med = sorted(times)[len(times) // 2]
    print(f"python {platform.python_version()}, cv2 {cv2.__version__}, {platform.machine()}")
    print(f"input: 3000x4000 JPEG q90, {len(data) / 1e6:.2f} MB")
    print(f"output: {r.width}x{r.height}, {r.byte_size} bytes, passed={r.passed}")
    print(
        f"checks: {args.n}, median {med * 1000:.0f} ms, mean {sum(times) / len(times) * 1000:.0f} ms"
    )
    print(f"throughput: {1 / med:.1f} checks/s (one thread)")
    print(f"peak traced (Python+numpy) memory: {peak / 1e6:.1f} MB")
    print(
        f"ru_maxrss this process: {rss / 1024:.0f} MB (already {rss0 / 1024:.0f} MB from the generator)"
    )
    print(f"peak RSS (VmHWM) of a fresh process doing one check: {fresh_rss(data):.0f} MB")


# ru_maxrss survives fork+exec on Linux, so the child reads VmHWM (reset by exec) instead.
CHILD = """
import sys
from yikao.photos import check_photo
data = open(sys.argv[1], "rb").read()
check_photo(data, key=b"k")
print(next(l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")))
"""


def fresh_rss(data: bytes) -> float:
    with tempfile.NamedTemporaryFile(suffix=".jpg") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, f.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    return int(out.stdout.split()[-1]) / 1024


if __name__ == "__main__":
    main()
