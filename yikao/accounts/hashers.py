from django.contrib.auth.hashers import Argon2PasswordHasher


class YikaoArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id at OWASP's minimum (19 MiB, t=2, p=1): ~28 ms of CPU per login here.

    Django's default (100 MiB, p=8) costs several times more and would cap logins per
    second during the opening-hour rush. Hashes with other parameters are upgraded at the
    next successful login (Django's must_update).
    """

    time_cost = 2
    memory_cost = 19 * 1024
    parallelism = 1
