from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    # Not in INSTALLED_APPS yet: it has no models until the orders arrive (issue 20).
    name = "yikao.payments"
    label = "payments"
    verbose_name = "网上缴费"
