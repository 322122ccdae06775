"""`make bench-cluster`: two gunicorn servers on different loopback ports share one
PostgreSQL and one Redis; the registration rush goes to both at once.

    .venv/bin/python bench/cluster.py            # prints the outcome as JSON, exit 1 if broken

What it shows (tests/scaleout/test_two_servers.py asserts the same):
- sessions move: a login on server A is a logged-in session on server B (Redis sessions);
- capacity: 60 candidates rush a site with 20 seats, half through A, half through B, each
  submitting twice at once (same form token, one request to each server): exactly 20
  registrations, numbers unique, never two for one candidate, and both of a winner's
  requests land on its registration list (a duplicate that finds the draft already gone,
  even half-way through the request, is shown the list: registrations.views._draft_gone).

It creates a fresh database (dropped at the end) and uses its own Redis database number.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PASSWORD = "Secret2026a"  # noqa: S105 - tests/factories.py's default password
CANDIDATES, SEATS = 60, 20


def _env(database_url: str, redis_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, PYTHONPATH=str(ROOT),
               DJANGO_SETTINGS_MODULE="yikao.settings", LOG_LEVEL="WARNING", **extra)  # fmt: skip
    env.pop("YIKAO_VAR_DIR", None)
    return env


def seed() -> dict:
    """(In a subprocess with the cluster's DATABASE_URL.) An exam, one site, the candidates."""
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "tests"))
    from django.core.cache import cache
    from factories import (
        make_bachelor_profile,
        make_candidate,
        make_draft,
        make_exam,
        make_photo,
        make_site,
    )

    cache.clear()
    exam = make_exam()
    site = make_site(exam, capacity=SEATS)
    people = []
    for _ in range(CANDIDATES):
        candidate = make_candidate()
        make_bachelor_profile(candidate)
        make_photo(candidate)
        draft = make_draft(candidate, exam, site)
        people.append({"username": candidate.user.username, "token": draft.token})
    return {"exam": exam.pk, "site": site.pk, "area": site.area.code, "people": people}


def check() -> dict:
    """(In a subprocess.) The invariants, counted from rows."""
    import django

    django.setup()
    from django.db.models import Count

    from yikao.registrations.models import ACTIVE, Registration

    active = Registration.objects.filter(ACTIVE)
    per_candidate = active.values("candidate").annotate(n=Count("id")).filter(n__gt=1).count()
    numbers = list(active.values_list("number", flat=True))
    return {"registrations": active.count(), "candidates_with_two": per_candidate,
            "numbers_unique": len(numbers) == len(set(numbers))}  # fmt: skip


