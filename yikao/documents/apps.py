from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yikao.documents"
    label = "documents"
    verbose_name = "报名材料打印"
