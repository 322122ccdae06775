from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "yikao.appointments"
    label = "appointments"
    verbose_name = "预约信息采集"
