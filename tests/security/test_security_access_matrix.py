"""The access matrix: every URL pattern and every API operation, called as anonymous, as
candidate A on candidate B's objects, and as the right user; only the last may succeed.
Staff routes are also called as staff of the wrong scope (site A's staff and another area's
staff on site B's objects): 404, and nothing of B's changes or shows.

A new route fails `test_every_route_is_classified` until it is added to ROUTES or API below,
with its class and how to build its arguments:

    public     anyone may call it
    candidate  a logged-in candidate, about themself (no object in the URL)
    own        a logged-in candidate, about an object of theirs named in the URL
    staff      the staff back office (review, appointments/staff): verified staff login
    area       staff pages for area (or national) roles only
    admin      Django's admin: superusers with a verified one-time code
    signed     called by an outside platform, checked by its signature, not a login: an
               unsigned call is refused (400; 503 while the platform's key is missing)

The tables are also tests/performance/test_query_counts_all_routes.py's: each route and
operation has a query bound there.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from admin_urls import admin_url_kwargs
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from security_world import (
    B_NAME,
    RESET_MARK,
    RETURN_MARK,
    add_cross_site,
    build_world,
    candidate_login,
    verified_login,
)

from yikao.core.models import AuditEntry

PUBLIC, CANDIDATE, OWN, STAFF, AREA, ADMIN = "public", "candidate", "own", "staff", "area", "admin"
SIGNED = "signed"


@pytest.fixture
def world(db):
    """The security world with candidates across sites (security_world.add_cross_site): C
    abandoned at site A and returned at site B, D approved at B, E in 湖北, F active at two
    sites; and staff of a neighbouring site of the same area."""
    return add_cross_site(build_world())


LOGIN_PAGES = ("/accounts/login/", "/review/login/", "/admin/login/")


@dataclass(frozen=True)
class Route:
    kind: str
    kwargs: Callable = lambda w: {}
    methods: tuple[str, ...] = ("GET",)
    # What the right user gets on GET (200 unless the page itself redirects).
    ok_status: tuple[int, ...] = (200,)
    post: Callable = lambda w: {}
    note: str = field(default="", compare=False)


def _date(w):
    return w.slot_b.starts_at.astimezone().date().isoformat()


def _money_b(w):
    """B's paid order with a duplicate payment (a refund to make) and a statement row only
    the platform has (a mismatch), made on first use: the payment back office's objects."""
    if "money_b" not in w.extra:
        from yikao.payments.models import Mismatch, Order, Payment, Refund, StatementImport

        now = timezone.now()
        order = Order.objects.create(
            registration=w.reg_b, order_no=f"Y{w.reg_b.number}01", items=[],
            amount_fen=54000, channel="online", status="paid", paid_at=now,
            trade_no="PS-B-1", deadline=now + datetime.timedelta(days=7),
        )  # fmt: skip
        Payment.objects.create(order=order, channel="online", reference="PS-B-1",
                               amount_fen=54000, paid_at=now, source="notify")  # fmt: skip
        duplicate = Payment.objects.create(order=order, channel="online", reference="PS-B-2",
                                           amount_fen=54000, paid_at=now, source="notify")  # fmt: skip
        refund = Refund.objects.create(payment=duplicate, reason="duplicate", amount_fen=54000)
        statement = StatementImport.objects.create(date=now.date(), sha256="")
        mismatch = Mismatch.objects.create(statement=statement, kind="platform_only",
                                           order_no=order.order_no, trade_no="PS-B-3",
                                           order=order, theirs_fen=54000)  # fmt: skip
        w.extra["money_b"] = (refund, mismatch)
    return w.extra["money_b"]


def _door_b(w):
    """A seat of B's at site B (session, room, run, seat made on first use): the door check's
    objects. Returns (session, room, seat)."""
    if "door_b" not in w.extra:
        from yikao.seating.models import Room, Run, Seat, Session

        start = timezone.now() + datetime.timedelta(days=7)
        session = Session.objects.create(
            exam=w.exam, site=w.site_b, part="written", number=9, label="上午场",
            starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        )  # fmt: skip
        room = Room.objects.create(site=w.site_b, code="009", name="第九考场", capacity=30)
        run = Run.objects.create(exam=w.exam, site=w.site_b, part="written", seed=1)
        seat = Seat.objects.create(registration=w.reg_b, part="written", session=session,
                                   room=room, number=1, run=run, ticket_no="202741020020900901")  # fmt: skip
        w.extra["door_b"] = (session, room, seat)
    return w.extra["door_b"]


