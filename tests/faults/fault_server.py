"""A real gunicorn for the fault tests: started on a free loopback port against the test
database, killed with SIGKILL (master and workers at once), started again."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Server:
    def __init__(self, *, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None

    def start(self) -> "Server":
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "FIELD_ENCRYPTION_KEYS": settings.FIELD_ENCRYPTION_KEYS,
            "FIELD_HASH_KEY": settings.FIELD_HASH_KEY,
            "LOG_LEVEL": "WARNING",
        }
        env.pop("REDIS_URL", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "yikao.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--threads", str(self.threads),
             "--worker-class", "gthread", "--timeout", "60", "--access-logfile", "/dev/null"],
            cwd=ROOT, env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/terms/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not come up")

    def kill9(self) -> None:
        """SIGKILL the master and every worker at once, like a machine losing power."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def request(self, method, path, *, form=None, cookies=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Host": "127.0.0.1"}
        body = None
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, response.getheader("Location", ""), response.read()
        finally:
            conn.close()
