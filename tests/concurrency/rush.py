"""Run many jobs at once against the database, like an opening-hour rush."""

import threading

from django.db import connection

# Like app servers with a bounded connection pool: PostgreSQL's default max_connections is 100.
MAX_CONNECTIONS = 40


def run_at_once(jobs, *, refusal: type[Exception], timeout: float = 300):
    """Run every job from MAX_CONNECTIONS threads released together; collect
    ("ok", pk), ("refused", message) or ("error", repr) per job, in the jobs' order."""
    pending = list(enumerate(jobs))
    lock = threading.Lock()
    workers = min(MAX_CONNECTIONS, len(jobs))
    barrier = threading.Barrier(workers)
    results = [None] * len(jobs)

    def worker():
        barrier.wait()
        try:
            while True:
                with lock:
                    if not pending:
                        return
                    index, job = pending.pop()
                try:
                    results[index] = ("ok", job().pk)
                except refusal as exc:
                    results[index] = ("refused", exc.message)
                except Exception as exc:  # reported by the caller's assertion
                    results[index] = ("error", repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