def _seating_b(w):
    """Site B's seating objects, made on first use: a room, a written session, a run and
    an access need of B (the seating staff pages' objects)."""
    if "seating_b" not in w.extra:
        from yikao.seating.models import AccessNeed, Room, Run, Session

        start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
        room = Room.objects.create(site=w.site_b, code="001", name="B考场", capacity=30)
        session = Session.objects.create(
            exam=w.exam, site=w.site_b, part="written", number=1, label="上午场",
            starts_at=start, ends_at=start + datetime.timedelta(hours=2),
        )  # fmt: skip
        run = Run.objects.create(exam=w.exam, site=w.site_b, part="written", seed=7)
        need = AccessNeed.objects.create(registration=w.reg_b, note="轮椅")
        w.extra["seating_b"] = (room, session, run, need)
    return w.extra["seating_b"]


def _sheet(kind: str, *, room: bool):
    def kwargs(w):
        r, session, _, _ = _seating_b(w)
        return {"session_id": session.pk, "kind": kind, **({"room_id": r.pk} if room else {})}

    return kwargs


POST = ("POST",)
BOTH = ("GET", "POST")

ROUTES: dict[str, Route] = {
    "portal:home": Route(PUBLIC),
    "core:terms": Route(PUBLIC),
    "core:privacy": Route(PUBLIC),
    "accounts:register": Route(PUBLIC, methods=BOTH),
    "accounts:login": Route(PUBLIC, methods=BOTH),
    "accounts:logout": Route(PUBLIC, methods=POST),
    "accounts:recovery_start": Route(PUBLIC, methods=BOTH),
    "accounts:recovery_finish": Route(PUBLIC, methods=BOTH, ok_status=(302,)),
    "accounts:security": Route(CANDIDATE),
    "accounts:password_change": Route(CANDIDATE, methods=BOTH),
    "accounts:security_question": Route(CANDIDATE, methods=BOTH),
    "profiles:index": Route(CANDIDATE, methods=BOTH),
    "registrations:index": Route(CANDIDATE),
    "registrations:choose": Route(CANDIDATE),
    "registrations:notice": Route(
        CANDIDATE, lambda w: {"category_id": w.draft_b.category_id}, methods=BOTH
    ),
    "registrations:step": Route(
        OWN, lambda w: {"exam_id": w.draft_b.exam_id, "number": 1}, methods=BOTH
    ),
    "registrations:detail": Route(OWN, lambda w: {"pk": w.reg_b.pk}),
    "registrations:abandon": Route(OWN, lambda w: {"pk": w.reg_b.pk}, methods=POST),
    "registrations:redo": Route(OWN, lambda w: {"pk": w.reg_b.pk}, methods=POST),
    "photos:check": Route(PUBLIC, methods=BOTH),
    "photos:download": Route(PUBLIC, methods=POST),
    "photos:upload": Route(CANDIDATE, methods=BOTH),
    "photos:upload_check": Route(CANDIDATE, methods=POST),
    "photos:use": Route(CANDIDATE, methods=POST),
    "photos:current": Route(CANDIDATE),
    "photos:image": Route(OWN, lambda w: {"photo_id": w.photo_b.pk}),
    "directory:institution_pick": Route(CANDIDATE),
    "directory:institution_new": Route(CANDIDATE, methods=BOTH),
    "eligibility_web:selfcheck": Route(PUBLIC, methods=BOTH),
    "documents:registration_all": Route(OWN, lambda w: {"pk": w.reg_b.pk}),
    "documents:registration_form": Route(
        OWN, lambda w: {"pk": w.reg_b.pk, "code": "registration_form"}
    ),
    # B is not paid: the right user gets the clear refusal page (409), never a PDF.
    "documents:payment_receipt": Route(
        OWN, lambda w: {"registration_id": w.reg_b.pk}, ok_status=(200, 409)
    ),
    "payments:pay": Route(OWN, lambda w: {"registration_id": w.reg_b.pk}),
    # B is 考点通过: refused with its message on the pay page (a redirect there).
    "payments:start": Route(OWN, lambda w: {"registration_id": w.reg_b.pk}, methods=POST),
    "payments:return": Route(CANDIDATE, ok_status=(302,)),  # no order named: to 我的报名
    "payments:notify": Route(SIGNED, methods=POST, ok_status=(400, 503)),
    # The payment back office: lists serve the caller's scope; objects are B's.
    "payments:staff_home": Route(STAFF),
    "payments:staff_fees": Route(STAFF),
    "payments:staff_counter": Route(STAFF),
    "payments:staff_counter_pay": Route(
        STAFF,
        lambda w: {"registration_id": w.reg_b.pk},
        methods=POST,
        post=lambda w: {"receipt_no": "R-B-1"},
    ),
    "payments:staff_statements": Route(AREA),
    "payments:staff_mismatch_settle": Route(
        AREA, lambda w: {"mismatch_id": _money_b(w)[1].pk}, methods=POST
    ),
    "payments:staff_refunds": Route(STAFF),
    "payments:staff_refund_done": Route(
        STAFF,
        lambda w: {"refund_id": _money_b(w)[0].pk},
        methods=POST,
        post=lambda w: {"note": "已原路退回"},
    ),
    "payments:staff_totals": Route(STAFF),
    "payments:staff_totals_export": Route(STAFF),
    "appointments:index": Route(CANDIDATE, ok_status=(200, 302)),
    "inbox:index": Route(CANDIDATE),
    "appointments:book": Route(OWN, lambda w: {"registration_id": w.reg_b.pk}),
    "appointments:day": Route(OWN, lambda w: {"registration_id": w.reg_b.pk, "date": _date(w)}),
    "appointments:confirm": Route(
        OWN, lambda w: {"registration_id": w.reg_b.pk, "slot_id": w.slot_b.pk}, methods=BOTH
    ),
    "appointments:cancel": Route(OWN, lambda w: {"registration_id": w.reg_b.pk}, methods=POST),
    # Staff back office.
    "review:login": Route(PUBLIC, methods=BOTH),
    "review:logout": Route(PUBLIC, methods=POST),
    "review:queue": Route(STAFF),
    "review:bulk_approve": Route(STAFF, methods=POST, post=lambda w: {"ids": [w.reg_b.pk]}),
    "review:export": Route(STAFF, ok_status=(200, 302)),  # no rows: back to the queue
    "review:detail": Route(STAFF, lambda w: {"pk": w.reg_b.pk}),
    "review:photo": Route(STAFF, lambda w: {"pk": w.reg_b.pk}),
    "review:approve": Route(STAFF, lambda w: {"pk": w.reg_b.pk}, methods=POST),
    "review:return": Route(
        STAFF, lambda w: {"pk": w.reg_b.pk}, methods=POST, post=lambda w: {"reason": "照片不清晰"}
    ),
    "review:correct": Route(STAFF, lambda w: {"pk": w.reg_b.pk}, methods=BOTH),
    "review:reset_password": Route(
        STAFF,
        lambda w: {"pk": w.reg_b.pk},
        methods=BOTH,
        post=lambda w: {"reason": "已核验居民身份证原件", "confirm": "on"},
    ),
    "review:scan": Route(STAFF, lambda w: {"signed": _qr(w.reg_b.pk)}, ok_status=(302,)),
    "review:dashboard": Route(STAFF),
    "review:audit": Route(STAFF),
    "review:units": Route(AREA),
    "review:unit_decide": Route(
        AREA, lambda w: {"pk": w.unit.pk, "action": "approve"}, methods=POST
    ),
    "appointments:staff_home": Route(STAFF, ok_status=(200, 302)),
    "appointments:staff_site": Route(STAFF, lambda w: {"site_id": w.site_b.pk}),
    "appointments:staff_slots_new": Route(STAFF, lambda w: {"site_id": w.site_b.pk}, methods=BOTH),
    "appointments:staff_check_in": Route(
        STAFF,
        lambda w: {"site_id": w.site_b.pk},
        methods=POST,
        post=lambda w: {"code": w.booking_b.code},
    ),
    "appointments:staff_roster": Route(STAFF, lambda w: {"site_id": w.site_b.pk, "date": _date(w)}),
    "appointments:staff_roster_export": Route(
        STAFF, lambda w: {"site_id": w.site_b.pk, "date": _date(w)}
    ),
    "appointments:staff_slot_edit": Route(
        STAFF,
        lambda w: {"slot_id": w.slot_b.pk},
        methods=BOTH,
        post=lambda w: {"action": "close", "reason": "场地调整"},
    ),
    "appointments:staff_no_show": Route(
        STAFF, lambda w: {"booking_id": w.booking_b.pk}, methods=POST
    ),
    # 准考证: B is not paid, so the right user gets the page saying so and 409 for the PDF.
    "seating:tickets": Route(OWN, lambda w: {"registration_id": w.reg_b.pk}),
    "seating:ticket_pdf": Route(
        OWN, lambda w: {"registration_id": w.reg_b.pk, "part": "written"}, ok_status=(200, 409)
    ),
    # 集中打印 of site B: nobody seated there, so B's own staff get the 409 page.
    "seating:staff_site_tickets": Route(
        STAFF, lambda w: {"site_id": w.site_b.pk, "part": "written"}, ok_status=(200, 409)
    ),
    # The door check. No door is chosen in a fresh session: the check goes back to the
    # choice (302); the choice names B's session and room (a site's staff post no site: their
    # own; other staff get their own choice back with an error). tests/seating/test_door.py
    # checks the check itself across scopes.
    "seating:door": Route(STAFF),
    "seating:door_choose": Route(
        STAFF,
        methods=POST,
        post=lambda w: {"session": _door_b(w)[0].pk, "room": _door_b(w)[1].pk},
    ),
    "seating:door_check": Route(
        STAFF, methods=POST, post=lambda w: {"code": _door_b(w)[2].ticket_no}
    ),
    "seating:door_photo": Route(STAFF, lambda w: {"seat_id": _door_b(w)[2].pk}),
    # 考场编排 (staff): site B's rooms, sessions, access needs, runs and room sheets.
    "seating:staff_sites": Route(STAFF, ok_status=(302,)),  # a site login: to its own site
    "seating:staff_site": Route(STAFF, lambda w: {"site_id": w.site_b.pk}),
    "seating:staff_room_add": Route(STAFF, lambda w: {"site_id": w.site_b.pk}, methods=BOTH),
    "seating:staff_room_edit": Route(
        STAFF, lambda w: {"room_id": _seating_b(w)[0].pk}, methods=BOTH
    ),
    "seating:staff_room_active": Route(
        STAFF,
        lambda w: {"room_id": _seating_b(w)[0].pk},
        methods=POST,
        post=lambda w: {"active": "0"},
    ),
    "seating:staff_session_add": Route(STAFF, lambda w: {"site_id": w.site_b.pk}, methods=BOTH),
    "seating:staff_session_edit": Route(
        STAFF, lambda w: {"session_id": _seating_b(w)[1].pk}, methods=BOTH
    ),
    "seating:staff_access_add": Route(
        STAFF,
        lambda w: {"site_id": w.site_b.pk},
        methods=POST,
        post=lambda w: {"number": w.reg_b.number, "note": "轮椅"},
    ),
    "seating:staff_access_remove": Route(
        STAFF, lambda w: {"need_id": _seating_b(w)[3].pk}, methods=POST
    ),
    "seating:staff_assign": Route(
        STAFF,
        lambda w: {"site_id": _seating_b(w) and w.site_b.pk, "part": "written"},
        methods=BOTH,
    ),
    "seating:staff_run": Route(STAFF, lambda w: {"run_id": _seating_b(w)[2].pk}),
    "documents:seating_sheet_site": Route(STAFF, _sheet("signin", room=False)),
    "documents:seating_sheet_room": Route(STAFF, _sheet("desk", room=True)),
    # The API's own pages; its operations are classified in API below.
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
}


