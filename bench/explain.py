"""EXPLAIN of every list and lookup query of the rush, on the bench database (PostgreSQL,
after bench/generate.py): each plan is printed, and a sequential scan of a big table
(> 10,000 rows) is flagged. Exit status 1 when one is flagged.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yikao_rush .venv/bin/python bench/explain.py

The queries are the ones the pages really run: each case calls the selector or view code
under CaptureQueriesContext, and every SELECT it sent is explained.

The staff cases (review queue, audit-log viewer, collection roster) run on the busiest
site. The rush database has almost no audit rows and no collection slots, so inside one
transaction that is rolled back at the end the script first adds what the registration
period would have written: one `registration.submitted` audit row per registration (up to
--audit-rows, default all) and eight slots on one day at that site with a booking for each
of its registrations, then re-analyses those tables. Migrations the bench database lacks
(code newer than the database) are applied in the same transaction.
"""

import argparse
import datetime
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yikao_rush")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")  # the cache, as in the rush
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("YIKAO_VAR_DIR", str(ROOT / "var" / "bench"))
BIG = 10_000
SLOTS = 8


def stage(cur, *, site_id: int, exam_id: int, day: datetime.date, audit_rows: int) -> tuple:
    """The audit rows, slots and bookings the rush database lacks (the caller rolls back)."""
    cur.execute(
        """
        INSERT INTO core_auditentry (created_at, actor_id, subject_id, action, target_type,
                                     target_id, changes, reason, ip_address, request_id)
        SELECT r.submitted_at, c.user_id, c.user_id, 'registration.submitted',
               'registrations.registration', r.id::text, '{}'::jsonb, '', NULL, ''
        FROM registrations_registration r JOIN accounts_candidate c ON c.id = r.candidate_id
        ORDER BY r.id LIMIT %s
        """,
        [audit_rows],
    )
    audits = cur.rowcount
    cur.execute(
        """
        INSERT INTO appointments_slot (exam_id, site_id, starts_at, ends_at, place, capacity,
                                       category_codes, counties, is_closed, created_at, updated_at)
        SELECT %s, %s, (%s::date + time '08:00' + n * interval '1 hour') AT TIME ZONE 'Asia/Shanghai',
               (%s::date + time '09:00' + n * interval '1 hour') AT TIME ZONE 'Asia/Shanghai',
               '采集室', 10000, '[]'::jsonb, '[]'::jsonb, false, now(), now()
        FROM generate_series(0, %s - 1) AS n
        """,
        [exam_id, site_id, day, day, SLOTS],
    )
    cur.execute(
        """
        INSERT INTO appointments_booking (code, status, cancel_reason, created_at, updated_at,
                                          candidate_id, registration_id, slot_id)
        SELECT 'X' || r.id, 'booked', '', now(), now(), r.candidate_id, r.id, s.id
        FROM (SELECT id, candidate_id, row_number() OVER (ORDER BY id) %% %s AS k
              FROM registrations_registration
              WHERE site_id = %s AND exam_id = %s AND status <> 'abandoned') r
        JOIN (SELECT id, row_number() OVER (ORDER BY starts_at) - 1 AS k
              FROM appointments_slot WHERE site_id = %s AND exam_id = %s) s ON s.k = r.k
        """,
        [SLOTS, site_id, exam_id, site_id, exam_id],
    )
    bookings = cur.rowcount
    for table in ("core_auditentry", "appointments_slot", "appointments_booking"):
        cur.execute(f"ANALYZE {table}")
    return audits, bookings


def unapplied_migrations(connection) -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{m.app_label}.{m.name}" for m, _ in plan]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--audit-rows", type=int, default=10_000_000, help="staged audit rows")
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        behind = unapplied_migrations(connection)
        if behind:  # the code is ahead of the bench database: migrate, rolled back too
            from django.core.management import call_command

            print("migrating inside the rolled-back transaction:", ", ".join(behind))
            call_command("migrate", verbosity=0)
        status = run(connection, CaptureQueriesContext, audit_rows=args.audit_rows)
        transaction.set_rollback(True)  # the staged rows go; the bench database is unchanged
    return status


