"""Hostile parameters on every page route: never a 500.

Every named route of the access matrix (tests/security/test_security_access_matrix.py, its
world with the cross-site candidates of security_world.add_cross_site) is called as the
users who reach it — a candidate with data (registration, photo, draft, booking), and staff
of each role (site, area, national) — with hostile values (HOSTILE) in:

  * GET: every query parameter the view's module reads (request.GET.get("x"),
    request.GET["x"]), the fields of the GET forms that submit to the page, and — when the
    view binds a form to the whole query string (the queue's and the audit log's filters
    come back in links) — the fields of its POST forms too;
  * POST: every field of every form on the matrix's pages that submits to this URL (found
    by loading every page first, as each user), the fields the matrix posts, and every
    request.POST key the view's module reads;
  * an unknown parameter ("junk") on every route;
  * path arguments: each <str:…> argument takes each value, each <int:…> argument the
    all-digit ones (a huge id);
  * the API: every query parameter of every operation of the OpenAPI schema.

The first user of a route (the candidate; site staff; area staff on area-only pages;
anonymous on public pages) sends one parameter at a time, each value in turn; the other
users, and forms of more than MAX_ONE_BY_ONE fields (a Django form cleans every field
whatever the others hold), send every parameter at once, per value.

A redirect after a POST is followed once, so a bad value saved in the session (the queue's
filters wait there under a key) is loaded again. The Django admin is Django's own and is
walked by test_security_access_matrix.py and test_security_admin.py.
"""

import html.parser
import inspect
import re
import urllib.parse
from collections import defaultdict

import pytest
import test_security_access_matrix as matrix
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from security_world import add_cross_site, build_world, candidate_login, make_staff, verified_login

HOSTILE = [
    "²",
    "𐩀𐩀𐩀𐩀",
    "9999-12-31",
    "0000-00-00",
    "0001-01-01",
    "-1",
    "99999999999999999999",
    "a/b",
    "<script>",
    "%00",
    "\x00",
    "x" * 10_240,
    "１２３",
    "",
]
DIGITS_ONLY = [v for v in HOSTILE if v.isascii() and v.isdigit()]
# Routes whose POST ends the session: each of their requests gets a fresh login.
LOGOUTS = {"accounts:logout", "review:logout"}

BINDS_GET = re.compile(r"request\.GET\.items\(\)|\(request\.GET\b")
# A form with more fields than this gets its hostile values all fields at once (a Django
# form cleans every field whatever the others hold); fewer, one field at a time.
MAX_ONE_BY_ONE = 12
SOURCE_KEY = re.compile(
    r"request\.(GET|POST)(?:\.get|\.getlist|\.pop)?\s*[(\[]\s*[\"']([\w-]+)[\"']"
)


FIELD_TAGS = ("input", "select", "textarea", "button")


class Forms(html.parser.HTMLParser):
    """(method, action, {field names}) of each form of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, str, set[str]]] = []
        self._fields: set[str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._fields = set()
            method = (attrs.get("method") or "get").upper()
            self.forms.append((method, attrs.get("action") or "", self._fields))
        elif tag in FIELD_TAGS and self._fields is not None:
            self._fields.add(attrs.get("name") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._fields is not None:
            self._fields.difference_update({"", "csrfmiddlewaretoken"})
            self._fields = None


def _source_keys(view) -> tuple[dict[str, set[str]], bool]:
    """GET and POST keys read by the view's module, and whether it binds a form to the
    whole query string (QueueFilterForm(request.GET …), request.GET.items())."""
    func = inspect.unwrap(view)
    keys: dict[str, set[str]] = {"GET": set(), "POST": set()}
    try:
        source = inspect.getsource(inspect.getmodule(func))
    except (OSError, TypeError):
        return keys, False
    for method, name in SOURCE_KEY.findall(source):
        keys[method].add(name)
    return keys, bool(BINDS_GET.search(source))


def _path_converters(name: str) -> dict[str, str]:
    """{argument: converter} of the route's pattern (str or int)."""
    route = _full_route(name)
    return dict((arg, conv or "str") for conv, arg in re.findall(r"<(?:(\w+):)?(\w+)>", route))