@dataclass(frozen=True)
class Op:
    kind: str
    params: Callable = lambda w: {}
    body: Callable | None = None
    ok_status: tuple[int, ...] = (200,)


API: dict[tuple[str, str], Op] = {
    ("GET", "/api/v1/me"): Op(CANDIDATE),
    ("POST", "/api/v1/eligibility/check"): Op(PUBLIC, body=lambda w: {"facts": {}}),
    ("GET", "/api/v1/directory/institutions"): Op(PUBLIC),
    ("GET", "/api/v1/directory/schools"): Op(PUBLIC),
    ("GET", "/api/v1/directory/majors"): Op(PUBLIC),
    ("GET", "/api/v1/directory/regions"): Op(PUBLIC),
    ("GET", "/api/v1/appointments/registrations"): Op(CANDIDATE),
    ("GET", "/api/v1/appointments/registrations/{registration_id}/slots"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}
    ),
    ("GET", "/api/v1/appointments/registrations/{registration_id}/booking"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}
    ),
    ("POST", "/api/v1/appointments/registrations/{registration_id}/booking"): Op(
        OWN,
        lambda w: {"registration_id": w.reg_b.pk},
        body=lambda w: {"slot_id": w.slot_b.pk},
        ok_status=(200, 201),
    ),
    ("DELETE", "/api/v1/appointments/registrations/{registration_id}/booking"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}
    ),
    ("GET", "/api/v1/payments/orders"): Op(CANDIDATE),
    ("GET", "/api/v1/payments/registrations/{registration_id}"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}
    ),
    # B is 考点通过, not yet payable: the right user gets 409 with the reason.
    ("POST", "/api/v1/payments/registrations/{registration_id}/start"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}, ok_status=(200, 409)
    ),
    ("GET", "/api/v1/tickets/registrations/{registration_id}"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk}
    ),
    # B is not paid: the right user gets 409 with the reason.
    ("GET", "/api/v1/tickets/registrations/{registration_id}/{part}.pdf"): Op(
        OWN, lambda w: {"registration_id": w.reg_b.pk, "part": "written"}, ok_status=(200, 409)
    ),
    # Staff only: candidates 403; B's door is 404 to staff of other scopes (test_api_access).
    ("POST", "/api/v1/door/check"): Op(
        STAFF,
        body=lambda w: {
            "session_id": _door_b(w)[0].pk,
            "room_id": _door_b(w)[1].pk,
            "code": _door_b(w)[2].ticket_no,
        },
    ),
}


