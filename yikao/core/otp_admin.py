"""django-otp's TOTP device admin, with a 404 for a device that does not exist.

Its config and QR code views fetch the device with `TOTPDevice.objects.get(pk=pk)`, so a
missing pk is an unhandled DoesNotExist: a 500 (and an error mail) instead of a 404. With
OTP_ADMIN_HIDE_SENSITIVE_DATA on (our settings) the views refuse before the lookup, but
that setting must not be what keeps the admin from failing.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice


class TOTPDeviceAdmin(otp_totp_admin.TOTPDeviceAdmin):
    def _device_view(self, view, request, pk):
        # The model permission first, so that someone without it cannot tell which devices
        # exist; then django-otp's own checks, and its lookup's DoesNotExist as a 404.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            return view(request, pk)
        except TOTPDevice.DoesNotExist:
            raise Http404("该设备不存在。") from None

    def config_view(self, request, pk):
        return self._device_view(super().config_view, request, pk)

    def qrcode_view(self, request, pk):
        return self._device_view(super().qrcode_view, request, pk)


def register(site: admin.AdminSite) -> None:
    """Registers TOTPDeviceAdmin in place of django-otp's (imported above, so that its own
    registration has already run whatever the app order), and names the site in Chinese
    with our login page (django-otp's has English labels and a second submit button)."""
    site.login_template = "admin/yikao_login.html"
    site.site_header = site.site_title = "医考管理后台"
    site.index_title = "数据管理"
    if site.is_registered(TOTPDevice):
        site.unregister(TOTPDevice)
    site.register(TOTPDevice, TOTPDeviceAdmin)
