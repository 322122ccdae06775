"""Faults under load, against a real gunicorn on the test database (SQLite file or PostgreSQL):

- kill -9 of the app server in the middle of a burst of submissions: after a restart every
  acknowledged registration is there and complete, no half-written rows, seats counted right;
- a PostgreSQL restart under load: during it every submission is either acknowledged or
  answered with the app's 503 page, none hangs or has its connection dropped;
  then the same server, never restarted, reads from the database again (a logged-in page)
  and takes new submissions, and nothing acknowledged is lost.
"""

import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)
from fault_server import Server

from yikao.core.models import AuditEntry
from yikao.exams.models import SiteCapacity
from yikao.registrations.models import ACTIVE, Registration

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def prepare(n: int, capacity: int):
    """n candidates, each with a session cookie and a draft ready to submit at one site."""
    exam = make_exam()
    site = make_site(exam, capacity=capacity)
    people = []
    for _ in range(n):
        candidate = make_candidate()
        make_bachelor_profile(candidate)
        make_photo(candidate)
        draft = make_draft(candidate, exam, site)
        client = Client()
        client.force_login(candidate.user)
        token = _get_new_csrf_string()
        people.append({
            "candidate": candidate.pk,
            "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
            "form": {"csrfmiddlewaretoken": token, "area": site.area.code, "site": site.pk,
                     "token": draft.token},
            "url": f"/registrations/wizard/{exam.pk}/5/",
        })  # fmt: skip
    return exam, site, people


# A clean answer while the database is away: the app's 503 page ("try again"), never a
# hang (the client's 30 s timeout), a dropped connection, gunicorn's bare 500 (the error
# page itself needed the database) or a 400 (the session store's "session interrupted").
CLEAN_ERRORS = {"http:503"}


def submit(server, person) -> str:
    """'ack' when the server answered that the registration was taken, else what it said."""
    try:
        status, location, _ = server.request(
            "POST", person["url"], form=person["form"], cookies=person["cookies"]
        )
    except OSError as exc:
        return f"error:{type(exc).__name__}"
    if status == 302 and location.endswith("/registrations/"):
        return "ack"
    return f"http:{status}"


def burst(server, people, *, on_progress=None, workers=8):
    """Submit for everyone from `workers` threads; {candidate pk: outcome}."""
    results: dict[int, str] = {}
    queue = list(people)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not queue:
                    return
                person = queue.pop()
            outcome = submit(server, person)
            with lock:
                results[person["candidate"]] = outcome
                if on_progress:
                    on_progress(results)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


def assert_consistent(site, acknowledged: set[int], capacity: int):
    connection.close()  # the server wrote these rows; read them afresh
    registrations = list(Registration.objects.filter(site=site).filter(ACTIVE))
    by_candidate = {r.candidate_id: r for r in registrations}
    missing = acknowledged - set(by_candidate)
    assert not missing, f"acknowledged but lost: {sorted(missing)}"
    assert len(registrations) <= capacity
    assert len(by_candidate) == len(registrations), "a candidate holds two registrations"
    assert len({r.number for r in registrations}) == len(registrations)
    for registration in registrations:  # complete: snapshot, entries, audit row
        assert registration.snapshot.get("educations"), registration.pk
        assert registration.educations.count() == 1, registration.pk
        assert AuditEntry.objects.filter(
            action="registration.submitted", target_id=str(registration.pk)
        ).exists(), registration.pk
    seats = SiteCapacity.objects.get(site=site)
    assert seats.capacity == capacity