def _qr(pk: int) -> str:
    from yikao.documents.qrpayload import registration_qr_token

    return registration_qr_token(pk)


# --- Discovery ----------------------------------------------------------------------------------


def walk(patterns, prefix="", namespace=""):
    """(route, name, pattern) of every URL pattern, recursively, with namespaced names."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern


def discovered_routes():
    return list(walk(get_resolver().url_patterns))


def api_operations():
    from yikao.api.api import api

    schema = api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, ops in schema["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _api_path_of(route: str) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def test_every_route_is_classified():
    unclassified, unknown_api = [], []
    api_paths = {path for _, path in api_operations()}
    for route, name, _ in discovered_routes():
        if route.startswith("admin/"):
            continue  # the whole admin namespace is classified ADMIN (test_admin_*)
        if route.startswith("api/v1/") and name not in ROUTES:
            if _api_path_of(route) not in api_paths and route != "api/v1/":
                unknown_api.append(route)
            continue
        if name not in ROUTES:
            unclassified.append(f"{name} ({route})")
    missing_ops = sorted(f"{m} {p}" for m, p in api_operations() - set(API))
    assert not unclassified, f"classify these routes in ROUTES: {unclassified}"
    assert not unknown_api, f"API routes missing from the OpenAPI schema: {unknown_api}"
    assert not missing_ops, f"classify these API operations in API: {missing_ops}"
    stale = sorted(set(ROUTES) - {n for _, n, _ in discovered_routes()})
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"
    assert not set(API) - api_operations(), "API names operations that no longer exist"


# --- Calling ------------------------------------------------------------------------------------


def body(response) -> str:
    """The text of a response; of a workbook (a zip), the text of its XML parts."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            raw = b"".join(workbook.read(n) for n in workbook.namelist() if n.endswith(".xml"))
    return raw.decode(errors="replace")