def _python(code: str, env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


class Client:
    """A browser: one cookie jar, whichever server it talks to (cookies ignore ports)."""

    def __init__(self):
        import requests

        self.session = requests.Session()

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def login(self, base: str, username: str) -> bool:
        self.session.get(f"{base}/accounts/login/", timeout=30)
        r = self.session.post(
            f"{base}/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()},
            allow_redirects=False, timeout=30,
        )  # fmt: skip
        return r.status_code == 302

    def logged_in_at(self, base: str) -> bool:
        r = self.session.get(f"{base}/registrations/", allow_redirects=False, timeout=30)
        return r.status_code == 200

    def submit(self, base: str, exam: int, area: str, site: int, token: str) -> str:
        data = {"area": area, "site": str(site), "token": token, "go": "submit",
                "csrfmiddlewaretoken": self.csrf()}  # fmt: skip
        # A fresh connection: the login's keep-alive one was closed by the server after its
        # idle timeout while the others logged in, and requests does not retry a POST on it
        # (browsers do). Those resets were the "flaky" errors of this test.
        self.session.close()
        r = self.session.post(
            f"{base}/registrations/wizard/{exam}/5/", data=data, allow_redirects=False, timeout=60
        )
        if r.status_code == 302 and r.headers["Location"].endswith("/registrations/"):
            return "ok"
        if "名额已满" in r.text or "请选择所选考区中的考点" in r.text:
            return "full"  # refused under the lock, or the form no longer offers the site
        if r.status_code == 404:
            # The other request won and deleted the draft before this one read it.
            return "draft_gone"
        return f"error {r.status_code} {re.sub(r'<[^>]+>', ' ', r.text)[:200]}"


def run(database_url: str, redis_url: str, ports=(8201, 8202)) -> dict:
    import psycopg

    base_url, _, _ = database_url.rpartition("/")
    name = f"yikao_cluster_{os.getpid()}"
    url = f"{base_url}/{name}"
    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    env = _env(url, redis_url, YIKAO_VAR_DIR=str(ROOT / "var" / "cluster"))
    (ROOT / "var" / "cluster").mkdir(parents=True, exist_ok=True)
    servers = []
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT,
                       env=env, check=True)  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip
        world = _python("import json, bench.cluster as c; print(json.dumps(c.seed()))", env)
        for port in ports:
            # Each server's log (tracebacks of any 500) stays in var/cluster/ for diagnosis.
            log = open(ROOT / "var" / "cluster" / f"server-{port}.log", "w")  # noqa: SIM115
            servers.append(subprocess.Popen(
                [str(VENV_BIN / "gunicorn"), "yikao.wsgi", "-c", str(ROOT / "gunicorn.conf.py")],
                cwd=ROOT, env=env | {"BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
                stdout=log, stderr=subprocess.STDOUT,
            ))  # fmt: skip
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            _wait(base)
        # Sessions move: log in on A, be logged in on B (and back).
        probe = Client()
        moved = probe.login(bases[0], world["people"][0]["username"]) and probe.logged_in_at(
            bases[1]
        )
        clients = []
        for i, person in enumerate(world["people"]):
            client = Client()
            assert client.login(bases[i % 2], person["username"]), person["username"]
            clients.append(client)
        outcomes: list[list[str]] = [[] for _ in clients]
        barrier = threading.Barrier(len(clients) * 2)

        def rush(i: int, base: str):
            person = world["people"][i]
            barrier.wait()
            try:
                answer = clients[i].submit(
                    base, world["exam"], world["area"], world["site"], person["token"]
                )
            except Exception as exc:  # a dropped connection is an answer too, and counted
                answer = f"error {type(exc).__name__}: {exc}"[:200]
            outcomes[i].append(answer)

        threads = [
            threading.Thread(target=rush, args=(i, base))
            for i in range(len(clients))
            for base in bases
        ]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        elapsed = time.perf_counter() - started
        counted = _python("import json, bench.cluster as c; print(json.dumps(c.check()))", env)
        both_ok = sum(1 for o in outcomes if o == ["ok", "ok"])
        registered = sum(1 for o in outcomes if "ok" in o)
        both_full = sum(1 for o in outcomes if o == ["full", "full"])
        gone = sum(1 for o in outcomes if "draft_gone" in o)
        errors = [x for o in outcomes for x in o if x not in ("ok", "full", "draft_gone")]
        return {
            "servers": bases, "sessions_move": moved, "candidates": len(clients),
            "seats": SEATS, "requests": len(threads), "seconds": round(elapsed, 2),
            "candidates_registered": registered,
            "candidates_registered_both_answers_same": both_ok,
            "duplicates_answered_404_draft_gone": gone,
            "candidates_refused_site_full": both_full, "errors": errors[:5],
            "answer_pairs": dict(Counter(" + ".join(sorted(o)) for o in outcomes)), **counted,
        }  # fmt: skip
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait(base: str) -> None:
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def healthy(result: dict) -> bool:
    return (
        result["sessions_move"]
        and result["registrations"] == SEATS
        and result["candidates_with_two"] == 0
        and result["numbers_unique"]
        and result["candidates_registered"] == SEATS
        and result["candidates_refused_site_full"] == CANDIDATES - SEATS
        and not result["errors"]
    )


def main():
    parser = argparse.ArgumentParser(description="Two app servers, one PostgreSQL, one Redis")
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))  # fmt: skip
    parser.add_argument("--redis-url", default=os.environ.get(
        "BENCH_CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/7"))  # fmt: skip
    args = parser.parse_args()
    result = run(args.database_url, args.redis_url)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    sys.exit(0 if healthy(result) else 1)


if __name__ == "__main__":
    main()