def _full_route(name: str) -> str:
    for route, full_name, _ in matrix.discovered_routes():
        if full_name == name:
            return route
    raise KeyError(name)


def _url(name: str, kwargs: dict) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        quoted = {k: urllib.parse.quote(str(v), safe="") for k, v in kwargs.items()}
        try:
            return reverse(name, kwargs=quoted)
        except NoReverseMatch:
            return None


@pytest.fixture
def w(db, settings):
    settings.YIKAO_SELFCHECK_RATE = (1_000_000, 60)
    settings.RATE_LIMITS = {"directory_search": (1_000_000, 60)}
    world = add_cross_site(build_world())
    world.extra["national"] = make_staff("guojia_sec", "national")
    return world


def _users(w, kind) -> dict[str, object]:
    if kind == matrix.PUBLIC:
        return {"anonymous": None, "candidate with data": w.cand_b}
    if kind in (matrix.CANDIDATE, matrix.OWN):
        return {"candidate with data": w.cand_b}
    national = w.extra["national"]
    if kind == matrix.AREA:
        return {"area staff": w.area_staff, "national staff": national}
    return {"site staff": w.staff_b, "area staff": w.area_staff, "national staff": national}


def _client(w, user) -> Client:
    client = Client(raise_request_exception=False)
    if user is None:
        return client
    if hasattr(user, "user"):  # a candidate
        return candidate_login(client, user)
    return verified_login(client, user)


class Sender:
    """Sends requests, follows one local redirect, and keeps every answer of 500 or more."""

    def __init__(self, w, user, name):
        self.w, self.user, self.name = w, user, name
        self.client = _client(w, user)
        self.failures: list[tuple] = []
        self.sent = 0
        self.params: set[str] = set()

    def send(self, method: str, url: str, data: dict, what: str):
        self.params |= {f"{method} {what.split(': ', 1)[1].split('=')[0]}"}
        if self.name in LOGOUTS:
            self.client = _client(self.w, self.user)
        self.sent += 1
        call = self.client.get if method == "GET" else self.client.post
        response = call(url, data)
        if response.status_code >= 500:
            self.failures.append((method, url[:120], what, response.status_code))
            return
        location = response.get("Location", "") if response.status_code == 302 else ""
        if method == "POST" and location.startswith("/") and "/login/" not in location:
            followed = self.client.get(location)
            if followed.status_code >= 500:
                self.failures.append(("GET after POST", location[:120], what, followed.status_code))


def _page_forms(client, url) -> list[tuple[str, str, set[str]]]:
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode(errors="replace"))
    return [(m, a or url, f) for m, a, f in parser.forms]


# Who → (method, route name of the form's action) → field names. Built once per kind of user
# from every GET page of the matrix (names, not ids: each test builds its own world).
_FORMS: dict[str, dict[tuple[str, str], set[str]]] = {}