def refused(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code == 302:
        return response["Location"].split("?")[0] in LOGIN_PAGES
    return False


def _call(client, method, url, data):
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


def _right_user(world, kind):
    return {
        CANDIDATE: world.cand_b.user,
        OWN: world.cand_b.user,
        STAFF: world.staff_b,
        AREA: world.area_staff,
        ADMIN: world.superuser,
    }[kind]


def _login_as(user, world):
    client = Client()
    if hasattr(user, "device"):
        return verified_login(client, user)
    return candidate_login(client, world.cand_a if user == world.cand_a.user else world.cand_b)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_access(name, world):
    spec = ROUTES[name]
    url = reverse(name, kwargs=spec.kwargs(world))
    audits = AuditEntry.objects.count()
    if spec.kind == PUBLIC:
        for method in spec.methods:
            response = _call(Client(), method, url, spec.post(world))
            assert response.status_code < 400, (method, url, response.status_code)
        return
    if spec.kind == SIGNED:
        for method in spec.methods:
            response = _call(Client(), method, url, spec.post(world))
            assert response.status_code in spec.ok_status, (method, url, response.status_code)
        changed = AuditEntry.objects.exclude(action="payment.notify_refused").count()
        assert changed == audits, "an unsigned call changed something"
        return
    strangers = {"anonymous": Client(), "candidate A": candidate_login(Client(), world.cand_a)}
    if spec.kind in (STAFF, AREA, ADMIN):
        strangers["candidate B"] = candidate_login(Client(), world.cand_b)
    if spec.kind == AREA:
        strangers["site staff"] = verified_login(Client(), world.staff_b)
    for who, client in strangers.items():
        if who == "candidate A" and spec.kind == CANDIDATE:
            continue  # no object in the URL: A sees A's own page (checked below for leaks)
        for method in spec.methods:
            response = _call(client, method, url, spec.post(world))
            assert refused(response), (who, method, url, response.status_code)
            assert B_NAME not in body(response), (who, url)
    assert AuditEntry.objects.count() == audits, "a refused request changed something"
    if spec.kind == CANDIDATE and "GET" in spec.methods:
        response = candidate_login(Client(), world.cand_a).get(url)
        assert B_NAME not in body(response), url
    right = _login_as(_right_user(world, spec.kind), world)
    for method in spec.methods:
        response = _call(right, method, url, spec.post(world))
        assert not refused(response) and response.status_code < 500, (method, url)
        if method == "GET":
            assert response.status_code in spec.ok_status, (url, response.status_code)


# --- Staff of the wrong scope -------------------------------------------------------------------

WRONG_SCOPE = {
    "site A staff": lambda w: w.staff_a,
    "neighbouring site staff": lambda w: w.extra["staff_n"],
    "other area staff": lambda w: w.other_area_staff,
}
# B's registration waits in a status the caller could act on if its scope let it (site staff
# approve 已提交, area staff 考点通过), so a leak shows as a change of B's state.
ACTIONABLE = {
    "site A staff": "submitted",
    "neighbouring site staff": "submitted",
    "other area staff": "site_approved",
}
SCOPED = sorted(name for name, spec in ROUTES.items() if spec.kind in (STAFF, AREA))


def _b_state(w) -> dict:
    """Every column of B's objects (and of the unit of B's province), re-read."""
    objects = [w.reg_b, w.booking_b, w.slot_b, w.cand_b, w.cand_b.user, w.photo_b, w.unit]
    state = {}
    for obj in objects:
        fresh = type(obj).objects.get(pk=obj.pk)
        state[type(obj).__name__] = {
            f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
        }
    state["audit rows about B"] = AuditEntry.objects.filter(subject_id=w.cand_b.user_id).count()
    return state


def _markers(w) -> tuple[str, ...]:
    return (B_NAME, w.reg_b.number, w.unit.name)


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(WRONG_SCOPE))
@pytest.mark.parametrize("name", SCOPED)
def test_staff_route_out_of_scope(name, who, world):
    """Site A's staff and another area's staff on site B's objects: 404, nothing changes.

    A route without an object in its URL (the queue, the dashboard, bulk approval with B's
    id in the form) serves the caller's own scope: no 404, but none of B's shows or changes.
    """
    from yikao.registrations.models import Registration

    spec = ROUTES[name]
    kwargs = spec.kwargs(world)
    url = reverse(name, kwargs=kwargs)
    Registration.objects.filter(pk=world.reg_b.pk).update(status=ACTIONABLE[who])
    world.reg_b.refresh_from_db()
    expect_refused = bool(kwargs) or (spec.kind == AREA and ACTIONABLE[who] == "submitted")
    before, audits = _b_state(world), AuditEntry.objects.count()
    client = verified_login(Client(), WRONG_SCOPE[who](world))
    for method in spec.methods:
        response = _call(client, method, url, spec.post(world))
        if expect_refused:
            assert response.status_code in (403, 404), (who, method, url, response.status_code)
        else:
            assert not refused(response) and response.status_code < 500, (who, method, url)
        text = body(response)
        for marker in _markers(world):
            assert marker not in text, (who, method, url, marker)
    assert _b_state(world) == before, (who, url)
    if expect_refused:
        assert AuditEntry.objects.count() == audits, "a refused request wrote an audit row"


