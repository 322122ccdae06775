"""Directory search benchmark: server-side latency, naive-scan ratio, HTTP under load, RSS.

Run against a separate database holding the full directory (never the dev database):

    DATABASE_URL=sqlite:////work/main/var/bench.sqlite3 .venv/bin/python bench/directory_search.py --load
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yikao_bench .venv/bin/python bench/directory_search.py --load

--load runs migrate + load_directory first (idempotent: seconds when already loaded).
Queries are drawn (seeded) from random institutions the way people type them: 1–8
pinyin initials from a place boundary, 2–6 Chinese characters from anywhere in the
name, 3–12 letters of full pinyin, 4–16 digits of the code; half of them with a province,
city or county filter. Results go to stdout; bench/DIRECTORY.md keeps the figures.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yikao.settings")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def summary(label, seconds):
    ms = [s * 1000 for s in seconds]
    return (
        f"{label}: n={len(ms)} p50={pct(ms, 50):.3f} ms p90={pct(ms, 90):.3f} ms"
        f" p99={pct(ms, 99):.3f} ms max={max(ms):.2f} ms mean={statistics.fmean(ms):.3f} ms"
    )


def make_queries(n, seed=2026):
    from django.db import connection

    from yikao.directory.pinyin import key_text

    rng = random.Random(seed)
    with connection.cursor() as cur:
        cur.execute("SELECT MIN(id), MAX(id) FROM directory_institution")
        low, high = cur.fetchone()
        ids = sorted(rng.sample(range(low, high + 1), min(n * 2, high - low + 1)))
        rows = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cur.execute(
                "SELECT name, code, area, prefix_keys, inner_keys FROM directory_institution"  # noqa: S608 - table names and placeholders are constants
                f" WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            rows += cur.fetchall()
    rng.shuffle(rows)
    queries = []
    for name, code, area, prefix_keys, inner_keys in rows[:n]:
        latin = (prefix_keys + inner_keys).split()
        initials = [k for i, k in enumerate(latin) if i % 2 == 0] or [key_text(name)]
        fulls = [k for i, k in enumerate(latin) if i % 2 == 1] or [key_text(name)]
        kind = rng.choices(["initials", "chinese", "pinyin", "code"], weights=[4, 4, 1, 1])[0]
        text = key_text(name)
        if kind == "initials":
            q = rng.choice(initials)[: rng.randint(1, 8)]
        elif kind == "chinese":
            size = min(len(text), rng.randint(2, 6))
            start = rng.randint(0, len(text) - size)
            q = text[start : start + size]
        elif kind == "pinyin":
            q = rng.choice(fulls)[: rng.randint(3, 12)]
        else:
            q = code[: rng.randint(4, 16)]
        region = ""
        if rng.random() < 0.5:
            county = f"{area:06d}"
            region = rng.choice([county[:2], county[:4], county])
        queries.append((kind, q, region))
    return queries


def server_side(queries):
    from yikao.directory.selectors import search_institutions

    for _kind, q, region in queries[:200]:  # warm the page cache and statement cache
        search_institutions(q, region=region or None)
    timings, cpu, by_kind = [], [], {}
    for kind, q, region in queries:
        start, start_cpu = time.perf_counter(), time.process_time()
        search_institutions(q, region=region or None)
        elapsed = time.perf_counter() - start
        cpu.append(time.process_time() - start_cpu)
        timings.append(elapsed)
        by_kind.setdefault(kind if not region else f"{kind}+region", []).append(elapsed)
    return timings, cpu, by_kind


def naive(queries, n):
    from yikao.directory.selectors import search_institutions_naive

    timings = []
    for _kind, q, _region in queries[:n]:
        start = time.perf_counter()
        search_institutions_naive(q)
        timings.append(time.perf_counter() - start)
    return timings


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def children(pid):
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def http_load(queries, *, port, clients, requests, think_ms):
    # Production settings (persistent database connections, no debug), throwaway secrets.
    env = dict(
        os.environ,
        BIND=f"127.0.0.1:{port}",
        YIKAO_ENV="production",
        HTTPS="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECRET_KEY="bench-" + "x" * 50,
        FIELD_ENCRYPTION_KEYS="bench:" + "A" * 43 + "=",
        FIELD_HASH_KEY="bench-hash-key",
        # bench.settings raises the per-address search limit: all 50 clients are 127.0.0.1.
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "yikao.wsgi", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                conn = HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/api/v1/directory/regions")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        latencies, errors = [], []
        lock = threading.Lock()
        per_client = requests // clients

        def client(index):
            rng = random.Random(index)
            conn = HTTPConnection("127.0.0.1", port, timeout=10)
            mine = []
            for i in range(per_client):
                _kind, q, region = queries[(index * per_client + i) % len(queries)]
                params = {"q": q, **({"region": region} if region else {})}
                path = "/api/v1/directory/institutions?" + urllib.parse.urlencode(params)
                if think_ms:
                    time.sleep(rng.expovariate(1 / think_ms) / 1000)
                start = time.perf_counter()
                try:
                    conn.request("GET", path)
                    response = conn.getresponse()
                    response.read()
                    if response.status != 200:
                        errors.append(response.status)
                except OSError as exc:
                    errors.append(str(exc))
                    conn = HTTPConnection("127.0.0.1", port, timeout=10)
                mine.append(time.perf_counter() - start)
            with lock:
                latencies.extend(mine)

        # Warm every worker, then measure.
        warm = [threading.Thread(target=client, args=(i + 1000,)) for i in range(4)]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        latencies.clear()
        errors.clear()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        workers = children(server.pid)
        rss = {pid: rss_mb(pid) for pid in [server.pid, *workers]}
        return latencies, errors, wall, rss
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--load", action="store_true", help="migrate + load_directory first")
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--naive", type=int, default=30, help="queries for the LIKE scan")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--think-ms", type=float, default=200.0, help="mean pause per client")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--skip-http", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yikao.directory.models import Institution

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.load:
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        call_command("load_directory", verbosity=1)
        print(f"load_directory: {time.perf_counter() - start:.1f} s")
    total = Institution.objects.count()
    print(f"institutions: {total:,}")
    queries = make_queries(args.queries)
    print(f"load average before: {os.getloadavg()}")
    timings, cpu, by_kind = server_side(queries)
    print(summary("server-side search (wall)", timings))
    # CPU time of this process: the whole search on SQLite (in-process), only the
    # Python side on PostgreSQL. Unaffected by other processes competing for the cores.
    print(summary("server-side search (process CPU)", cpu))
    print(f"load average after: {os.getloadavg()}")
    for kind in sorted(by_kind):
        print("  " + summary(kind, by_kind[kind]))
    naive_timings = naive(queries, args.naive)
    indexed = timings[: args.naive]
    print(summary(f"naive LIKE '%q%' scan ({args.naive} queries)", naive_timings))
    print(
        f"ratio naive/indexed: mean {statistics.fmean(naive_timings) / statistics.fmean(timings):.0f}x,"
        f" same {args.naive} queries {sum(naive_timings) / sum(indexed):.0f}x"
    )
    connection.close()
    if args.skip_http:
        return
    for think in (args.think_ms, 0.0):
        latencies, errors, wall, rss = http_load(
            queries,
            port=args.port,
            clients=args.clients,
            requests=args.requests,
            think_ms=think,
        )
        label = f"HTTP {args.clients} clients, think {think:.0f} ms"
        print(summary(label, latencies) + f" throughput={len(latencies) / wall:.0f} req/s")
        print(f"  errors: {len(errors)} {errors[:5]}")
        print("  RSS MB: " + ", ".join(f"{pid}={mb:.0f}" for pid, mb in rss.items()))


if __name__ == "__main__":
    main()
