"""python -m yikao.photos check IN -o OUT.jpg

Exit codes: 0 the photo passes (OUT written), 1 it does not (reasons printed), 2 unusable input.
Key: env PHOTO_MARK_KEY, else SECRET_KEY, else a development key (with a warning on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from . import DEFAULT_PROFILE, check_photo, verify_mark
from .report import Status

DEV_KEY = b"yikao-dev-photo-mark-key-not-for-production"
_SYMBOL = {Status.PASS: "✓", Status.FIXED: "✓", Status.FAIL: "✗", Status.SKIPPED: "-"}


def mark_key() -> bytes:
    for name in ("PHOTO_MARK_KEY", "SECRET_KEY"):
        if os.environ.get(name):
            return os.environ[name].encode()
    print(
        "警告：未设置 PHOTO_MARK_KEY 或 SECRET_KEY，使用开发用密钥，标记不可用于生产。",
        file=sys.stderr,
    )
    return DEV_KEY


def _check(args) -> int:
    try:
        data = Path(args.input).read_bytes()
    except OSError as exc:
        print(f"无法读取文件：{exc}", file=sys.stderr)
        return 2
    report = check_photo(data, profile=DEFAULT_PROFILE, key=mark_key())
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        for c in report.checks:
            print(f"{_SYMBOL[c.status]} [{c.code}] {c.message}")
    if not report.usable:
        print("结果：无法使用该文件。", file=sys.stderr)
        return 2
    if not report.passed:
        print("结果：不合格。请按上述提示处理后重试。")
        return 1
    if args.output:
        Path(args.output).write_bytes(report.jpeg or b"")
        print(
            f"结果：合格。已保存 {args.output}（{report.width}×{report.height}，{report.byte_size} 字节）。"
        )
    else:
        print(
            f"结果：合格（{report.width}×{report.height}，{report.byte_size} 字节）。未指定 -o，未保存。"
        )
    return 0


def _verify(args) -> int:
    try:
        data = Path(args.input).read_bytes()
    except OSError as exc:
        print(f"无法读取文件：{exc}", file=sys.stderr)
        return 2
    good = verify_mark(data, DEFAULT_PROFILE, mark_key())
    print("标记有效。" if good else "标记无效或缺失。")
    return 0 if good else 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m yikao.photos", description="医考报名照片检测")
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("check", help="检测并处理照片")
    c.add_argument("input")
    c.add_argument("-o", "--output", help="合格时保存处理后的照片（JPG）")
    c.add_argument("--json", action="store_true", help="以 JSON 输出检测结果")
    c.set_defaults(func=_check)
    v = sub.add_parser("verify", help="验证照片上的医考标记")
    v.add_argument("input")
    v.set_defaults(func=_verify)
    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