def test_kill_9_in_the_middle_of_a_burst_loses_nothing_acknowledged():
    capacity = 40
    _, site, people = prepare(60, capacity)
    server = Server().start()
    killed = threading.Event()

    def kill_midway(results):
        if not killed.is_set() and sum(v == "ack" for v in results.values()) >= 12:
            killed.set()
            server.kill9()

    try:
        first = burst(server, people, on_progress=kill_midway)
        assert killed.is_set(), "the server was never killed"
        failed = [p for p in people if first[p["candidate"]] != "ack"]
        assert failed, "every request finished before the kill"
        server = Server().start()
        second = burst(server, failed)
    finally:
        server.stop()
    acknowledged = {pk for pk, v in {**first, **second}.items() if v == "ack"}
    assert_consistent(site, acknowledged, capacity)
    # After the restart everyone who asked again got an answer, and the seats are all taken
    # by exactly `capacity` registrations, no more.
    assert Registration.objects.filter(site=site).filter(ACTIVE).count() == capacity


def _pg_cluster() -> tuple[str, str]:
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    return version, "main"


def registrations_page(server, person) -> tuple[int, str]:
    """The candidate's registration list: the session, the user and the registrations are
    all read from the database (the anonymous /terms/ needs no query)."""
    status, _, content = server.request("GET", "/registrations/", cookies=person["cookies"])
    return status, content.decode(errors="replace")


@pytest.mark.skipif(
    "not __import__('django.db').db.connection.vendor == 'postgresql'",
    reason="PostgreSQL only (run the fault target with DATABASE_URL=postgres://…)",
)
def test_postgresql_restart_under_load_recovers_without_restarting_the_app():
    capacity = 200
    _, site, people = prepare(80, capacity)
    server = Server().start()
    app_pid = server.process.pid
    version, cluster = _pg_cluster()
    results: dict[int, str] = {}
    try:
        first, rest = people[:30], people[30:]
        results.update(burst(server, first))
        assert set(results.values()) == {"ack"}, Counter(results.values())
        probe = first[0]
        number = Registration.objects.get(candidate_id=probe["candidate"], site=site).number
        status, page = registrations_page(server, probe)
        assert status == 200 and number in page, status

        def restart():
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
                check=True, capture_output=True, timeout=120,
            )  # fmt: skip

        restarter = threading.Thread(target=restart)
        restarter.start()
        started = time.monotonic()
        during = burst(server, rest[:25], workers=4)
        during_seconds = time.monotonic() - started
        restarter.join(timeout=180)
        assert not restarter.is_alive(), "pg_ctlcluster restart did not finish"
        connection.close()  # this process's connection died with the old server too
        results.update(during)
        print("during the restart:", dict(Counter(during.values())), f"{during_seconds:.1f} s")
        # Every request of the burst was answered (a hang would be missing, or
        # error:TimeoutError), each with an acknowledgement or the app's error page.
        assert len(during) == 25, f"{25 - len(during)} requests never came back"
        assert set(during.values()) <= {"ack"} | CLEAN_ERRORS, Counter(during.values())
        # The same gunicorn, never restarted, reads from the database again within seconds.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, page = registrations_page(server, probe)
            except OSError:
                status, page = None, ""
            if status == 200:
                break
            time.sleep(0.5)
        else:
            pytest.fail("the app did not read from the database again after the restart")
        assert number in page, "the recovered page does not list the candidate's registration"
        assert server.process.poll() is None and server.process.pid == app_pid
        retry = [p for p in rest[:25] if during[p["candidate"]] != "ack"]
        fresh = rest[25:]
        after = burst(server, retry + fresh)
        results.update(after)
        print("after:", dict(Counter(after.values())))
        # A retry whose first try was committed but never answered finds its draft gone
        # and is shown the wizard again (200): registered, just not acknowledged twice.
        assert set(after.values()) <= {"ack", "http:200", "http:302"}, Counter(after.values())
        # Candidates who had not tried before submit as on any day: all acknowledged.
        assert {after[p["candidate"]] for p in fresh} == {"ack"}, Counter(after.values())
        assert server.process.poll() is None and server.process.pid == app_pid
    finally:
        server.stop()
    acknowledged = {pk for pk, v in results.items() if v == "ack"}
    assert_consistent(site, acknowledged, capacity)
    # Every candidate is registered exactly once: nothing lost, nothing doubled.
    assert Registration.objects.filter(site=site).filter(ACTIVE).count() == 80
