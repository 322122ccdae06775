"""The opening-hour rush, for Locust (headless; bench/run.py starts it).

User classes, picked by name on the command line:
- CeilingUser: the ceiling reference, GET /bench/ceiling/ (one INSERT), no think time.
- SubmitUser: registration_submit alone, no think time: each request submits the ready
  draft of a fresh pool candidate (`ps…`) whose session bench/run.py put in Redis.
- LoginUser: the login page and the login POST (Argon2id verify), no think time.
- RushUser: the mixed rush with think times: new candidates sign up and fill 个人信息
  (school and work-unit search as they type); pool candidates (`pw…`) log in and go
  through the wizard to submit, then print; registered candidates (`k…`) log in, look at
  their list and print the form.

Request names are endpoint names (`registration_submit`, `login`, …), so the report has
one line per endpoint. The pool comes from var/bench/pool.json (bench/generate.py).
"""

import itertools
import json
import os
import random
import re
import time
from html.parser import HTMLParser
from pathlib import Path

from locust import FastHttpUser, constant, task

POOL = json.loads(Path(os.environ.get("BENCH_POOL", "var/bench/pool.json")).read_text())
SESSIONS = json.loads(Path(os.environ.get("BENCH_SESSIONS", "var/bench/sessions.json")).read_text())
EXAM = POOL["exam"]
PASSWORD = "Bench2026pass"  # noqa: S105 - synthetic accounts of bench/generate.py
THINK = tuple(float(x) for x in os.environ.get("BENCH_THINK", "1,4").split(","))

_submit_pool = iter(SESSIONS)
_wizard_pool = iter(POOL["pool"]["pw"])
_registered = POOL["registered_usernames"]
_signups = itertools.count(int(time.time()) % 100_000 * 1000)
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"


class FormParser(HTMLParser):
    """The fields a browser would send with the page's POST form (the biggest one)."""

    def __init__(self):
        super().__init__()
        self.forms, self._fields, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._fields = []
            self.forms.append(self._fields)
        elif self._fields is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self._fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = [a.get("name"), None, None]
        elif tag == "option" and self._select is not None:
            if self._select[2] is None:
                self._select[2] = a.get("value", "")
            if "selected" in a:
                self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._fields.append((self._textarea, ""))

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._fields is not None:
            name, chosen, first = self._select
            self._fields.append((name, chosen if chosen is not None else (first or "")))
            self._select = None
        elif tag == "form":
            self._fields = None

    @classmethod
    def fields(cls, html: str) -> dict:
        parser = cls()
        parser.feed(html)
        form = max(parser.forms, key=len) if parser.forms else []
        return dict(form)


def resident_id(n: int) -> str:
    base = f"110101{2003 + n % 3}{1 + n // 3 % 12:02d}{1 + n // 36 % 28:02d}{n // 1008 % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True))
    return base + _CHECK[total % 11]


class Candidate(FastHttpUser):
    abstract = True
    host = os.environ.get("BENCH_HOST", "http://127.0.0.1:8100")
    insecure = True

    def think(self):
        time.sleep(0) if THINK[1] == 0 else self._sleep()

    def _sleep(self):
        import gevent

        gevent.sleep(random.uniform(*THINK))

    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def get(self, url, name, **kw):
        with self.client.get(url, name=name, catch_response=True, **kw) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            return r

    def post(self, url, data, name, expect: str | None):
        """A form POST; success is a redirect (to `expect` when given)."""
        data = {**data, "csrfmiddlewaretoken": self.csrf()}
        with self.client.post(
            url, data=data, name=name, catch_response=True, allow_redirects=False
        ) as r:
            location = (r.headers or {}).get("Location", "")  # no headers: connection lost
            if r.status_code != 302 or (expect and expect not in location):
                r.failure(f"{r.status_code} {location} {_error(r.text)}")
            return r

    def login(self, username: str) -> bool:
        self.get("/accounts/login/", "login_page")
        self.think()
        r = self.post(
            "/accounts/login/", {"username": username, "password": PASSWORD}, "login", None
        )
        return r.status_code == 302

    def fresh(self):
        self.client.cookiejar.clear()


def _error(html: str) -> str:
    found = re.search(r'class="(?:errorlist|form-error)[^"]*"[^>]*>(.{0,160})', html or "", re.S)
    return re.sub(r"<[^>]+>", " ", found.group(1)).strip()[:120] if found else ""


class CeilingUser(Candidate):
    wait_time = constant(0)

    @task
    def ceiling(self):
        self.get("/bench/ceiling/", "ceiling_insert")


class SubmitUser(Candidate):
    wait_time = constant(0)

    @task
    def submit(self):
        entry = next(_submit_pool, None)
        if entry is None:
            self.environment.runner.quit()
            return
        self.fresh()
        self.client.cookiejar.set_cookie(_cookie("sessionid", entry["session"]))
        self.client.cookiejar.set_cookie(_cookie("csrftoken", entry["csrf"]))
        data = {
            "area": entry["area"],
            "site": entry["site"],
            "token": entry["token"],
            "go": "submit",
        }
        self.post(
            f"/registrations/wizard/{EXAM}/5/", data, "registration_submit", "/registrations/"
        )