def run(connection, capture, *, audit_rows: int) -> int:
    from django.utils import timezone

    from yikao.accounts.models import Candidate, User
    from yikao.accounts.selectors import id_number_hash, user_by_login_identifier
    from yikao.appointments.selectors import roster
    from yikao.directory import selectors as directory
    from yikao.exams.models import Exam, ExamArea, ExamSite
    from yikao.photos.selectors import current_photo
    from yikao.profiles.selectors import entries_of
    from yikao.registrations import selectors as registrations
    from yikao.registrations.models import Registration
    from yikao.review import selectors as review
    from yikao.staff.models import Role, StaffScope

    dbname = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    pool = json.loads((ROOT / f"var/bench/pool_{dbname}.json").read_text())
    username = pool["registered_usernames"][0]
    candidate = Candidate.objects.select_related("user").get(user__username=username)
    exam = Exam.objects.get(pk=pool["exam"])
    with connection.cursor() as cur:
        cur.execute(
            "SELECT site_id FROM registrations_registration WHERE exam_id = %s"
            " GROUP BY site_id ORDER BY count(*) DESC LIMIT 1",
            [exam.pk],
        )
        site = ExamSite.objects.select_related("area").get(pk=cur.fetchone()[0])
        day = timezone.localdate() + datetime.timedelta(days=7)
        audits, bookings = stage(
            cur, site_id=site.pk, exam_id=exam.pk, day=day, audit_rows=audit_rows
        )
    print(f"staged (rolled back at the end): {audits:,} audit rows; {SLOTS} slots and "
          f"{bookings:,} bookings at site {site.code} on {day}")  # fmt: skip
    site_scope = StaffScope(role=Role.SITE, site=site, user_id=0)
    area_scope = StaffScope(role=Role.AREA, area=ExamArea.objects.get(pk=site.area_id), user_id=0)
    sample = Registration.objects.filter(site=site, exam=exam).select_related("category").first()
    filtered = review.QueueFilters(
        exam_id=exam.pk, status="submitted", category=sample.category.code,
        date_from=timezone.localdate(sample.submitted_at) - datetime.timedelta(days=30),
        date_to=timezone.localdate(sample.submitted_at),
    )  # fmt: skip
    cases = {
        "login by username (user_by_login_identifier)": lambda: user_by_login_identifier(username),
        "login by ID number": lambda: Candidate.objects.filter(
            id_number_hash=id_number_hash("410102199905209913")
        ).first(),
        "sign-up: username taken?": lambda: User.objects.with_username("x1").exists(),
        "registration list (registrations_of)": lambda: registrations.registrations_of(candidate),
        "wizard step 5 seats (the count behind site_seats' cache, 河南)": lambda: (
            registrations._taken_by_site(exam, "41")
        ),
        "submit: active at site count": lambda: exam.registrations.filter(
            site_id=pool["pool"]["ps"][0]["site"]
        ).count(),
        "profile entries (entries_of)": lambda: entries_of(candidate),
        "current photo": lambda: current_photo(candidate),
        "directory: schools zzdx": lambda: directory.search_schools("zzdx"),
        "directory: institutions 郑州市第一 in 41": lambda: directory.search_institutions(
            "郑州市第一", region="41"
        ),
        "review queue: site staff, default (已提交)": lambda: review.queue_page(
            site_scope, review.QueueFilters(status="submitted")
        ),
        "review queue: site staff, exam + category + 30-day range": lambda: review.queue_page(
            site_scope, filtered
        ),
        "review queue: area staff, default (考点通过)": lambda: review.queue_page(
            area_scope, review.QueueFilters(status="site_approved")
        ),
        "audit-log viewer: site staff, first page": lambda: review.audit_page(
            site_scope, review.AuditFilters()
        ),
        "collection roster: the site's busiest day": lambda: roster(site, exam, day),
    }
    sizes = {}
    with connection.cursor() as cur:
        cur.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cur.fetchall())
    flagged = []
    for label, call in cases.items():
        with capture(connection) as captured:
            call()
        print(f"\n=== {label}")
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cur:
                cur.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cur.fetchall())
            print(sql[:300] + (" …" if len(sql) > 300 else ""))
            print("  " + plan.replace("\n", "\n  "))
            for table in re.findall(r"Seq Scan on (\w+)", plan):
                if sizes.get(table, 0) > BIG:
                    flagged.append(f"{label}: Seq Scan on {table} ({sizes[table]:,} rows)")
            # An index walked only for its order, every row filtered: a scan in disguise.
            # Judged per plan node, so that an Index Cond of a subplan does not hide it.
            for node in re.split(r"\n\s*->", plan):
                walk = re.match(r"\s*Index Scan(?: Backward)? using \w+ on (\w+)", node)
                if walk is None or sizes.get(walk[1], 0) <= BIG:
                    continue
                own = node.split("SubPlan")[0]  # the node's own lines, not its subplans'
                if "Filter:" in own and "Index Cond" not in own:
                    flagged.append(f"{label}: whole-index walk with Filter on {walk[1]}")
    print("\n" + ("\n".join("FLAGGED " + f for f in flagged) or "every query uses an index"))
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
