"""Restore a backup made by backup_data into the configured database (docs/operations.md).

    manage.py restore_data /backups/yikao-20270301.dump --yes

Stop the app servers first: the restore replaces every table. SQLite: the backup API copies
the file back page by page. PostgreSQL: `pg_restore --clean --if-exists --single-transaction`,
so a failed restore leaves the database as it was.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from yikao.ops.management.commands.backup_data import (
    is_sqlite,
    pg_env_and_args,
    registrations_checksum,
    row_counts,
    run,
    sqlite_backup,
)


class Command(BaseCommand):
    help = "从 backup_data 的备份恢复数据库（会替换全部数据）"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径")
        parser.add_argument("--yes", action="store_true", help="确认替换当前数据库的全部数据")

    def handle(self, *args, path: str, yes: bool = False, **options):
        source = Path(path)
        if not source.is_file():
            raise CommandError(f"{source} is not a backup file")
        if not yes:
            raise CommandError("restore replaces every table: run again with --yes")
        if is_sqlite():
            target = str(connection.settings_dict["NAME"])
            connection.close()
            sqlite_backup(str(source), target)
        else:
            env, args = pg_env_and_args()
            name = connection.settings_dict["NAME"]
            connection.close()
            run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                 *args, "--dbname", name, str(source)], env)  # fmt: skip
        counts = row_counts()
        self.stdout.write(
            f"restored from {source}: {counts.get('registrations_registration', 0)} "
            f"registrations, checksum {registrations_checksum()}"
        )
