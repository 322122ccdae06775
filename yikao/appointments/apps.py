from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "yikao.appointments"
    label = "appointments"
    verbose_name = "预约信息采集"

    def ready(self) -> None:
        # A registration that is returned or abandoned loses its collection booking in
        # the same transaction (registrations.lifecycle sends `moved` inside it).
        from yikao.appointments import services
        from yikao.registrations.lifecycle import moved

        moved.connect(services.on_registration_moved, dispatch_uid="appointments.booking_end")
