"""Hooks for django-axes: one lock per account however it is named, and our own page."""

from django.shortcuts import render

from yikao.accounts.selectors import user_by_login_identifier
from yikao.core.crypto import lookup_hash

LOCKOUT_MESSAGE = (
    "登录失败次数过多，账户或当前网络地址已被暂时锁定，请30分钟后再试。忘记密码可使用“找回密码”。"
)


def lockout_key(request, credentials) -> str:
    """A user named by username or by ID number locks the same account.

    Unknown identifiers get a keyed hash, so that the lock table never holds an ID
    number and locking behaves the same whether or not the account exists.
    """
    identifier = (credentials or {}).get("username") or request.POST.get("username", "")
    user = user_by_login_identifier(identifier)
    if user is not None:
        return f"user:{user.pk}"
    return "unknown:" + lookup_hash(identifier.strip().upper(), purpose="lockout")[:32]


def lockout_response(request, original_response=None, credentials=None):
    from yikao.accounts.forms import LoginForm

    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:40]})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": LOCKOUT_MESSAGE},
        status=429,
    )


def lockout_clear(*, user, ip_address: str) -> None:
    """A proven identity (password recovered, or reset by staff) lifts the login lock."""
    from axes.utils import reset

    reset(username=f"user:{user.pk}")
    if ip_address:  # axes' reset(ip="") would lift every lock in the table
        reset(ip=ip_address)
