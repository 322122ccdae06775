from django.contrib.auth.backends import ModelBackend

from yikao.accounts.models import User
from yikao.accounts.otp import needs_one_time_code, one_time_code_device
from yikao.accounts.selectors import user_by_login_identifier


class UsernameOrIdNumberBackend(ModelBackend):
    """Log in with 用户名 or 证件号码 and the password; staff also with a one-time code.

    Staff without a valid `otp_token` are refused exactly like a wrong password (None, so
    Django signals a failed login and the lock counts it), on every page that calls
    authenticate(): a right password alone never shows.
    """

    def authenticate(self, request, username=None, password=None, otp_token=None, **kwargs):
        if not username or password is None:
            return None
        user = user_by_login_identifier(username)
        if user is None:
            # Spend the same time as a real check, so the response time tells nothing.
            User().set_password(password)
            return None
        if not (user.check_password(password) and self.user_can_authenticate(user)):
            return None
        if needs_one_time_code(user):
            device = one_time_code_device(user, otp_token)
            if device is None:
                return None
            user.otp_device = device  # django-otp keeps it in the session at login
        return user
