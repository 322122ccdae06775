"""Benchmark of the PDF forms (yikao.documents.pdf): forms per second and peak memory.

    .venv/bin/python bench/documents_bench.py [--seconds 5]

Cases: the registration form (photo, QR code, all sections) and "print all" (the ten forms
in one PDF). Each case runs in a loop for --seconds of wall time after one warm-up call;
peak memory is measured in a separate pass with tracemalloc (Python allocations during one
render) and as the process's peak RSS (ru_maxrss, which includes the fonts loaded once).
"""

from __future__ import annotations

import argparse
import dataclasses
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from yikao.documents.pdf import FORM_CODES, render_forms
from yikao.documents.pdf.samples import (
    sample_candidate,
    sample_exam,
    sample_registration,
)


def run_case(name: str, codes: list[str], seconds: float, rare: bool) -> dict:
    candidate = sample_candidate("王𠮷䶮" if rare else "王小明")
    exam, base = sample_exam(), sample_registration()
    n = 0

    def once() -> bytes:
        # a new QR payload each time: no cache hit for the QR code, as for a new registration
        reg = dataclasses.replace(base, qr_payload=f"YIKAO|{n:016d}|110|郑州考点")
        return render_forms(codes, candidate=candidate, exam=exam, registration=reg)

    t0 = time.perf_counter()
    size = len(once())
    first_ms = (time.perf_counter() - t0) * 1000
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        n += 1
        t = time.perf_counter()
        once()
        times.append(time.perf_counter() - t)
    tracemalloc.start()
    once()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    return {
        "case": name,
        "forms": len(codes),
        "rare name": "yes" if rare else "no",
        "runs": len(times),
        "first call ms": round(first_ms, 1),
        "median ms": round(median * 1000, 1),
        "p95 ms": round(sorted(times)[int(len(times) * 0.95) - 1] * 1000, 1),
        "forms/s": round(len(codes) / median, 1),
        "PDF KB": round(size / 1024),
        "tracemalloc peak MB": round(peak / 2**20, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    rows = [
        run_case("registration_form", ["registration_form"], args.seconds, rare=False),
        run_case("registration_form", ["registration_form"], args.seconds, rare=True),
        run_case("print all", list(FORM_CODES), args.seconds, rare=False),
        run_case("print all", list(FORM_CODES), args.seconds, rare=True),
    ]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"python {platform.python_version()} · {platform.machine()} · one process, one thread")
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for r in rows:
        print("| " + " | ".join(str(r[k]) for k in keys) + " |")
    print(f"peak RSS of the process (ru_maxrss): {rss_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
