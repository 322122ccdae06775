from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yikao.core"
    label = "core"
    verbose_name = "核心"
