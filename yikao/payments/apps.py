from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "yikao.payments"
    label = "payments"
    verbose_name = "网上缴费"

    def ready(self) -> None:
        # A registration that ends (abandoned, unpaid) closes its pending order in the
        # same transaction, so money arriving later becomes a refund.
        from yikao.payments import services
        from yikao.registrations.lifecycle import moved

        moved.connect(services.on_registration_moved, dispatch_uid="payments.order_close")
