"""Confusion table of the photo checker on the photo corpus (tests/photos/corpus.py, issue 18).

Prints, as Markdown: expected verdict × actual verdict; per expected refusing check, how many
items were refused by exactly that check, by it and others, or not by it; every miss; and the
check time per photo. Run: .venv/bin/python bench/photo_corpus.py
"""

from __future__ import annotations

import platform
import sys
import time
from collections import Counter
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "photos")]

from corpus import corpus  # noqa: E402
from photo_factory import KEY  # noqa: E402

from yikao.photos import check_photo  # noqa: E402


def main() -> None:
    items = corpus()
    rows = []
    for it in items:
        data = it.make()
        t = time.perf_counter()
        r = check_photo(data, key=KEY)
        ms = (time.perf_counter() - t) * 1000
        rows.append((it, "pass" if r.passed else "fail", [c.code for c in r.failures], ms))
    print(f"python {platform.python_version()}, cv2 {cv2.__version__}, {len(items)} photos")
    print("\n| expected \\ actual | pass | fail |\n|---|---|---|")
    cm = Counter((it.expect, got) for it, got, _, _ in rows)
    for e in ("pass", "fail"):
        print(f"| {e} | {cm[e, 'pass']} | {cm[e, 'fail']} |")
    print("\n| expected refusal | items | refused by it alone | by it and others | not by it |")
    print("|---|---|---|---|---|")
    for reason in sorted({it.reason for it in items if it.reason}):
        mine = [(f) for it, _, f, _ in rows if it.reason == reason]
        alone = sum(f == [reason] for f in mine)
        more = sum(reason in f and f != [reason] for f in mine)
        print(f"| {reason} | {len(mine)} | {alone} | {more} | {len(mine) - alone - more} |")
    misses = [
        (it, got, f)
        for it, got, f, _ in rows
        if got != it.expect or (it.reason and f != [it.reason])
    ]
    print(f"\nitems not as expected: {len(misses)}")
    for it, got, f in misses:
        print(f"- {it.name}: expected {it.expect} {it.reason or ''}, got {got} {f}")
    by = Counter(it.person for it, *_ in rows)
    print("\n| person | photos | as expected |\n|---|---|---|")
    for p in sorted(by):
        good = sum(
            it.person == p and got == it.expect and (not it.reason or f == [it.reason])
            for it, got, f, _ in rows
        )
        print(f"| {p} | {by[p]} | {good} |")
    ms = sorted(m for *_, m in rows)
    print(f"\ncheck time per photo: median {ms[len(ms) // 2]:.0f} ms, max {ms[-1]:.0f} ms")


if __name__ == "__main__":
    main()
