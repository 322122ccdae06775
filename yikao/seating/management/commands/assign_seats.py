"""Seat the paid registrations of one site in one part of an exam:

    python manage.py assign_seats --exam 2027-physician --site 4101 --part written [--seed N]

Prints the run's seed (to reproduce it), how many were placed, and whom a re-run moved."""

from django.core.management.base import BaseCommand, CommandError

from yikao.exams.models import Exam, ExamSite
from yikao.registrations.models import Registration
from yikao.seating.models import Part
from yikao.seating.services import SeatingError, assign_site


class Command(BaseCommand):
    help = "考场编排：为一个考点某一考试部分的已缴费考生分配场次、考场和座位，生成准考证号。"

    def add_arguments(self, parser):
        parser.add_argument("--exam", required=True, help="考试代码")
        parser.add_argument("--site", required=True, help="考点代码")
        parser.add_argument("--part", required=True, choices=Part.values)
        parser.add_argument("--seed", type=int, help="重现某次编排时使用其记录的种子")

    def handle(self, *args, **options):
        exam = Exam.objects.filter(code=options["exam"]).first()
        site = ExamSite.objects.filter(code=options["site"]).first()
        if exam is None or site is None:
            raise CommandError("找不到该考试或考点。")
        try:
            run = assign_site(
                exam=exam, site=site, part=options["part"], actor=None, seed=options["seed"]
            )
        except SeatingError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"编排 #{run.pk}（种子 {run.seed}）：安排 {run.placed} 人，调整 {len(run.moved)} 人，"
            f"未能安排 {len(run.unplaced)} 人，同单位相邻 {run.conflicts} 处。"
        )
        numbers = dict(Registration.objects.filter(pk__in=run.moved).values_list("pk", "number"))
        for pk in run.moved:
            self.stdout.write(f"调整：报名号 {numbers.get(pk, pk)}")