@pytest.mark.django_db
def test_staff_route_out_of_scope_state_check_sees_an_approval(world):
    """The check above is not blind: B's own site staff approving in bulk changes B's state."""
    from yikao.registrations.models import Registration

    Registration.objects.filter(pk=world.reg_b.pk).update(status="submitted")
    before = _b_state(world)
    client = verified_login(Client(), world.staff_b)
    response = client.post(reverse("review:bulk_approve"), {"ids": [world.reg_b.pk]})
    assert response.status_code == 302
    assert _b_state(world) != before
    assert Registration.objects.get(pk=world.reg_b.pk).status == "site_approved"


def _api_url(path, params):
    return path.format(**params)


def _api_call(client, method, url, body):
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    return client.generic(method, url, data=__import__("json").dumps(body or {}),
                          content_type="application/json")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_access(operation, world):
    method, path = operation
    spec = API[operation]
    url = _api_url(path, spec.params(world))
    payload = spec.body(world) if spec.body else None
    if spec.kind == PUBLIC:
        response = _api_call(Client(), method, url, payload)
        assert response.status_code == 200, (url, response.content[:300])
        return
    anonymous = _api_call(Client(), method, url, payload)
    assert anonymous.status_code == 401, (url, anonymous.status_code)
    if spec.kind == OWN:
        other = _api_call(candidate_login(Client(), world.cand_a), method, url, payload)
        assert other.status_code == 404, (url, other.status_code)
        assert B_NAME not in body(other)
    else:
        mine = _api_call(candidate_login(Client(), world.cand_a), method, url, payload)
        assert B_NAME not in body(mine)
    if spec.kind == STAFF:
        assert mine.status_code == 403, (url, mine.status_code)
        for wrong in WRONG_SCOPE.values():
            other = _api_call(verified_login(Client(), wrong(world)), method, url, payload)
            assert other.status_code == 404 and B_NAME not in body(other), url
        right = _api_call(verified_login(Client(), world.staff_b), method, url, payload)
        assert right.status_code in spec.ok_status, (url, right.status_code)
        return
    right = _api_call(candidate_login(Client(), world.cand_b), method, url, payload)
    assert right.status_code in spec.ok_status, (url, right.status_code, right.content[:300])


