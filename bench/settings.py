"""Bench-only settings: the app's settings plus the ceiling reference (`bench.ceiling`).

Served exactly like the app (same gunicorn.conf.py, middleware, database, Redis), so the
rush's figures can be read as ratios to "a minimal Django view that inserts one row".
Never used outside bench/ and tests/scaleout/.
"""

from yikao.settings import *  # noqa: F403
from yikao.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"

# Every simulated candidate comes from 127.0.0.1; real ones come from a million addresses.
# The per-address limits would refuse the crowd here, so they are raised (the counters are
# still kept, so their cost is measured).
RATE_LIMITS = {"signup": (1_000_000, 3600), "directory_search": (1_000_000, 60)}
