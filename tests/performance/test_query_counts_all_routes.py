"""Query bounds of every page and every API operation, each called as its right user.

The routes, their arguments, methods, form data and right users are the access matrix's
(tests/security/test_security_access_matrix.py, world: tests/security/security_world.py).
Each bound is the count measured on a fresh session (the first request of a session also
writes it: 3 queries), plus a little headroom: +1 up to 5 queries, +2 up to 15, +3 above.
A page that needs no query keeps a bound of 0. Staff pages are measured with candidate B's
registration 已提交, so approve, return and bulk approval do their work.

A route or operation without a bound here fails `test_every_route_has_a_query_bound`, as
an unclassified one fails the matrix's `test_every_route_is_classified`.
"""

import pytest
import test_security_access_matrix as matrix
from django.test import Client
from django.urls import reverse
from security_world import build_world

from yikao.registrations.models import Registration

# name -> method -> the most queries one request may make (comment: measured, SQLite).
ROUTE_BOUNDS: dict[str, dict[str, int]] = {
    "portal:home": {"GET": 0},
    "core:terms": {"GET": 0},
    "core:privacy": {"GET": 0},
    "accounts:register": {"GET": 0, "POST": 1},  # 0/0 (the form's errors)
    "accounts:login": {"GET": 0, "POST": 1},  # 0/0
    "accounts:logout": {"POST": 2},  # 1
    "accounts:recovery_start": {"GET": 0, "POST": 1},  # 0/0
    "accounts:recovery_finish": {"GET": 0, "POST": 1},  # 0/0 (no recovery under way)
    "accounts:security": {"GET": 8},  # 6
    "accounts:password_change": {"GET": 8, "POST": 4},  # 6/3
    "accounts:security_question": {"GET": 8, "POST": 4},  # 6/3
    "profiles:index": {"GET": 14, "POST": 10},  # 12/8
    "registrations:index": {"GET": 10},  # 8
    "registrations:choose": {"GET": 9},  # 7
    "registrations:notice": {"GET": 9, "POST": 8},  # 7/6
    "registrations:step": {"GET": 12, "POST": 9},  # 10/7
    "registrations:detail": {"GET": 9},  # 7
    "registrations:abandon": {"POST": 25},  # 22 (30 before the bulk entry unlock)
    "registrations:redo": {"POST": 12},  # refused: the registration is not returned
    "photos:check": {"GET": 2, "POST": 2},  # 1/1
    "photos:download": {"POST": 2},  # 1
    "photos:upload": {"GET": 10, "POST": 6},  # 8/5
    "photos:upload_check": {"POST": 10},  # 8
    "photos:use": {"POST": 9},  # 7
    "photos:current": {"GET": 9},  # 7
    "photos:image": {"GET": 9},  # 7
    "directory:institution_pick": {"GET": 9},  # 7
    "directory:institution_new": {"GET": 9, "POST": 5},  # 7/4
    "eligibility_web:selfcheck": {"GET": 2, "POST": 6},  # 1/5
    "documents:registration_all": {"GET": 10},  # 8
    "documents:registration_form": {"GET": 10},  # 8
    "documents:payment_receipt": {"GET": 10},  # 8 (B unpaid: the refusal page)
    "seating:tickets": {"GET": 12},  # 10 (B unpaid: says so)
    "seating:ticket_pdf": {"GET": 12},  # 10 (B unpaid: the refusal page)
    "seating:staff_site_tickets": {"GET": 12},  # 10 (nobody seated at B)
    "payments:pay": {"GET": 12},  # 10
    "payments:start": {"POST": 13},  # 11 (B is 考点通过: refused before the platform)
    "payments:return": {"GET": 9},  # 7
    "payments:notify": {"POST": 8},  # 6 (unsigned: refused, audited)
    "payments:staff_home": {"GET": 10},  # 8
    "payments:staff_fees": {"GET": 17},  # 15
    "payments:staff_counter": {"GET": 10},  # 8
    "payments:staff_counter_pay": {"POST": 16},  # 14 (B is 已提交: refused before any payment)
    "payments:staff_statements": {"GET": 11},  # 9
    "payments:staff_mismatch_settle": {"POST": 10},  # 8 (the order is paid: nothing to record)
    "payments:staff_refunds": {"GET": 11},  # 9
    "payments:staff_refund_done": {"POST": 19},  # 17
    "payments:staff_totals": {"GET": 16},  # 14
    "payments:staff_totals_export": {"GET": 14},  # 12
    "appointments:index": {"GET": 9},  # 7
    "inbox:index": {"GET": 9},  # 7
    "appointments:book": {"GET": 12},  # 10
    "appointments:day": {"GET": 13},  # 11
    "appointments:confirm": {"GET": 12, "POST": 13},  # 10/11
    "appointments:cancel": {"POST": 19},  # 16
    "review:login": {"GET": 0, "POST": 6},  # 0/5
    "review:logout": {"POST": 2},  # 1
    "review:queue": {"GET": 13},  # 11
    "review:bulk_approve": {"POST": 18},  # 15
    "review:export": {"GET": 13},  # 11
    "review:detail": {"GET": 15},  # 13
    "review:photo": {"GET": 11},  # 9
    "review:approve": {"POST": 19},  # 16
    "review:return": {"POST": 24},  # 21
    "review:correct": {"GET": 12, "POST": 8},  # 10/6
    "review:reset_password": {"GET": 11, "POST": 16},  # 9/14
    "review:scan": {"GET": 10},  # 8
    "review:dashboard": {"GET": 17},  # 15
    "review:audit": {"GET": 11},  # 9
    "review:units": {"GET": 11},  # 9
    "review:unit_decide": {"POST": 16},  # 14
    "appointments:staff_home": {"GET": 11},  # 9
    "appointments:staff_site": {"GET": 19},  # 16
    "appointments:staff_slots_new": {"GET": 14, "POST": 11},  # 12/9
    "appointments:staff_check_in": {"POST": 20},  # 17
    "appointments:staff_roster": {"GET": 16},  # 14
    "appointments:staff_roster_export": {"GET": 15},  # 13
    "appointments:staff_slot_edit": {"GET": 13, "POST": 19},  # 11/16
    "appointments:staff_no_show": {"POST": 17},  # 15
    "seating:door": {"GET": 12},  # 10 (no door chosen yet: the choice)
    "seating:door_choose": {"POST": 12},  # 10
    "seating:door_check": {"POST": 9},  # 7 (no door chosen in a fresh session: to the choice)
    "seating:door_photo": {"GET": 11},  # 9
    "seating:staff_sites": {"GET": 11},  # 9 (a site login: to its site)
    "seating:staff_site": {"GET": 21},  # 18
    "seating:staff_room_add": {"GET": 12, "POST": 9},  # 10/7 (the form's errors)
    "seating:staff_room_edit": {"GET": 12, "POST": 9},  # 10/7 (the form's errors)
    "seating:staff_room_active": {"POST": 15},  # 13
    "seating:staff_session_add": {"GET": 12, "POST": 9},  # 10/7 (the form's errors)
    "seating:staff_session_edit": {"GET": 11, "POST": 8},  # 9/6 (the form's errors)
    "seating:staff_access_add": {"POST": 22},  # 19 (B unpaid: the site page with the error)
    "seating:staff_access_remove": {"POST": 14},  # 12
    "seating:staff_assign": {"GET": 17, "POST": 14},  # 15/12 (nobody paid: an empty run)
    "seating:staff_run": {"GET": 12},  # 10
    "documents:seating_sheet_site": {"GET": 13},  # 11 (PostgreSQL the same)
    "documents:seating_sheet_room": {"GET": 13},  # 11
    "api:openapi-json": {"GET": 0},
    "api:openapi-view": {"GET": 0},
}

