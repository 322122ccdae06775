import threading

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

# Argon2 releases the GIL, so every thread of a worker can hash at once, each holding its
# 19 MiB. Two workers × four threads would run eight hashes on two cores: no faster than
# four, and 76 MB more memory per worker at the peak of a login burst.
_hashing = threading.BoundedSemaphore(settings.ARGON2_CONCURRENCY)


class YikaoArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, t=2, p=1): ~28 ms of CPU per login here.

    Django's default (100 MiB, p=8) costs several times more and would cap logins per
    second during the opening-hour rush. Hashes with other parameters are upgraded at the
    next successful login (Django's must_update). At most ARGON2_CONCURRENCY hashes run at
    once per process; the others wait for a slot (the cores are busy anyway).
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1

    def encode(self, password, salt):
        with _hashing:
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with _hashing:
            return super().verify(password, encoded)
