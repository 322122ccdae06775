"""Fixed-window rate limits kept in the cache (Redis in production, shared by all servers)."""

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request; False when `key` has exceeded `limit` in the current window."""
    bucket = int(time.time()) // window
    cache_key = f"rl:{scope}:{key}:{bucket}"
    if cache.add(cache_key, 1, timeout=window + 1):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window + 1)
        return True
    return count <= limit


def client_ip(request) -> str:
    """The candidate's address. Behind ``PROXY_COUNT`` trusted proxies it is the entry of
    X-Forwarded-For that the outermost proxy added (the right-most ones are the proxies'
    own; anything left of it the client may have forged). Without a proxy, or when the
    header is missing or not an address, REMOTE_ADDR: otherwise every candidate behind the
    load balancer would share one counter."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = getattr(settings, "PROXY_COUNT", 0)
    if hops <= 0:
        return remote
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