# (method, path) -> bound. The directory's rate limit (database cache) is in the counts.
API_BOUNDS: dict[tuple[str, str], int] = {
    ("GET", "/api/v1/me"): 8,  # 6
    ("POST", "/api/v1/eligibility/check"): 6,  # 5
    ("GET", "/api/v1/directory/institutions"): 6,  # 5
    ("GET", "/api/v1/directory/schools"): 6,  # 5
    ("GET", "/api/v1/directory/majors"): 6,  # 5
    ("GET", "/api/v1/directory/regions"): 8,  # 6
    ("GET", "/api/v1/appointments/registrations"): 12,  # 10
    ("GET", "/api/v1/appointments/registrations/{registration_id}/slots"): 11,  # 9
    ("GET", "/api/v1/appointments/registrations/{registration_id}/booking"): 12,  # 10
    ("POST", "/api/v1/appointments/registrations/{registration_id}/booking"): 19,  # 16
    ("DELETE", "/api/v1/appointments/registrations/{registration_id}/booking"): 19,  # 16
    ("GET", "/api/v1/payments/orders"): 9,  # 7
    ("GET", "/api/v1/payments/registrations/{registration_id}"): 12,  # 10
    # 11: B is 考点通过, so the start is refused before the platform
    ("POST", "/api/v1/payments/registrations/{registration_id}/start"): 13,
    ("GET", "/api/v1/tickets/registrations/{registration_id}"): 12,  # 10
    ("GET", "/api/v1/tickets/registrations/{registration_id}/{part}.pdf"): 12,  # 10 (B unpaid: 409)
    ("POST", "/api/v1/door/check"): 17,  # 15 (a pass: seat, earlier pass, check-in, counts, photo)
}


