from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "yikao.review"
    label = "review"
    verbose_name = "资格审核"
