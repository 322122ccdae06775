"""Staff review queue at 100,000 registrations per site: page time, queries, export memory.

Runs on the rush database (bench/run.py --prepare-only makes it). Inside one transaction
that is rolled back at the end, it moves N registrations of the bench exam to one site,
re-analyses the table, and then times what a site's staff do all day: the first page,
pages far down (keyset), every filter, searches by name, registration number and ID
number, and the Excel export of the whole site. Nothing it does survives the run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yikao_rush \\
        .venv/bin/python bench/review_queue.py --per-site 100000 --repeat 30
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yikao.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yikao_rush")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("YIKAO_VAR_DIR", str(ROOT / "var" / "bench"))  # its keys sealed the data


class Rollback(Exception):
    """Raised at the end so that the moved registrations go back where they were."""


def pct(values: list[float], p: int) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def crowd_one_site(per_site: int):
    """Moves per_site registrations of the busiest exam to its busiest site (uncommitted)."""
    from django.db import connection
    from django.db.models import Count

    from yikao.registrations.models import Registration

    busiest = (
        Registration.objects.values("exam_id", "site_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    exam_id, site_id = busiest["exam_id"], busiest["site_id"]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE registrations_registration SET site_id = %s WHERE id IN ("
            " SELECT id FROM registrations_registration WHERE exam_id = %s AND site_id <> %s"
            " ORDER BY id LIMIT %s)",
            [site_id, exam_id, site_id, max(per_site - busiest["n"], 0)],
        )
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE registrations_registration")
    count = Registration.objects.filter(site_id=site_id).count()
    return exam_id, site_id, count


def staff_for(site_id: int):
    from yikao.accounts.models import User
    from yikao.staff.models import Role, StaffScope

    user = User.objects.create(username="bench-queue-staff")
    return StaffScope.objects.create(user=user, role=Role.SITE, site_id=site_id)


def timed(fn, repeat: int) -> tuple[list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm: plans and caches, as on a server that has served a page already
    seconds = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            fn()
            seconds.append(time.perf_counter() - started)
    return seconds, len(queries)


def cases(scope, exam_id: int):
    from yikao.registrations.models import Registration
    from yikao.review import selectors
    from yikao.review.selectors import QueueFilters

    site_rows = Registration.objects.filter(site_id=scope.site_id).order_by("-id")
    ids = list(site_rows.values_list("id", flat=True))
    middle, last_page = ids[len(ids) // 2], ids[-40]
    sample = site_rows.select_related("candidate", "category")[len(ids) // 3]
    unit = (sample.snapshot.get("work") or {}).get("work_unit_name", "")[:6]

    def page(after=None, **filters):
        return lambda: selectors.queue_page(scope, QueueFilters(**filters), after=after)

    return {
        "first page, default (已提交)": page(status="submitted"),
        "first page, all statuses": page(),
        "page at the middle (keyset)": page(after=middle),
        "last page (keyset)": page(after=last_page),
        "filter: category": page(category=sample.category.code),
        "filter: exam + date range": page(
            exam_id=exam_id,
            date_from=sample.submitted_at.date(),
            date_to=sample.submitted_at.date(),
        ),
        "filter: education not verified": page(verified="no"),
        "filter: work unit (6 chars)": page(unit=unit),
        "filter: work unit, no match": page(unit="不存在的单位名称"),
        "search: name prefix": page(q=sample.candidate.full_name[:2]),
        "search: registration number": page(q=sample.number),
        "search: ID number (hash)": page(q=sample.candidate.id_number),
    }


def export_all(scope) -> tuple[float, int, int, float]:
    """Seconds, rows, workbook bytes, and growth of peak RSS (MB) for the whole site."""
    from yikao.review import selectors
    from yikao.review.exports import registrations_workbook
    from yikao.review.selectors import QueueFilters

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    handle, rows = registrations_workbook(
        selectors.queue_queryset(scope, QueueFilters()), full_ids=False
    )
    seconds = time.perf_counter() - started
    size = handle.seek(0, os.SEEK_END)
    handle.close()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - rss_before
    return seconds, rows, size, rss_growth


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-site", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            exam_id, site_id, count = crowd_one_site(args.per_site)
            scope = staff_for(site_id)
            print(f"{connection.vendor}: site {site_id} holds {count:,} registrations")
            print("| case | p50 ms | p99 ms | mean ms | queries |\n|---|---|---|---|---|")
            for name, fn in cases(scope, exam_id).items():
                seconds, queries = timed(fn, args.repeat)
                ms = [s * 1000 for s in seconds]
                print(
                    f"| {name} | {pct(ms, 50):.2f} | {pct(ms, 99):.2f}"
                    f" | {statistics.fmean(ms):.2f} | {queries} |"
                )
            if not args.no_export:
                seconds, rows, size, growth = export_all(scope)
                print(
                    f"export (masked): {rows:,} rows in {seconds:.1f} s"
                    f" ({rows / seconds:,.0f} rows/s), {size / 1e6:.1f} MB xlsx,"
                    f" peak RSS grew {growth:.0f} MB"
                )
            raise Rollback
    except Rollback:
        print("rolled back: the bench database is as it was")


if __name__ == "__main__":
    main()
