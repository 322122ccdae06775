"""A trigram index for the staff queue's 单位 filter by name (PostgreSQL only).

The filter is a substring test, `UPPER(snapshot #>> '{work,work_unit_name}') LIKE UPPER(…)`
(review.selectors.queue_queryset), which no B-tree serves: a name that matches nothing read
every row in scope (2.4 s nationally, 0.4 s for a province, at 1 M registrations). pg_trgm's
GIN index answers it in 2–25 ms whatever the scope. It must be on exactly the expression
Django writes, and ANALYZE gives the planner that expression's statistics, without which
it takes the index even for a name that every row matches. fastupdate is off: with GIN's
pending list, now and then one submit flushed it into the index while holding its site's
lock (bench submit p99 14 s instead of 0.6 s). SQLite has no trigram index:
the migration does nothing there (the filter gives the same answers, by a scan).
"""

from django.db import migrations

INDEX = "registrations_work_unit_name_trgm"
EXPRESSION = "UPPER((snapshot #>> '{work,work_unit_name}')::text)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON registrations_registration"
        f" USING gin ({EXPRESSION} gin_trgm_ops) WITH (fastupdate = off)"
    )
    schema_editor.execute("ANALYZE registrations_registration")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("registrations", "0003_registration_work_unit_code")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