# --- Django's admin: a namespace classified as a whole ------------------------------------------


def _admin_urls(object_id: str):
    # An existing TOTP device's pk, so that the config/qrcode views get past their lookup;
    # missing objects are tests/security/test_security_admin.py's.
    urls = []
    for _route, name, pattern in discovered_routes():
        if not (name and name.startswith("admin:")):
            continue
        urls.append((name, reverse(name, kwargs=admin_url_kwargs(pattern, object_id))))
    return urls


STAFF_ADMIN_PAGES = {
    ("site staff", name)
    for name in ("admin:index", "admin:password_change", "admin:password_change_done",
                 "admin:jsi18n")
}  # fmt: skip


@pytest.mark.django_db
def test_admin_routes_refuse_everyone_but_verified_superusers(world):
    public = {"admin:login"}
    opened = set()
    urls = _admin_urls(str(world.staff_b.device.pk))
    assert len(urls) > 20
    strangers = {
        "anonymous": Client(),
        "candidate": candidate_login(Client(), world.cand_a),
        "site staff": verified_login(Client(), world.staff_b),
    }
    for name, url in urls:
        if name in public:
            continue
        for who, client in strangers.items():
            response = client.get(url)
            if response.status_code != 200:
                continue
            assert B_NAME not in body(response), (who, url)
            opened.add((who, name))
    # Review staff are is_staff (Django needs it for their login); the admin shows them
    # its empty index and their own password pages, never a model's list or object.
    assert opened <= STAFF_ADMIN_PAGES, sorted(opened - STAFF_ADMIN_PAGES)
    # A superuser without a verified one-time code is still sent to the login.
    unverified = Client()
    unverified.force_login(world.superuser)
    assert refused(unverified.get("/admin/"))
    admin = verified_login(Client(), world.superuser)
    assert admin.get("/admin/").status_code == 200
    assert admin.get("/admin/exams/exam/").status_code == 200


# --- Candidates across sites ------------------------------------------------------------------

