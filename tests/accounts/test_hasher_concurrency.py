"""At most ARGON2_CONCURRENCY Argon2 hashes run at once in a process: each holds 19 MiB,
and a burst of logins on every thread of a worker would otherwise stack them up."""

import threading
import time

from django.contrib.auth.hashers import Argon2PasswordHasher

from yikao.accounts.hashers import YikaoArgon2PasswordHasher


def test_a_burst_of_logins_hashes_two_at_a_time(monkeypatch, settings):
    assert settings.ARGON2_CONCURRENCY == 2
    running, peak, lock = 0, 0, threading.Lock()
    real_verify = Argon2PasswordHasher.verify

    def counting_verify(self, password, encoded):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)  # long enough for all eight threads to be waiting
        try:
            return real_verify(self, password, encoded)
        finally:
            with lock:
                running -= 1

    hasher = YikaoArgon2PasswordHasher()
    encoded = hasher.encode("Secret2026x", hasher.salt())
    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting_verify)
    answers = []
    threads = [
        threading.Thread(target=lambda: answers.append(hasher.verify("Secret2026x", encoded)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 8
    assert peak == 2
