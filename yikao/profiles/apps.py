from django.apps import AppConfig


class ProfilesConfig(AppConfig):
    name = "yikao.profiles"
    label = "profiles"
    verbose_name = "个人信息"
