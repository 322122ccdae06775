"""Load a real institution registry (CSV or Excel) into the directory. Idempotent: a
second run of the same file changes nothing; a changed row updates its institution.

    manage.py load_institutions 机构名录.csv
    manage.py load_institutions 机构名录.xlsx --dry-run --errors 错误.csv

Columns (Chinese or English headers): 机构代码/code, 机构名称/name,
行政区划代码/region_code, 机构类别/kind. See docs/directory.md.
"""

import csv

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from yikao.directory import registry
from yikao.directory.loader import Timer
from yikao.directory.registry_files import FileError, read_rows

SHOWN_ERRORS = 200  # beyond this, --errors writes them all


class Command(BaseCommand):
    help = (
        "加载真实医疗卫生机构名录（CSV 或 Excel：机构代码、机构名称、行政区划代码、机构类别；幂等）"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV（UTF-8 或 GBK）或 Excel（.xlsx）文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入数据库")
        parser.add_argument("--errors", metavar="CSV", help="把有错误的行写入这个 CSV 文件")
        parser.add_argument("--batch-size", type=int, default=registry.BATCH, help="每个事务的行数")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, file, dry_run=False, errors=None, batch_size=registry.BATCH, **options):
        timer = Timer()
        if batch_size < 1:
            raise CommandError("--batch-size 须为正整数。")
        try:
            raw_rows = read_rows(file)
        except FileError as exc:
            raise CommandError(exc.message) from exc
        entries, row_errors = registry.validate(raw_rows)
        quiet = options["no_progress"] or options["verbosity"] == 0
        bar = tqdm(total=len(entries), unit="行", desc="机构名录", disable=quiet or not entries)
        result = registry.load(entries, dry_run=dry_run, batch_size=batch_size, progress=bar.update)
        bar.close()
        result.rows = len(raw_rows)
        result.errors = row_errors
        if errors:
            self._write_errors(errors, row_errors)
        if options["verbosity"]:
            self._report(result, dry_run=dry_run, seconds=timer.seconds, errors_file=errors)

    def _write_errors(self, path: str, row_errors: list[registry.RowError]) -> None:
        # BOM: Excel opens a UTF-8 CSV without one as GBK and shows garbage.
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["行号", "机构代码", "机构名称", "错误"])
            for e in row_errors:
                writer.writerow([e.line, e.code, e.name, e.message])

    def _report(self, result: registry.Result, *, dry_run: bool, seconds: float, errors_file):
        for e in result.errors[:SHOWN_ERRORS]:
            self.stdout.write(f"第 {e.line} 行：{e.message}")
        hidden = len(result.errors) - SHOWN_ERRORS
        if hidden > 0:
            where = (
                f"全部错误见 {errors_file}" if errors_file else "加 --errors 文件名 可导出全部错误"
            )
            self.stdout.write(f"另有 {hidden} 条错误未显示（{where}）。")
        prefix = "试运行（未写入数据库）" if dry_run else "机构名录"
        rate = result.rows / seconds if seconds else 0
        self.stdout.write(
            f"{prefix}：共 {result.rows:,} 行，新增 {result.added:,}，更新 {result.updated:,}，"
            f"未变 {result.unchanged:,}，拒绝 {result.refused:,}；"
            f"用时 {seconds:.1f} 秒（每秒 {rate:,.0f} 行）。"
        )
