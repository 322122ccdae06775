"""Where the time of the rush's hot endpoints goes: pyinstrument, in process, on the bench
database (run after bench/run.py or bench/generate.py; the pool is reset by the next run).

    .venv/bin/python bench/profile.py                     # every endpoint, 20 calls each
    .venv/bin/python bench/profile.py submit --calls 50   # one endpoint

For each endpoint: mean ms per call, queries per call, SQL time per call, then
pyinstrument's call tree (frames under 3 % hidden).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yikao_rush")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/5")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("YIKAO_VAR_DIR", str(ROOT / "var" / "bench"))
PASSWORD = "Bench2026pass"  # noqa: S105 - synthetic accounts of bench/generate.py


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoints", nargs="*")
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--pool", default=None)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from yikao.accounts.models import User

    dbname = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    pool = json.loads(Path(args.pool or ROOT / f"var/bench/pool_{dbname}.json").read_text())
    exam = pool["exam"]
    submitters = iter(pool["pool"]["ps"][-args.calls * 2 :])
    registered = pool["registered_usernames"]

    # One handler for every client: a new Client loads the middleware again, and
    # WhiteNoise's start-up scan of the static files would be most of what is measured.
    shared = Client(HTTP_HOST="127.0.0.1")

    def new_client():
        client = Client(HTTP_HOST="127.0.0.1")
        client.handler = shared.handler
        return client

    def logged_in(username):
        client = new_client()
        client.force_login(User.objects.get(username=username))
        return client

    def submit():
        entry = next(submitters)
        client = logged_in(entry["username"])
        data = {
            "area": entry["area"],
            "site": entry["site"],
            "token": entry["token"],
            "go": "submit",
        }
        return lambda: client.post(f"/registrations/wizard/{exam}/5/", data)

    def step5():
        entry = next(submitters)
        client = logged_in(entry["username"])
        return lambda: client.get(f"/registrations/wizard/{exam}/5/?area=41")

    def login():
        client = new_client()
        name = registered[int(time.time() * 1000) % len(registered)]
        return lambda: client.post("/accounts/login/", {"username": name, "password": PASSWORD})

    def page(url):
        def make():
            client = logged_in(registered[int(time.time() * 1000) % len(registered)])
            return lambda: client.get(url)

        return make

    def pdf():
        from yikao.registrations.models import Registration

        name = registered[int(time.time() * 1000) % len(registered)]
        client = logged_in(name)
        pk = Registration.objects.filter(candidate__user__username=name).values_list(
            "pk", flat=True
        )[0]
        return lambda: client.get(f"/documents/registration/{pk}/registration_form.pdf")

    cases = {
        "submit": submit, "step5_get": step5, "login": login, "registration_list": page("/registrations/"),
        "profile_get": page("/profile/"), "home": page("/"), "document_pdf": pdf,
        "schools_api": lambda: (lambda: new_client().get("/api/v1/directory/schools?q=zzd")),
    }  # fmt: skip
    for name in args.endpoints or cases:
        calls = [cases[name]() for _ in range(args.calls)]
        calls[0]()  # warm-up (first template load, fonts)
        profiler = Profiler(interval=0.0005)
        spent, queries, sql_ms, statuses = 0.0, 0, 0.0, set()
        for call in calls[1:]:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                profiler.start()
                response = call()
                profiler.stop()
                spent += time.perf_counter() - start
            statuses.add(response.status_code)
            queries += len(captured.captured_queries)
            sql_ms += sum(float(q["time"]) for q in captured.captured_queries) * 1000
        n = len(calls) - 1
        print(f"\n=== {name}: {spent / n * 1000:.1f} ms/call, {queries / n:.1f} queries/call,"
              f" SQL {sql_ms / n:.1f} ms/call, status {sorted(statuses)}")  # fmt: skip
        print(
            profiler.output_text(
                unicode=True,
                color=False,
                show_all=bool(os.environ.get("PROFILE_ALL")),
                short_mode=True,
            )[: int(os.environ.get("PROFILE_CHARS", "6000"))]
        )


if __name__ == "__main__":
    main()
