"""`make bench`: the opening-hour rush against gunicorn on PostgreSQL + Redis, with the
ceiling reference measured in the same run, printed as figures and ratios.

    .venv/bin/python bench/run.py --candidates 1000000 --seconds 60     # the full run
    .venv/bin/python bench/run.py --smoke                               # CI: 200, ~20 s

Steps: create the database if missing and generate N candidates (bench/generate.py; reused
when the database already holds them), reset the rush pool, collect static files, put the
submit pool's sessions in Redis, start gunicorn (gunicorn.conf.py, settings
bench.settings), then four headless Locust phases (bench/locustfile.py): the ceiling, the
submit alone, logins alone, the mixed rush. Worker memory (RSS) is sampled every second.
The report goes to stdout and var/bench/last.md; bench/README.md keeps the figures.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
PORT = 8100


def pool_path(args, kind: str = "pool") -> Path:
    return VAR / f"{kind}_{args.database_url.rsplit('/', 1)[1]}.json"


def env_for(args) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url, REDIS_URL=args.redis_url, YIKAO_VAR_DIR=str(VAR),
        DJANGO_SETTINGS_MODULE="bench.settings", BIND=f"127.0.0.1:{args.port}",
        BENCH_HOST=f"http://127.0.0.1:{args.port}", BENCH_POOL=str(pool_path(args)),
        BENCH_SESSIONS=str(pool_path(args, "sessions")), PYTHONPATH=str(ROOT),
    )  # fmt: skip
    return env


def ensure_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(args) -> dict:
    """Generate (or reuse) the candidates; reset the pool; sessions for the submit pool."""
    for key, value in env_for(args).items():
        os.environ[key] = value
    sys.path.insert(0, str(ROOT))
    pool_file = pool_path(args)
    info = json.loads(pool_file.read_text()) if pool_file.exists() else None
    if args.regenerate or info is None or info.get("candidates") != args.candidates:
        drop_database(args.database_url)
    ensure_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command

    from yikao.accounts.models import User

    # A reused database gets the schema of this checkout, as a deployment would.
    call_command("migrate", "--noinput", verbosity=0)
    if (
        info is None
        or not User.objects.filter(username=info["pool"]["pw"][-1]["username"]).exists()
    ):
        from bench import generate

        print(f"generating {args.candidates:,} candidates …", flush=True)
        info = generate.generate(args.candidates, provinces=args.provinces)
        VAR.mkdir(parents=True, exist_ok=True)
        pool_file.write_text(json.dumps(info))
    else:
        print(f"reusing {info['candidates']:,} candidates (generated in {info['seconds']:.0f} s)")
        from bench.generate import pool_reset

        pool_reset(info)
    call_command("collectstatic", "--noinput", verbosity=0)
    pool_path(args, "sessions").write_text(json.dumps(sessions_for(info["pool"]["ps"])))
    return info


def sessions_for(entries: list[dict]) -> list[dict]:
    """Logged-in sessions in Redis, as after a login, for the submit-only phase."""
    import time as _time

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cache import SessionStore
    from django.utils.crypto import get_random_string

    from yikao.accounts.models import User

    auth_hash = User.objects.get(username=entries[0]["username"]).get_session_auth_hash()
    out = []
    for entry in entries:
        store = SessionStore()
        store.update({
            SESSION_KEY: str(entry["user"]),
            BACKEND_SESSION_KEY: "yikao.accounts.backends.UsernameOrIdNumberBackend",
            HASH_SESSION_KEY: auth_hash, "last_seen": int(_time.time()),
        })  # fmt: skip
        store.create()
        out.append({**entry, "session": store.session_key, "csrf": get_random_string(32)})
    return out


class Server:
    """gunicorn with the production config; RSS of its workers sampled every second."""

    def __init__(self, args, log: Path):
        self.args, self.log = args, log
        self.max_rss: dict[str, float] = {}
        self.phase = "start"
        self.phase_rss: dict[str, float] = {}  # the largest worker's peak in each phase

    def __enter__(self):
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "yikao.wsgi", "-c", str(ROOT / "gunicorn.conf.py"),
             "--env", "DJANGO_SETTINGS_MODULE=bench.settings"],
            cwd=ROOT, env=env_for(self.args), stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{self.args.port}/bench/ceiling/"
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit(f"gunicorn did not start, see {self.log}")
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()
        return self

    def _sample(self):
        import psutil

        master = psutil.Process(self.proc.pid)
        while not self._stop.wait(1.0):
            try:
                for i, p in enumerate([master, *master.children()]):
                    key = "master" if i == 0 else f"worker{i}"
                    rss = p.memory_info().rss / 2**20
                    self.max_rss[key] = max(self.max_rss.get(key, 0), rss)
                    if key != "master":
                        self.phase_rss[self.phase] = max(self.phase_rss.get(self.phase, 0), rss)
            except psutil.Error:
                pass

    def __exit__(self, *exc):
        self._stop.set()
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def locust(args, user_class: str, users: int, seconds: int, label: str, think: str) -> list[dict]:
    prefix = VAR / f"locust_{label}"
    env = env_for(args) | {"BENCH_THINK": think}
    cmd = [
        str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        "-u", str(users), "-r", str(max(users // 2, 1)), "-t", f"{seconds}s", "--csv", str(prefix),
        "--only-summary", "--stop-timeout", "60", "--exit-code-on-error", "0",
        "--loglevel", "WARNING", user_class,
    ]  # fmt: skip
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = list(csv.DictReader(handle))
    for f in failures[:5]:
        print(f"  failure {f['Name']}: {f['Error'][:150]} ×{f['Occurrences']}")
    return rows


def figures(rows: list[dict]) -> dict[str, dict]:
    out = {}
    for r in rows:
        out[r["Name"]] = {
            "n": int(r["Request Count"]), "fail": int(r["Failure Count"]),
            "rps": float(r["Requests/s"]), "p50": float(r["50%"] or 0), "p99": float(r["99%"] or 0),
        }  # fmt: skip
    return out


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                              capture_output=True, check=True).stdout.strip()  # fmt: skip
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, text=True,
                               capture_output=True, check=True).stdout.strip()  # fmt: skip
        return head + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description="The opening-hour rush benchmark")
    parser.add_argument("--candidates", type=int, default=200_000)
    parser.add_argument("--seconds", type=int, default=60, help="per phase")
    parser.add_argument("--rush-users", type=int, default=300)
    parser.add_argument("--think", default="1,4", help="think time range of the rush, s")
    parser.add_argument("--smoke", action="store_true", help="200 candidates, ~5 s phases")
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--prepare-only", action="store_true", help="generate or reset the data, then stop"
    )
    parser.add_argument("--provinces", default="41")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/yikao_rush")
    )  # fmt: skip
    parser.add_argument(
        "--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    )
    args = parser.parse_args()
    if args.smoke:
        args.candidates, args.seconds, args.rush_users = 200, 5, 20
        args.database_url = args.database_url.rstrip("/").rsplit("/", 1)[0] + "/yikao_rush_smoke"
        args.think = "0.1,0.5"
    VAR.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load_before = os.getloadavg()
    info = prepare(args)
    if args.prepare_only:
        return
    results: dict[str, dict] = {}
    with Server(args, VAR / "gunicorn.log") as server:
        s = args.seconds
        phases = [
            ("ceiling", "CeilingUser", 16, s, "0,0"),
            ("submit", "SubmitUser", 16, min(s, max(5, len(info["pool"]["ps"]) // 200)), "0,0"),
            ("login", "LoginUser", 8, max(s // 2, 5), "0,0"),
            ("rush", "RushUser", args.rush_users, s, args.think),
        ]
        for label, klass, users, seconds, think in phases:
            print(f"phase {label}: {klass} × {users}, {seconds} s", flush=True)
            server.phase = label
            results[label] = figures(locust(args, klass, users, seconds, label, think))
        rss, phase_rss = dict(server.max_rss), dict(server.phase_rss)
    report = render(args, info, results, rss, load_before, time.time() - started)
    report += (
        "Largest worker's RSS peak by phase (MB): "
        + ", ".join(f"{phase} {mb:.0f}" for phase, mb in phase_rss.items())
        + "\n"
    )
    (VAR / "last.md").write_text(report)
    print(report)
    if args.smoke:
        sys.exit(smoke_failures(results))


def smoke_failures(results: dict[str, dict]) -> int:
    """The smoke run (CI) fails when a phase served nothing or a request failed: it proves
    the benchmark's code path, not the figures of a shared machine."""
    broken = [
        f"{phase}: {name} {f['fail']}/{f['n']} failed"
        for phase, rows in results.items()
        for name, f in rows.items()
        if f["fail"] or not f["n"]
    ]
    broken += [f"{phase}: no requests" for phase, rows in results.items() if not rows]
    for line in broken:
        print("SMOKE FAILURE", line)
    return 1 if broken else 0


