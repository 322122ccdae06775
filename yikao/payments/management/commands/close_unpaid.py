"""Run from cron (every few minutes around a deadline is enough):

    python manage.py close_unpaid

Closes what each exam's payment deadline left unpaid (payments.services.close_unpaid). Safe
to run twice and on two servers at once."""

from django.core.management.base import BaseCommand

from yikao.payments.services import close_unpaid


class Command(BaseCommand):
    help = "缴费截止后：未缴费的报名视为放弃，关闭订单，释放考位和采集预约，通知考生。"

    def handle(self, *args, **options):
        report = close_unpaid()
        self.stdout.write(
            f"视为放弃 {report.expired} 个；查询到已支付 {report.paid_late_found} 个；"
            f"支付平台未能确认、留待下次 {report.unverified} 个。"
        )
