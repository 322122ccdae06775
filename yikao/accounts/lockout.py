"""Hooks for django-axes: one lock per account however it is named, the client's own
address behind the load balancer, nothing of the request kept, and our own page.

Failures count per account (`lockout_key`) and per client address (AXES_LOCKOUT_PARAMETERS);
5 of either lock. Only the account itself lifts its own failures: its successful login
(`AccountLockoutHandler`), a recovered password or a staff reset (`lockout_clear`). No
success ever lifts the failures of an address, which also hold other accounts' failures.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.db.models.signals import pre_save
from django.dispatch import receiver

from yikao.accounts.selectors import _compact_identifier, user_by_login_identifier
from yikao.core import ratelimit
from yikao.core.crypto import lookup_hash

LOCKOUT_MESSAGE = (
    "登录失败次数过多，账户或当前网络地址已被暂时锁定，请30分钟后再试。忘记密码可使用“找回密码”。"
)
STAFF_LOCKOUT_MESSAGE = (
    "登录失败次数过多，账户或当前网络地址已被暂时锁定，请30分钟后再试；如有疑问请联系考区管理员。"
)


def lockout_key(request, credentials) -> str:
    """A user named by username or by ID number (in any spelling the login accepts) locks
    the same account.

    Unknown identifiers get a keyed hash of the same compact form, so that the lock table
    never holds an ID number and locking behaves the same whether or not the account exists.
    """
    identifier = (credentials or {}).get("username") or request.POST.get("username", "")
    if not isinstance(identifier, str):
        identifier = str(identifier)
    user = user_by_login_identifier(identifier)
    if user is not None:
        return f"user:{user.pk}"
    compact = _compact_identifier(identifier).upper()[:200]
    return "unknown:" + lookup_hash(compact, purpose="lockout")[:32]


def client_ip_address(request) -> str | None:
    """The address axes locks: the same client address as the rate limits and audit rows
    (behind PROXY_COUNT trusted proxies, the one the outermost proxy saw). None when there
    is none (axes stores NULL; its column is an IP address field)."""
    address = ratelimit.client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class AccountLockoutHandler(AxesDatabaseHandler):
    """axes' database handler, except that a successful login lifts only the failures of
    the account that logged in.

    axes' own reset deletes every record matching any lockout parameter, the address
    included: a login to one's own account wiped the failures just made against another
    account from the same address (4 wrong passwords on a victim, 1 own login, repeat:
    the victim never locked).
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = lockout_key(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


@receiver(pre_save, sender=AccessAttempt)
def _keep_no_request_data(sender, instance, **kwargs):
    """axes copies the GET and POST parameters into the row (one-time codes, CSRF tokens,
    whatever a form posts, masked only by a deny-list); the lock needs none of them."""
    instance.get_data = ""
    instance.post_data = ""


def lockout_clear(*, user, ip_address: str | None = None) -> None:
    """A proven identity (password recovered, or reset by staff) lifts the account's lock.

    Only the account's: the failures of an address (`ip_address`, kept for the callers)
    may be other accounts' and stay.
    """
    from axes.utils import reset

    reset(username=f"user:{user.pk}")
