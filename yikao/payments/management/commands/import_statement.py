"""Import one day's statement from the platform (or from a CSV file) and reconcile it:

    python manage.py import_statement --date 2027-03-05 [--file statement.csv]

Run daily from cron for the previous day. Importing a day again replaces its result."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from yikao.payments import reconcile, services
from yikao.payments.gateway import GatewayError, PlatformUnavailable


class Command(BaseCommand):
    help = "导入支付平台某日对账单（或 CSV 文件）并与本系统的网上支付记录核对。"

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="对账日期 YYYY-MM-DD（北京时间）")
        parser.add_argument("--file", help="对账单 CSV 文件；不给则从支付平台下载")

    def handle(self, *args, date, file=None, **options):
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"日期无效：{date}（应为 YYYY-MM-DD）") from None
        try:
            if file:
                with open(file, "rb") as handle:
                    rows = reconcile.rows_from_file(handle.read(reconcile.MAX_FILE_BYTES + 1))
            else:
                rows = services.gateway().statement(day.isoformat())
        except OSError as error:
            raise CommandError(f"无法读取文件：{error}") from None
        except reconcile.StatementRefused as error:
            raise CommandError(error.message) from None
        except PlatformUnavailable as error:
            raise CommandError(f"{error.message}（{error.detail}）") from None
        except GatewayError as error:
            raise CommandError(f"支付平台的对账单无法使用：{error}") from None
        statement = reconcile.import_statement(date=day, rows=rows, actor=None)
        kinds = {}
        for kind in statement.mismatches.values_list("kind", flat=True):
            kinds[kind] = kinds.get(kind, 0) + 1
        self.stdout.write(
            f"{day} 对账：{statement.rows} 行，一致 {statement.matched} 笔；"
            f"平台有本系统无 {kinds.get('platform_only', 0)}，"
            f"本系统有平台无 {kinds.get('ours_only', 0)}，金额不一致 {kinds.get('amount', 0)}"
            + ("（已替换此前结果）" if statement.replaced else "")
        )