# Which registrations each staff member opens (review:detail, its photo …), and on which
# registrations' candidates they may act (correct basic information, reset the password):
# only while the candidate has an *active* registration in their scope. Written out by hand,
# not derived from the code under test.
OPENS = {
    "site A staff": {"reg_a", "reg_c_a", "reg_f_a"},
    "site B staff": {"reg_b", "reg_c_b", "reg_d"},
    "neighbouring site staff": set(),
    "area staff": {"reg_a", "reg_b", "reg_c_a", "reg_c_b", "reg_d", "reg_f_a", "reg_f_2"},
    "other area staff": {"reg_e"},
}
ACTS_ON = {
    "site A staff": {"reg_a", "reg_f_a"},  # not C: C abandoned at A and moved to B
    "site B staff": {"reg_b", "reg_c_b", "reg_d"},
    "neighbouring site staff": set(),
    # C's abandoned registration at A is in the area, and so is C's active one at B.
    "area staff": OPENS["area staff"],
    "other area staff": {"reg_e"},
}
STAFF_OF = {
    "site A staff": lambda w: w.staff_a,
    "site B staff": lambda w: w.staff_b,
    "neighbouring site staff": lambda w: w.extra["staff_n"],
    "area staff": lambda w: w.area_staff,
    "other area staff": lambda w: w.other_area_staff,
}
REGISTRATIONS = ("reg_a", "reg_b", "reg_c_a", "reg_c_b", "reg_d", "reg_e", "reg_f_a", "reg_f_2")


def _registration(w, key):
    return getattr(w, key) if hasattr(w, key) else w.extra[key]


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(STAFF_OF))
def test_staff_reach_follows_the_active_registration(who, world):
    client = verified_login(Client(), STAFF_OF[who](world))
    got_opens, got_acts = set(), set()
    for key in REGISTRATIONS:
        pk = _registration(world, key).pk
        detail = client.get(reverse("review:detail", args=[pk])).status_code
        correct = client.get(reverse("review:correct", args=[pk])).status_code
        reset = client.get(reverse("review:reset_password", args=[pk])).status_code
        assert detail in (200, 404) and correct in (200, 404) and reset == correct, key
        if detail == 200:
            got_opens.add(key)
        if correct == 200:
            got_acts.add(key)
    assert got_opens == OPENS[who]
    assert got_acts == ACTS_ON[who]


def _c_state(w) -> dict:
    from yikao.accounts.models import Candidate, User
    from yikao.registrations.models import Registration

    c = w.extra["cand_c"]
    return {
        "candidate": Candidate.objects.filter(pk=c.pk).values().get(),
        "password": User.objects.get(pk=c.user_id).password,
        "registrations": list(Registration.objects.filter(candidate=c).values().order_by("pk")),
        "audit rows": AuditEntry.objects.filter(subject_id=c.user_id).count(),
    }


def _c_at_b_markers(w) -> tuple[str, ...]:
    return (RETURN_MARK, RESET_MARK, w.extra["reg_c_b"].number, w.staff_b.username)


def _abandoned_kwargs(w, name) -> dict:
    """The route's arguments with C's abandoned registration at site A in place of B's."""
    kwargs = ROUTES[name].kwargs(w)
    if name.startswith("review:") and "pk" in kwargs and name != "review:unit_decide":
        kwargs["pk"] = w.extra["reg_c_a"].pk
    if name == "review:scan":
        kwargs["signed"] = _qr(w.extra["reg_c_a"].pk)
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("name", SCOPED)
def test_site_staff_on_an_abandoned_registration_reach_nothing_of_the_candidate(name, world):
    """Site A's staff on C's registration abandoned at A (C now registered at B): they read
    A's own record, and nothing of what B did; they cannot act on C; nothing changes."""
    spec = ROUTES[name]
    url = reverse(name, kwargs=_abandoned_kwargs(world, name))
    post = dict(spec.post(world))
    if name == "review:bulk_approve":
        post["ids"] = [world.extra["reg_c_a"].pk, world.extra["reg_c_b"].pk]
    if name == "review:correct":
        c = world.extra["cand_c"]
        post = {"full_name": "丙被改", "id_type": c.id_type, "id_number": c.id_number,
                "gender": c.gender, "birth_date": f"{c.birth_date}", "reason": "更正"}  # fmt: skip
    before = _c_state(world)
    client = verified_login(Client(), world.staff_a)
    for method in spec.methods:
        response = _call(client, method, url, post)
        assert response.status_code < 500, (method, url)
        if name in ("review:correct", "review:reset_password"):
            assert response.status_code == 404, (method, url, response.status_code)
        text = body(response)
        for marker in _c_at_b_markers(world):
            assert marker not in text, (method, url, marker)
    assert _c_state(world) == before, url
