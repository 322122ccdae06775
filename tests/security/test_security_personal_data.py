"""ID and mobile numbers: encrypted in every table that holds them, and never in a log line,
a response header or a URL during a whole candidate flow and a whole staff flow."""

import json
import logging
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from factories import (
    DEFAULT_PASSWORD,
    make_bachelor_profile,
    make_exam,
    make_photo,
    make_site,
    resident_id,
)
from security_world import B_NAME, build_world, verified_login

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import Candidate
from yikao.core.logging import RedactPersonalDataFilter
from yikao.core.models import AuditEntry
from yikao.profiles.models import Education
from yikao.registrations.models import Draft, Registration

ID_NUMBER = resident_id(birth="19960229", seq=37)
MOBILE = "13912348765"


def _forms(value: str) -> list[str]:
    """The value as it might be written: plain, lower case, URL- and JSON-escaped."""
    return [value, value.lower(), value[:6] + " " + value[6:]]


class Capture(logging.Handler):
    """Every record of every logger at DEBUG, as raw messages (before any redaction) and
    as the configured console handler would write them (after its filters)."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.raw: list[str] = []
        self.written: list[str] = []
        self.redactor = RedactPersonalDataFilter()

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.raw.append(f"{record.name}: {text}")
        copy = logging.makeLogRecord(record.__dict__)
        self.redactor.filter(copy)
        self.written.append(f"{record.name}: {copy.getMessage()}")


@contextmanager
def debug_logs():
    handler = Capture()
    root = logging.getLogger()
    loggers = [root] + [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)]
    levels = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    root.addHandler(handler)
    previous = connection.force_debug_cursor
    connection.force_debug_cursor = True  # every SQL statement and its parameters is logged
    try:
        yield handler
    finally:
        connection.force_debug_cursor = previous
        root.removeHandler(handler)
        for lg, level in levels:
            lg.setLevel(level)


class Recorder:
    """Wraps a test client: keeps every URL asked for, and every response's headers."""

    def __init__(self, client: Client):
        self.client = client
        self.urls: list[str] = []
        self.headers: list[str] = []

    def _keep(self, url, response):
        self.urls.append(url)
        self.headers.extend(f"{k}: {v}" for k, v in response.items())
        for cookie in response.cookies.values():
            self.headers.append(cookie.OutputString())
        return response

    def get(self, url, data=None, **kw):
        full = url + ("?" + "&".join(f"{k}={v}" for k, v in data.items()) if data else "")
        return self._keep(full, self.client.get(url, data, **kw))

    def post(self, url, data=None, **kw):
        return self._keep(url, self.client.post(url, data or {}, **kw))

    def generic(self, method, url, body, **kw):
        return self._keep(url, self.client.generic(method, url, body, **kw))


def assert_clean(where: str, lines: list[str], values: list[str]):
    for value in values:
        for form in _forms(value):
            hits = [line for line in lines if form in line]
            assert not hits, f"{value!r} found in {where}: {hits[:3]}"


def candidate_flow(web: Recorder):
    """Sign up, log out, fail and succeed a login by ID number, recover, fill in, register,
    print, book, call the API, log out."""
    signup = {
        "full_name": "李安全", "id_type": "resident_id", "id_number": ID_NUMBER,
        "username": "anquan2026", "password1": DEFAULT_PASSWORD, "password2": DEFAULT_PASSWORD,
        "security_question": "您的出生地是？", "security_answer": "郑州金水", "email": "",
        "mobile": MOBILE, "accept_terms": "on",
    }  # fmt: skip
    assert web.get(reverse("accounts:register")).status_code == 200
    response = web.post(reverse("accounts:register"), signup)
    assert response.status_code == 302, response.context["form"].errors
    candidate = Candidate.objects.get(full_name="李安全")
    web.post(reverse("accounts:logout"))
    bad = {"username": ID_NUMBER, "password": "Wrong2026pass"}
    assert web.post(reverse("accounts:login"), bad).status_code == 200
    web.post(reverse("accounts:recovery_start"), {"id_number": ID_NUMBER})
    web.get(reverse("accounts:recovery_finish"))
    ok = {"username": ID_NUMBER.lower(), "password": DEFAULT_PASSWORD}
    assert web.post(reverse("accounts:login"), ok).status_code == 302
    for name in ("portal:home", "profiles:index", "accounts:security", "registrations:index"):
        assert web.get(reverse(name)).status_code == 200
    web.post(reverse("profiles:index"), {"action": "submit"})
    make_bachelor_profile(candidate)
    make_photo(candidate)
    exam = make_exam()
    site = make_site(exam, code="4109")
    from yikao.exams.models import ExamCategory

    category = ExamCategory.objects.get(exam=exam, level="physician")
    web.post(reverse("registrations:notice", args=[category.pk]))
    step = lambda n: reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": n})  # noqa: E731
    web.get(step(1))
    web.post(step(1), {"military": "none"})
    work = {"work-unit_nature": "医疗机构", "work-duty_status": "试用期",
            "work-post_category": "临床", "work-work_start": "2024-08"}  # fmt: skip
    web.post(step(2), work)
    education = Education.objects.get(candidate=candidate)
    web.post(step(3), {"educations": [education.pk]})
    web.get(step(5), {"area": site.area.code})
    token = Draft.objects.get(candidate=candidate).token
    web.post(step(5), {"area": site.area.code, "site": site.pk, "token": token})
    registration = Registration.objects.get(candidate=candidate)
    web.get(reverse("registrations:detail", args=[registration.pk]))
    web.get(reverse("documents:registration_all", args=[registration.pk]))
    web.get("/api/v1/me")
    web.get("/api/v1/appointments/registrations")
    web.get(reverse("appointments:index"))
    web.post(reverse("accounts:logout"))
    return candidate, registration