@pytest.fixture
def matrix_world(db):
    return build_world()


def _right_client(world, kind) -> Client:
    if kind in (matrix.PUBLIC, matrix.SIGNED):
        return Client()
    return matrix._login_as(matrix._right_user(world, kind), world)


def test_every_route_has_a_query_bound():
    names = {
        name
        for route, name, _ in matrix.discovered_routes()
        if not route.startswith(("admin/", "api/v1/")) or name in matrix.ROUTES
    }
    missing = sorted(str(n) for n in names - set(ROUTE_BOUNDS))
    assert not missing, f"give these routes a bound in ROUTE_BOUNDS: {missing}"
    assert set(ROUTE_BOUNDS) == set(matrix.ROUTES), "ROUTE_BOUNDS and the matrix's ROUTES differ"
    methods = {n: tuple(sorted(b)) for n, b in ROUTE_BOUNDS.items()}
    wanted = {n: tuple(sorted(spec.methods)) for n, spec in matrix.ROUTES.items()}
    assert methods == wanted, "bound every method the matrix calls, and only those"
    missing_ops = sorted(f"{m} {p}" for m, p in matrix.api_operations() - set(API_BOUNDS))
    assert not missing_ops, f"give these API operations a bound in API_BOUNDS: {missing_ops}"
    assert set(API_BOUNDS) == set(matrix.API), "API_BOUNDS and the matrix's API differ"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTE_BOUNDS))
def test_route_query_count_within_bound(name, matrix_world, django_assert_max_num_queries):
    spec = matrix.ROUTES[name]
    if spec.kind in (matrix.STAFF, matrix.AREA):
        Registration.objects.filter(pk=matrix_world.reg_b.pk).update(status="submitted")
    url = reverse(name, kwargs=spec.kwargs(matrix_world))
    client = _right_client(matrix_world, spec.kind)
    for method in spec.methods:
        data = spec.post(matrix_world)
        with django_assert_max_num_queries(ROUTE_BOUNDS[name][method]):
            response = matrix._call(client, method, url, data)
        if spec.kind == matrix.PUBLIC:  # as the matrix: a logout may send to a login page
            assert response.status_code < 400, (method, url, response.status_code)
        elif spec.kind == matrix.SIGNED:
            assert response.status_code in spec.ok_status, (method, url, response.status_code)
        else:
            assert not matrix.refused(response) and response.status_code < 500, (method, url)
        if method == "GET":
            assert response.status_code in spec.ok_status, (url, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API_BOUNDS), ids=lambda op: f"{op[0]} {op[1]}")
def test_api_query_count_within_bound(operation, matrix_world, django_assert_max_num_queries):
    method, path = operation
    spec = matrix.API[operation]
    url = matrix._api_url(path, spec.params(matrix_world))
    payload = spec.body(matrix_world) if spec.body else None
    client = _right_client(matrix_world, spec.kind)
    with django_assert_max_num_queries(API_BOUNDS[operation]):
        response = matrix._api_call(client, method, url, payload)
    assert response.status_code in spec.ok_status, (url, response.status_code)
