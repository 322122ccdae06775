"""manage.py create_staff --role site --site 4101 --username kaodian01

Creates a staff login with its scope and a TOTP device, and prints the provisioning URI
(and secret) to add to an authenticator app. The password is generated unless given.
"""

import secrets

from django.core.management.base import BaseCommand, CommandError

from yikao.exams.models import ExamArea, ExamSite
from yikao.review.services import ReviewError, staff_create


class Command(BaseCommand):
    help = "创建审核工作人员账户（考点 / 考区 / 国家），并输出动态验证码的绑定信息"

    def add_arguments(self, parser):
        parser.add_argument("--role", choices=["site", "area", "national"], required=True)
        parser.add_argument("--site", help="考点代码（role=site）")
        parser.add_argument("--area", help="考区代码，即省级代码如 41（role=area）")
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", help="不填则随机生成并输出")
        parser.add_argument("--full-id-export", action="store_true", help="允许导出完整证件号码")

    def handle(self, *args, **opts):
        site = area = None
        if opts["role"] == "site":
            site = ExamSite.objects.filter(code=opts["site"] or "").first()
            if site is None:
                raise CommandError(f"找不到考点代码 {opts['site']!r}。")
        if opts["role"] == "area":
            area = ExamArea.objects.filter(code=opts["area"] or "").first()
            if area is None:
                raise CommandError(f"找不到考区代码 {opts['area']!r}。")
        password = opts["password"] or secrets.token_urlsafe(9) + "7a"
        try:
            user, device = staff_create(
                actor=None, username=opts["username"], password=password, role=opts["role"],
                site=site, area=area, full_id_export=opts["full_id_export"],
            )  # fmt: skip
        except ReviewError as exc:
            raise CommandError(exc.message) from None
        from base64 import b32encode

        self.stdout.write(f"用户名 / username: {user.username}")
        if not opts["password"]:
            self.stdout.write(f"初始密码 / password: {password}")
        self.stdout.write(f"TOTP secret (base32): {b32encode(device.bin_key).decode()}")
        self.stdout.write(f"TOTP URI: {device.config_url}")
        self.stdout.write("登录入口 / staff entrance: /review/login/")
