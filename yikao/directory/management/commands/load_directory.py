"""Load the reference directory: regions (5 levels), MOE schools, medical majors and the
synthesised work-unit directory (~1.07 M institutions). Idempotent: what is loaded is
skipped, an interrupted run resumes.

    manage.py load_directory                      # everything (minutes)
    manage.py load_directory --provinces 41       # one province
    manage.py load_directory --counties 410102    # one county (tests, quick set-ups)
    manage.py load_directory --slice 3            # the first three counties
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from yikao.directory import generator, loader


def _codes(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [c.strip() for c in value.split(",") if c.strip()]


class Command(BaseCommand):
    help = "加载基础数据：行政区划、高校名单、医学专业、医疗卫生机构（幂等）"

    def add_arguments(self, parser):
        parser.add_argument("--provinces", help="只加载这些省份，如 41,42")
        parser.add_argument("--counties", help="只加载这些区县，如 410102,410103")
        parser.add_argument("--slice", type=int, dest="slice_", help="只加载前 N 个区县")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, provinces=None, counties=None, slice_=None, **options):
        timer = loader.Timer()
        quiet = options["no_progress"] or options["verbosity"] == 0
        if connection.vendor == "sqlite":
            with connection.cursor() as cur:
                # A big page cache keeps the key B-tree in memory while it grows.
                cur.execute("PRAGMA cache_size = -1000000")
        source = generator.Source(counties=_codes(counties) or _codes(provinces))
        try:
            the_plan = loader.plan(
                source, provinces=_codes(provinces), counties=_codes(counties), slice_=slice_
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        schools = loader.load_schools()
        majors = loader.load_majors()
        done = loader.loaded_units()
        todo = [c for c in the_plan.counties if f"a{c}" not in done]
        bar = tqdm(total=len(todo), unit="区县", disable=quiet or not todo, desc="医疗卫生机构")

        def progress(counties: int, rows: int) -> None:
            bar.update(counties)
            bar.set_postfix(机构=f"{rows:,}", refresh=False)

        added = loader.load_regions_and_institutions(source, the_plan, progress=progress)
        bar.close()
        if added["units"] or schools or majors:
            loader.optimise()
        if options["verbosity"]:
            self.stdout.write(
                f"基础数据：新增地区 {added['regions']:,}，机构 {added['institutions']:,}"
                f"（检索键 {added['keys']:,}），学校 {schools:,}，专业 {majors:,}；"
                f"用时 {timer.seconds:.1f} 秒。"
            )
