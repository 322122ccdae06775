from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yikao.accounts"
    label = "accounts"
    verbose_name = "账户"
