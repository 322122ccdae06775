from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yikao.accounts"
    label = "accounts"
    verbose_name = "账户"

    def ready(self):
        # The lock's hooks (a signal receiver among them) are in place before any login.
        from yikao.accounts import lockout  # noqa: F401
