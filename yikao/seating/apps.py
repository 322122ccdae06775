from django.apps import AppConfig


class SeatingConfig(AppConfig):
    name = "yikao.seating"
    label = "seating"
    verbose_name = "考场编排"
