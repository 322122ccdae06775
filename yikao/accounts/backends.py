from django.contrib.auth.backends import ModelBackend

from yikao.accounts.models import User
from yikao.accounts.selectors import user_by_login_identifier


class UsernameOrIdNumberBackend(ModelBackend):
    """Log in with 用户名 or 证件号码 and the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_by_login_identifier(username)
        if user is None:
            # Spend the same time as a real check, so the response time tells nothing.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
