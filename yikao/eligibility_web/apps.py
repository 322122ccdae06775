from django.apps import AppConfig


class EligibilityWebConfig(AppConfig):
    """报名资格自测: the public page and API in front of the eligibility engine."""

    name = "yikao.eligibility_web"
    label = "eligibility_web"
    verbose_name = "报名资格自测"