class LoginUser(Candidate):
    wait_time = constant(0)

    @task
    def login_only(self):
        self.fresh()
        self.login(random.choice(_registered))


class RushUser(Candidate):
    """One journey per task; think times between pages."""

    wait_time = constant(0)

    @task(2)
    def new_candidate(self):
        self.fresh()
        self.get("/", "home")
        self.think()
        page = self.get("/accounts/register/", "signup_page")
        n = next(_signups)
        form = FormParser.fields(page.text)
        form.update(
            full_name="王小明", id_type="resident_id", id_number=resident_id(n), gender="M",
            birth_date="", username=f"n{n:09d}", password1=PASSWORD, password2=PASSWORD,
            security_question="您的出生地是？", security_answer="zhengzhou",
            email="", mobile=f"139{n % 10**8:08d}", accept_terms="on",
        )  # fmt: skip
        number = form["id_number"]
        form["birth_date"] = f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
        self.think()
        if self.post("/accounts/register/", form, "signup", "/profile/").status_code != 302:
            return
        page = self.get("/profile/", "profile_get")
        for q in ("z", "zz", "zzd", "郑州大学"):  # school picker, as they type
            self.get(f"/api/v1/directory/schools?q={q}", "api_directory_schools")
            time.sleep(0)
        for q in ("zzs", "郑州市第", "郑州市第一人民"):  # work-unit picker
            self.get(
                f"/api/v1/directory/institutions?q={q}&region=41", "api_directory_institutions"
            )
        form = FormParser.fields(page.text)
        form.update({
            "contact-postal_address": "河南省郑州市金水区经三路12号", "contact-postcode": "450000",
            "work-work_unit_name": "郑州市第一人民医院", "work-work_unit_kind": "县级医院",
            "work-duty_status": "试用期",
            "work-post_category": "临床", "work-work_start": "2024-08", "work-department": "内科",
            "edu-TOTAL_FORMS": "1", "edu-0-id": "", "edu-0-level": "本科", "edu-0-length_years": "5",
            "edu-0-study_form": "全日制", "edu-0-entry_date": "2019-09",
            "edu-0-graduation_date": "2024-06", "edu-0-school_name": "郑州大学",
            "edu-0-school_code": "", "edu-0-major_name": "临床医学", "edu-0-major_code": "",
            "edu-0-degree_type": "", "edu-0-diploma_number": "",
        })  # fmt: skip
        self.think()
        self.post("/profile/", form, "profile_post", "/profile/")

    @task(5)
    def register(self):
        entry = next(_wizard_pool, None)
        if entry is None:
            return self.status_check()
        self.fresh()
        if not self.login(entry["username"]):
            return None
        base = f"/registrations/wizard/{EXAM}"
        self.get("/registrations/", "registration_list")
        self.think()
        self.get("/registrations/exams/", "registration_choose")
        self.think()
        category = POOL["category"]
        self.get(f"/registrations/exams/{category}/notice/", "registration_notice")
        self.think()
        started = self.post(
            f"/registrations/exams/{category}/notice/", {}, "registration_start", "/1/"
        )
        if started.status_code != 302:
            return None  # one failure, counted once: the wizard pages would only 404
        for number in (1, 2, 3):
            page = self.get(f"{base}/{number}/", f"wizard_step{number}_get")
            form = FormParser.fields(page.text)
            if number == 3:
                form["educations"] = str(entry["education"])
            self.think()
            saved = self.post(f"{base}/{number}/", form, f"wizard_step{number}_post", f"{base}/")
            if saved.status_code != 302:
                return None
        page = self.get(f"{base}/5/?area=41", "wizard_step5_get")
        form = FormParser.fields(page.text)
        sites = re.findall(r'name="site" value="(\d+)"', page.text)
        form.update(area="41", site=random.choice(sites) if sites else "", go="submit")
        self.think()
        self.post(f"{base}/5/", form, "registration_submit_wizard", "/registrations/")
        self.print_forms()
        return None

    @task(3)
    def status_check(self):
        self.fresh()
        if not self.login(random.choice(_registered)):
            return
        self.get("/", "home_logged_in")
        self.think()
        self.print_forms()

    def print_forms(self):
        page = self.get("/registrations/", "registration_list")
        found = re.search(r"/documents/registration/(\d+)/", page.text or "")
        if found is None:
            found = re.search(r"/registrations/(\d+)/", page.text or "")
            if found:
                page = self.get(f"/registrations/{found.group(1)}/", "registration_detail")
                found = re.search(r"/documents/registration/(\d+)/", page.text or "")
        self.think()
        if found:
            self.get(
                f"/documents/registration/{found.group(1)}/registration_form.pdf", "document_pdf"
            )


def _cookie(name: str, value: str):
    from http.cookiejar import Cookie

    host = Candidate.host.split("//", 1)[1].split(":")[0]
    return Cookie(0, name, value, None, False, host, False, False, "/", True, False, None,
                  False, None, None, {})  # fmt: skip
