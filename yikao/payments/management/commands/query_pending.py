"""Run from cron every few minutes while payment is open:

    python manage.py query_pending --older-than 10

Asks the platform about online orders still unpaid here (payments.services.query_pending),
so a payment whose notification was lost is recorded within minutes."""

from datetime import timedelta

from django.core.management.base import BaseCommand

from yikao.payments.services import Outcome, query_pending


class Command(BaseCommand):
    help = "查询仍待支付的网上订单：支付平台已收款而通知丢失的，补记为已缴费。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=10, help="只查询生成超过这么多分钟的订单（默认 10）"
        )

    def handle(self, *args, **options):
        counts = query_pending(older_than=timedelta(minutes=options["older_than"]))
        recorded = counts.get(Outcome.PAID, 0)
        unanswered = counts.get("unanswered", 0)
        waiting = sum(counts.values()) - recorded - unanswered - counts.get(Outcome.ALREADY, 0)
        self.stdout.write(
            f"补记已缴费 {recorded} 个；平台仍未收款 {waiting} 个；平台未能答复、留待下次 {unanswered} 个。"
        )
