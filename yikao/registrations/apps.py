from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "yikao.registrations"
    label = "registrations"
    verbose_name = "考试报名"