def render(args, info, results, rss, load_before, elapsed) -> str:
    ceiling = results["ceiling"].get("ceiling_insert", {"rps": 0, "p50": 0, "p99": 0, "fail": 0})
    c_rps = ceiling["rps"] or 1
    submit = results["submit"].get("registration_submit", {"rps": 0, "p50": 0, "p99": 0, "fail": 0})
    login = results["login"].get("login", {"rps": 0, "p50": 0, "p99": 0, "fail": 0})
    rush = results["rush"]
    total = rush.get("Aggregated", {"rps": 0, "fail": 0, "n": 0})
    workers = {k: v for k, v in rss.items() if k != "master"}
    lines = [
        f"## Rush run {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"- machine: {platform.node()} · {os.cpu_count()} cores · {platform.python_version()}"
        f" · load average before {load_before[0]:.2f}; commit {git_commit()}",
        f"- data: {info['candidates']:,} candidates ({info['registered']:,} registered),"
        f" generated in {info['seconds']:.0f} s; phases of {args.seconds} s; rush"
        f" {args.rush_users} users, think {args.think} s; total {elapsed:.0f} s",
        "",
        "| phase / endpoint | requests | rps | ratio to ceiling | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|",
    ]

    def row(name, f):
        return (f"| {name} | {f.get('n', 0)} | {f['rps']:.1f} | {f['rps'] / c_rps:.0%} |"
                f" {f['p50']:.0f} | {f['p99']:.0f} | {f['fail']} |")  # fmt: skip

    lines.append(row("ceiling: one-row insert", ceiling))
    lines.append(row("submit alone: registration_submit", submit))
    lines.append(row("logins alone: login POST", login))
    for name, f in sorted(rush.items()):
        if name != "Aggregated":
            lines.append(row(f"rush: {name}", f))
    lines.append(row("rush: all requests", total))
    worst = max((f["p99"] for n, f in rush.items() if n != "Aggregated"), default=0)
    errors = sum(f["fail"] for n, f in rush.items() if n != "Aggregated")
    max_worker = max(workers.values(), default=0)
    lines += [
        "",
        "| target | figure | met |",
        "|---|---|---|",
        f"| submit ≥ 40 % of ceiling | {submit['rps'] / c_rps:.0%} | {_ok(submit['rps'] >= 0.4 * c_rps)} |",
        f"| rush ≥ 50 % of ceiling | {total['rps'] / c_rps:.0%} | {_ok(total['rps'] >= 0.5 * c_rps)} |",
        f"| rush p99 < 150 ms on every page | worst {worst:.0f} ms | {_ok(worst < 150)} |",
        f"| rush 0 errors | {errors} | {_ok(errors == 0)} |",
        f"| RSS per server process < 250 MB | max worker {max_worker:.0f} MB | {_ok(max_worker < 250)} |",
        f"| logins per second (login POST alone) | {login['rps']:.1f} | — |",
        "",
        "RSS peaks (MB): " + ", ".join(f"{k} {v:.0f}" for k, v in sorted(rss.items())),
    ]  # fmt: skip
    return "\n".join(lines) + "\n"


def _ok(flag: bool) -> str:
    return "yes" if flag else "**no**"


if __name__ == "__main__":
    main()
