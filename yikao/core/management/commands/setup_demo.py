"""Idempotent set-up of a development instance, called by `make run`: the reference
directory (full by default; YIKAO_DIRECTORY="--provinces 41" loads a part), the demo exam
with its areas, sites and seats, and demo staff logins (password + one-time code)."""

import base64
import os
import shlex

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_otp.plugins.otp_totp.models import TOTPDevice

from yikao.accounts.models import User
from yikao.core.secrets import load_or_create_secret
from yikao.exams.models import ExamSite
from yikao.review.services import staff_create

DEMO_ADMIN = "admin"
DEMO_SITE_STAFF = "kaodian"
DEMO_SITE = "4101"  # 郑州市考点


class Command(BaseCommand):
    help = "加载基础数据和演示考试，创建演示工作人员账户（幂等）"

    def handle(self, *args, **options):
        directory_args = shlex.split(os.environ.get("YIKAO_DIRECTORY", ""))
        call_command("load_directory", *directory_args)
        call_command("load_exam_demo")
        password = load_or_create_secret(settings.VAR_DIR, "demo_staff_password", 9)
        key = load_or_create_secret(settings.VAR_DIR, "demo_totp_key", 20).encode().hex()[:40]
        admin = self._admin(password, key)
        if not User.objects.with_username(DEMO_SITE_STAFF).exists():
            staff_create(actor=admin, username=DEMO_SITE_STAFF, password=password, role="site",
                         site=ExamSite.objects.get(code=DEMO_SITE), totp_key=key)  # fmt: skip
        secret = base64.b32encode(bytes.fromhex(key)).decode()
        self.stdout.write(
            f"演示工作人员账户 / demo staff logins (password + TOTP):\n"
            f"  管理后台 /admin/      {DEMO_ADMIN} / {password}\n"
            f"  考点审核 /review/     {DEMO_SITE_STAFF} / {password}  ({ExamSite.objects.get(code=DEMO_SITE).name})\n"
            f"  一次性验证码密钥 (TOTP secret, base32): {secret}\n"
            f"  e.g. `oathtool --totp -b {secret}` or any authenticator app"
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
