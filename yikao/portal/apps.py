from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that bring several apps together (首页, the login lockout page): the top
    layer, so that no app below has to import another app's views."""

    name = "yikao.portal"
    label = "portal"
    verbose_name = "门户"