@pytest.mark.django_db
def test_candidate_flow_leaks_no_id_or_mobile(client):
    web = Recorder(client)
    with debug_logs() as logs:
        candidate_flow(web)
    assert logs.raw, "the capture saw no log lines at all"
    assert any("SELECT" in line for line in logs.raw), "SQL was not logged"
    assert_clean("written log lines", logs.written, [ID_NUMBER, MOBILE])
    assert_clean("raw log records (before redaction)", logs.raw, [ID_NUMBER, MOBILE])
    assert_clean("response headers", web.headers, [ID_NUMBER, MOBILE])
    assert_clean("URLs", web.urls, [ID_NUMBER, MOBILE])


@pytest.mark.django_db
def test_staff_flow_leaks_no_id_or_mobile(client):
    world = build_world()
    candidate = world.cand_b
    staff = verified_login(client, world.staff_b)
    web = Recorder(staff)
    values = [candidate.id_number, candidate.mobile]
    with debug_logs() as logs:
        web.get(reverse("review:queue"))
        web.post(reverse("review:queue"), {"q": B_NAME})
        web.get(reverse("review:detail", args=[world.reg_b.pk]))
        web.get(reverse("review:photo", args=[world.reg_b.pk]))
        web.get(reverse("review:export"))
        web.get(reverse("review:audit"))
        # The audit log searched by the candidate's full ID number: it posts, and the
        # page it leads to (and its paging) carries only a key.
        searched = web.post(reverse("review:audit"), {"candidate": candidate.id_number})
        assert searched.status_code == 302
        found = web.get(searched["Location"])
        assert found.context["rows"], "the search by ID number found nothing"
        assert {e.subject_id for e in found.context["rows"]} == {candidate.user_id}
        web.get(reverse("review:dashboard"))
        web.get(reverse("appointments:staff_site", args=[world.site_b.pk]))
        date = world.slot_b.starts_at.astimezone().date().isoformat()
        web.get(reverse("appointments:staff_roster", args=[world.site_b.pk, date]))
        web.post(reverse("review:approve", args=[world.reg_b.pk]))
        web.post(reverse("review:logout"))
    assert_clean("written log lines", logs.written, values)
    assert_clean("raw log records (before redaction)", logs.raw, values)
    assert_clean("response headers", web.headers, values)
    assert_clean("URLs", web.urls, values)
    assert_clean("audit rows", _audit_texts(), values)


@pytest.mark.django_db
def test_staff_search_by_id_number_keeps_it_out_of_urls_and_audit(client):
    world = build_world()
    web = Recorder(verified_login(client, world.staff_b))
    number = world.cand_b.id_number
    response = web.post(reverse("review:queue"), {"q": number, "status": ""})
    assert response.status_code == 302
    found = web.get(response["Location"])
    assert [r.pk for r in found.context["page"].rows] == [world.reg_b.pk]
    web.get(reverse("review:export") + response["Location"][response["Location"].index("?") :])
    assert_clean("URLs", web.urls + [h for h in web.headers if h.startswith("Location")], [number])
    assert_clean("audit rows", _audit_texts(), [number])


# --- At rest: raw rows of every table that holds the numbers ------------------------------------


def _audit_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT action, changes, reason FROM core_auditentry")
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


def _raw_text(table: str) -> list[str]:
    """Every row of a table as text, straight from the database (no model decryption)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return [" ".join(str(c) for c in row) for row in cursor.fetchall()]


@pytest.mark.django_db
def test_no_table_holds_an_id_or_mobile_number_in_clear():
    world = build_world()
    values = [world.cand_a.id_number, world.cand_a.mobile, world.cand_b.id_number,
              world.cand_b.mobile]  # fmt: skip
    tables = connection.introspection.table_names()
    assert {"accounts_candidate", "registrations_registration", "core_auditentry"} <= set(tables)
    for table in tables:
        assert_clean(f"table {table}", _raw_text(table), values)
    # The numbers are there, sealed: the snapshot decrypts to them.
    from yikao.core import crypto

    sealed = Registration.objects.get(pk=world.reg_b.pk).snapshot["basic"]["id_number_sealed"]
    assert crypto.decrypt(sealed, purpose="snapshot.id_number") == world.cand_b.id_number


@pytest.mark.django_db
def test_audit_rows_of_a_correction_keep_numbers_sealed():
    world = build_world()
    from yikao.review.services import candidate_correct

    old_number = world.cand_b.id_number
    new_number = resident_id(birth="19960229", seq=41)
    candidate_correct(
        staff=world.staff_b, candidate=world.cand_b, full_name=B_NAME, reason="证件号码录入错误",
        id_type=IdType.RESIDENT_ID, id_number=new_number, gender=Gender.MALE,
        birth_date=world.cand_b.birth_date,
    )  # fmt: skip
    rows = _audit_texts()
    assert any("sealed" in row for row in rows), rows
    assert_clean("audit rows", rows, [old_number, new_number])
    assert_clean("candidate table", _raw_text("accounts_candidate"), [old_number, new_number])
    entry = AuditEntry.objects.filter(changes__has_key="id_number").first()
    assert entry is not None and json.dumps(entry.changes).count("sealed") == 2
    assert (
        entry.changes["id_number"]["new"]["masked"] == new_number[:4] + "*" * 10 + new_number[-4:]
    )
