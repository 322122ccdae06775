"""Back up the database while the service runs (docs/operations.md, "Backup and restore").

    manage.py backup_data /backups/yikao-20270301.dump

SQLite: SQLite's online backup API (a consistent copy, even with writers in WAL mode).
PostgreSQL: `pg_dump --format=custom` (a consistent snapshot; restore with restore_data or
pg_restore). Prints the row counts and the registrations checksum to compare after a restore.
"""

import hashlib
import json
import os
import sqlite3
import subprocess
from pathlib import Path

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def pg_env_and_args() -> tuple[dict, list[str]]:
    """Environment and connection arguments of pg_dump / pg_restore for the default database."""
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def run(cmd: list[str], env: dict) -> None:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{cmd[0]} failed: {result.stderr.strip()[:2000]}")


def row_counts() -> dict[str, int]:
    """Rows per table of every installed model (what a restore must bring back)."""
    tables = set(connection.introspection.table_names())
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if table in tables and table not in counts:
            counts[table] = model._base_manager.count()
    return dict(sorted(counts.items()))


def registrations_checksum() -> str:
    """SHA-256 over every registration's identity, status and snapshot, in id order."""
    from yikao.registrations.models import Registration

    digest = hashlib.sha256()
    fields = ("id", "number", "status", "candidate_id", "site_id", "exam_id", "snapshot")
    for row in Registration.objects.order_by("id").values_list(*fields).iterator():
        digest.update(json.dumps(row, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def sqlite_backup(source: str, target: str) -> None:
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        dst.close()
        src.close()


class Command(BaseCommand):
    help = "备份数据库（SQLite 在线备份；PostgreSQL 使用 pg_dump）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径")

    def handle(self, *args, path: str, **options):
        target = Path(path)
        if target.exists():
            raise CommandError(f"{target} exists; choose a new file name")
        target.parent.mkdir(parents=True, exist_ok=True)
        if is_sqlite():
            sqlite_backup(str(connection.settings_dict["NAME"]), str(target))
        else:
            env, args = pg_env_and_args()
            name = connection.settings_dict["NAME"]
            run(["pg_dump", "--format=custom", "--file", str(target), *args, name], env)
        counts = row_counts()
        self.stdout.write(
            f"backup written to {target}: {counts.get('registrations_registration', 0)} "
            f"registrations, checksum {registrations_checksum()}"
        )
