"""Idempotent set-up of a development instance, called by `make run`: the reference
directory (full by default; YIKAO_DIRECTORY="--provinces 41" loads a part), the demo exam
with its areas, sites and seats, demo staff logins (password + one-time code) of the site
and of its 考区, a collection day of today with three booked demo candidates, and the demo
province's fees with a fourth candidate 审核通过 and waiting to pay (`make paysim`)."""

import base64
import os
import shlex

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from yikao.accounts.models import User
from yikao.core.secrets import load_or_create_secret
from yikao.exams.models import Exam, ExamSite
from yikao.ops.demo import demo_day, demo_payments
from yikao.review.services import staff_create

DEMO_ADMIN = "admin"
DEMO_SITE_STAFF = "kaodian"
DEMO_AREA_STAFF = "kaoqu"  # the demo site's 考区 (河南): 审核通过 after 考点通过
DEMO_SITE = "4101"  # 郑州市考点
DEMO_EXAM = "yszg-2027"  # load_exam_demo's


class Command(BaseCommand):
    help = "加载基础数据和演示考试，创建演示工作人员账户（幂等）"

    def handle(self, *args, **options):
        directory_args = shlex.split(os.environ.get("YIKAO_DIRECTORY", ""))
        call_command("load_directory", *directory_args)
        call_command("load_exam_demo")
        password = load_or_create_secret(settings.VAR_DIR, "demo_staff_password", 9)
        key = load_or_create_secret(settings.VAR_DIR, "demo_totp_key", 20).encode().hex()[:40]
        admin = self._admin(password, key)
        site = ExamSite.objects.select_related("area").get(code=DEMO_SITE)
        staff = {}
        for username, role, place in (
            (DEMO_SITE_STAFF, "site", {"site": site}),
            (DEMO_AREA_STAFF, "area", {"area": site.area}),
        ):
            staff[role] = User.objects.with_username(username).first() or staff_create(
                actor=admin, username=username, password=password, role=role, totp_key=key,
                **place,
            )[0]  # fmt: skip
        exam = Exam.objects.get(code=DEMO_EXAM)
        bookings = demo_day(exam=exam, site=site, staff=staff["site"], password=password)
        paying = demo_payments(
            exam=exam, site=site, site_staff=staff["site"], area_staff=staff["area"],
            password=password,
        )  # fmt: skip
        deadline = timezone.localtime(exam.payment_deadline)
        secret = base64.b32encode(bytes.fromhex(key)).decode()
        codes = " ".join(b.display_code for b in bookings)
        self.stdout.write(
            f"演示工作人员账户 / demo staff logins (password + TOTP):\n"
            f"  管理后台 /admin/      {DEMO_ADMIN} / {password}\n"
            f"  考点审核 /review/     {DEMO_SITE_STAFF} / {password}  ({site.name})\n"
            f"  考区审核 /review/     {DEMO_AREA_STAFF} / {password}  ({site.area.name})\n"
            f"  一次性验证码密钥 (TOTP secret, base32): {secret}\n"
            f"  e.g. `oathtool --totp -b {secret}` or any authenticator app\n"
            f"今日采集签到 / today's check-in ({site.name}, /appointments/staff/): "
            f"预约码 {codes}\n"
            f"演示考生 / demo candidates: "
            f"{' '.join(b.candidate.user.username for b in bookings)} / {password}\n"
            f"网上缴费 / online payment (`make paysim` beside `make run`): "
            f"{paying.candidate.user.username} / {password}  审核通过，待缴费，"
            f"缴费截止 {deadline:%Y-%m-%d %H:%M}"
        )

    def _admin(self, password: str, key: str) -> User:
        user = User.objects.with_username(DEMO_ADMIN).first()
        if user is None:
            user = User.objects.create_superuser(DEMO_ADMIN, password)
        elif not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        TOTPDevice.objects.get_or_create(
            user=user, name="演示", defaults={"key": key, "confirmed": True}
        )
        return user
