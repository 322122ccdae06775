from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "yikao.registrations"
    label = "registrations"
    verbose_name = "考试报名"

    def ready(self) -> None:
        # A staff correction of basic information reaches the submitted snapshots.
        from yikao.accounts.services import basic_info_corrected
        from yikao.registrations import services

        basic_info_corrected.connect(
            services.on_basic_info_corrected, dispatch_uid="registrations.snapshots_correct"
        )