def _forms_of(w, who: str, client) -> dict[tuple[str, str], set[str]]:
    if who in _FORMS:
        return _FORMS[who]
    fields: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, spec in matrix.ROUTES.items():
        if "GET" not in spec.methods or name in LOGOUTS:
            continue
        url = _url(name, spec.kwargs(w))
        for method, action, names in _page_forms(client, url):
            path = urllib.parse.urlsplit(urllib.parse.urljoin(url, action)).path
            try:
                target = resolve(path).view_name
            except Resolver404:
                continue  # a form posting to a page that is not ours
            fields[(method, target)] |= names
    _FORMS[who] = fields
    return fields


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(matrix.ROUTES))
def test_route_survives_hostile_parameters(name, w):
    spec = matrix.ROUTES[name]
    if name.startswith("api:openapi"):
        pytest.skip("the schema pages take no parameters; the API is test_api_* below")
    view = resolve(_url(name, spec.kwargs(w))).func
    keys, binds_get = _source_keys(view)
    failures, sent, params = [], 0, set()
    users = _users(w, spec.kind)
    first = next(iter(users))
    for who, user in users.items():
        sender = Sender(w, user, name)
        forms = _forms_of(w, who, sender.client)
        kwargs = spec.kwargs(w)
        url = _url(name, kwargs)
        for method in spec.methods:
            # What the view's code reads one by one, and an unknown parameter.
            read = set(keys[method]) | {"junk"}
            fields = forms.get((method, name), set())
            if method == "GET" and binds_get:
                fields |= forms.get(("POST", name), set())  # filters that also come in links
            if method == "POST":
                fields |= set(spec.post(w))
            fields -= read
            base = spec.post(w) if method == "POST" else {}
            one_by_one = read | (fields if len(fields) <= MAX_ONE_BY_ONE else set())
            if who == first:
                for field in sorted(one_by_one):
                    for value in HOSTILE:
                        what = f"{who}: {field}={value[:20]!r}"
                        sender.send(method, url, {**base, field: value}, what)
            if who != first or len(fields) > MAX_ONE_BY_ONE:
                # Every parameter at once, per value: a form cleans all its fields.
                for value in HOSTILE:
                    data = {**base, **dict.fromkeys(read | fields, value)}
                    sender.send(method, url, data, f"{who}: all={value[:20]!r}")
            for arg, converter in _path_converters(name).items():
                for value in HOSTILE if converter == "str" else DIGITS_ONLY:
                    bad = _url(name, {**kwargs, arg: value})
                    if bad is not None:
                        sender.send(method, bad, spec.post(w), f"{who}: <{arg}>={value[:20]!r}")
        failures += sender.failures
        sent += sender.sent
        params |= sender.params
    print(f"\nHOSTILE {name}: {sent} requests, {len(params)} parameters")
    assert sent > 0
    assert not failures, failures


def _api_parameters() -> list[tuple[str, str, str, list[dict]]]:
    from yikao.api.api import api

    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, param["name"], op.get("parameters", []))
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
        for param in op.get("parameters", [])
        if param.get("in") == "query"
    ]


API_QUERY = _api_parameters()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path,param", [(m, p, q) for m, p, q, _ in API_QUERY], ids=lambda v: str(v)
)
def test_api_query_parameter_survives_hostile_values(method, path, param, w):
    spec = matrix.API[(method, path)]
    url = matrix._api_url(path, spec.params(w))
    client = _client(w, w.cand_b)
    failures = []
    for value in HOSTILE:
        query = urllib.parse.urlencode({param: value})
        response = matrix._api_call(
            client, method, f"{url}?{query}", spec.body(w) if spec.body else None
        )
        if response.status_code >= 500:
            failures.append((param, value[:20], response.status_code))
    assert not failures, failures


def test_every_page_route_is_sent_hostile_parameters():
    """The routes come from the matrix, which fails on an unclassified route."""
    names = {name for route, name, _ in matrix.discovered_routes() if name}
    pages = {n for n in names if not n.startswith("admin:") and n in matrix.ROUTES}
    assert pages == set(matrix.ROUTES)
    assert get_resolver() is not None
    assert API_QUERY, "the API has query parameters (the slots' day)"


# --- The causes, one by one (each failed before its fix) -----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", ["²", "abc", "１２３", "99999999999999999999"])
def test_profile_add_entry_with_a_tampered_form_count_is_no_500(candidate, count):
    client = candidate_login(Client(raise_request_exception=False), candidate)
    data = {"action": "add:educations", "edu-TOTAL_FORMS": count, "edu-INITIAL_FORMS": "0"}
    response = client.post(reverse("profiles:index"), data)
    assert response.status_code == 200
    assert "有内容未填写或格式不正确" in response.content.decode() or count.isascii()


def _staff(world, user=None):
    return verified_login(Client(raise_request_exception=False), user or world.staff_b)


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "0000-00-00", "２０２７-０３-０１"])
def test_appointment_day_out_of_range_goes_back_to_the_days(world, day):
    client = candidate_login(Client(raise_request_exception=False), world.cand_b)
    url = reverse("appointments:day", args=[world.reg_b.pk, day])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:book", args=[world.reg_b.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_api_slots_day_out_of_range_is_a_422_in_chinese(world, day):
    client = candidate_login(Client(raise_request_exception=False), world.cand_b)
    url = f"/api/v1/appointments/registrations/{world.reg_b.pk}/slots?day={day}"
    response = client.get(url)
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"].startswith("应不")  # 应不小于 / 应不大于 …


