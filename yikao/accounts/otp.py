"""Staff prove themselves with a password and a one-time code, wherever they authenticate.

The authentication backend asks for the code (so the candidates' login, the admin's login
and any future door behave alike), and so does the password change.
"""

from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

ONE_TIME_CODE_ERROR = "动态验证码不正确，请输入身份验证器中当前显示的6位数字。"


def needs_one_time_code(user) -> bool:
    """Staff (the back office, the admin) need a one-time code; candidates do not."""
    return bool(user.is_staff or user.is_superuser)


def one_time_code_device(user, token: str | None):
    """The user's confirmed TOTP device if `token` is its current code, else None.

    Verified through django-otp, so a wrong code counts towards the device's throttling and
    a code is accepted once."""
    token = "".join((token or "").split())
    if not token or len(token) > 16:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        return None
    return verify_token(user, device.persistent_id, token)
