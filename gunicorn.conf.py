"""Production server settings for `make run` (and a starting point for deployment)."""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("THREADS", "4"))
worker_class = "gthread"
timeout = 30
graceful_timeout = 20
# A worker is replaced after this many requests, a guard against slow leaks. At the rush's
# ~500 requests/s per worker, 5,000 restarted each worker every 10 s (a second of re-import
# each time: the p99 spikes of the first benchmark run).
max_requests = 200_000
max_requests_jitter = 20_000
# Idle keep-alive connections stay open longer than a load balancer's idle timeout (60 s
# on common ones) and a candidate's pause between clicks: with gunicorn's default of 2 s a
# POST sent on a connection the server had just closed failed with no response (the rush
# benchmark's only errors). In the gthread worker an idle connection holds no thread.
keepalive = int(os.environ.get("KEEPALIVE", "75"))
accesslog = "-"
# Yikao puts no personal data in URLs, but a client may (a hand-typed ?id=…, an old
# bookmark, a referer): this logger redacts ID and mobile numbers from every access-log
# atom (the query string's values also when percent-encoded) and from the error log and
# its tracebacks (yikao/core/gunicorn_logging.py).
logger_class = "yikao.core.gunicorn_logging.RedactingLogger"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def _cap_malloc_arenas(arenas: int = 2) -> None:
    """glibc gives each thread its own malloc arena and keeps the pages of every Argon2
    hash (19 MiB each) it ever made; two arenas keep a 4-thread worker's memory flat.
    Same as MALLOC_ARENA_MAX=2, set here so that every way of starting gunicorn gets it;
    the workers inherit it at fork."""
    import ctypes
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if libc_name:
        m_arena_max = -8  # from glibc's malloc.h
        ctypes.CDLL(libc_name).mallopt(m_arena_max, arenas)


_cap_malloc_arenas()