@pytest.mark.django_db
def test_wizard_with_a_huge_exam_id_is_a_404(world):
    client = candidate_login(Client(raise_request_exception=False), world.cand_b)
    for method in ("get", "post"):
        response = getattr(client, method)(f"/registrations/wizard/{'9' * 20}/1/")
        assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "𐩀𐩀𐩀𐩀", "99999999999999999999", "１２３"])
def test_staff_paging_and_bulk_ids_take_only_ascii_ids(world, value):
    client = _staff(world)
    for name in ("review:queue", "review:audit", "review:units"):
        user = world.area_staff if name == "review:units" else world.staff_b
        assert _staff(world, user).get(reverse(name), {"after": value}).status_code == 200
    response = client.post(reverse("review:bulk_approve"), {"ids": [value]})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("q", ["𐩀𐩀𐩀𐩀", "²０２７", "2027𐩀"])
def test_staff_search_with_other_digits_lists_nothing_without_500(world, q):
    client = _staff(world)
    response = client.post(reverse("review:queue"), {"q": q, "status": ""})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    response = client.post(reverse("review:audit"), {"candidate": q})
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["date_from", "date_to"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_staff_filter_dates_out_of_range_are_a_message_next_to_the_field(world, field, day):
    client = _staff(world)
    for name in ("review:queue", "review:audit"):
        response = client.post(reverse(name), {field: day})
        assert response.status_code == 200, (name, response.status_code)
        assert "2000年1月1日至2099年12月31日" in response.content.decode()
        assert field in response.context["form"].errors


@pytest.mark.django_db
def test_a_bad_filter_saved_before_the_fix_lists_nothing_instead_of_failing(world):
    """A session may still hold a filter saved by the old code, with a date that overflows."""
    from yikao.review.views import SAVED_AUDIT_FILTERS, SAVED_FILTERS

    client = _staff(world)
    session = client.session
    session[SAVED_FILTERS] = {"old": {"date_to": "9999-12-31", "date_from": "0001-01-01"}}
    session[SAVED_AUDIT_FILTERS] = {"old": {"date_to": "9999-12-31"}}
    session.save()
    for name in ("review:queue", "review:audit", "review:export"):
        response = client.get(reverse(name), {"f": "old"})
        # An export that lists nothing goes back to the queue with a message, no file.
        assert response.status_code == (302 if name == "review:export" else 200), name


@pytest.mark.django_db
@pytest.mark.parametrize("exam", ["²", "𐩀", "99999999999999999999", "-1"])
def test_staff_collection_pages_with_a_malformed_exam_fall_back_to_the_latest(world, exam):
    client = _staff(world)
    url = reverse("appointments:staff_site", args=[world.site_b.pk])
    response = client.get(url, {"exam": exam})
    assert response.status_code == 200
    assert response.context["exam"] == world.exam


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["a/b", "9999-12-31", "../x", "<script>"])
def test_check_in_with_a_bad_day_goes_back_to_todays_roster(world, day):
    from django.utils import timezone

    client = _staff(world)
    url = reverse("appointments:staff_check_in", args=[world.site_b.pk])
    response = client.post(url, {"code": "XXXX", "day": day, "exam": world.exam.pk})
    assert response.status_code == 302
    today = reverse("appointments:staff_roster", args=[world.site_b.pk, f"{timezone.localdate()}"])
    assert response["Location"].startswith(today)


@pytest.mark.django_db
@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01"])
def test_roster_of_a_day_out_of_range_is_a_404(world, date):
    client = _staff(world)
    for name in ("appointments:staff_roster", "appointments:staff_roster_export"):
        url = reverse(name, args=[world.site_b.pk, date])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_national_staffs_dashboard_shows_the_seats(world):
    national = make_staff("guojia_dash", "national")
    response = _staff(world, national).get(reverse("review:dashboard"))
    assert response.status_code == 200
    assert len(response.context["stats"]["seats"]) >= 2
