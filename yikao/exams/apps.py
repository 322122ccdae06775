from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "yikao.exams"
    label = "exams"
    verbose_name = "考试"
