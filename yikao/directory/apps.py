from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "yikao.directory"
    verbose_name = "基础数据"
    default_auto_field = "django.db.models.BigAutoField"
