"""A body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields) is answered in the API's
JSON shape ({"detail": …}, 400 as before), not with Django's English HTML 400 page."""

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

pytestmark = pytest.mark.django_db
CHECK = "/api/v1/eligibility/check"
BOOKING = "/api/v1/appointments/registrations/{}/booking"
TOO_LARGE = "请求内容过大（超过 2 MB），请减少内容后重试。"


def _big(settings) -> str:
    return "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def test_oversized_json_body_is_a_json_400(client, settings):
    body = '{"facts": {"x": "' + _big(settings) + '"}}'
    response = client.post(CHECK, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": TOO_LARGE}


def test_oversized_form_body_is_a_json_400(client, settings):
    response = client.post(CHECK, {"facts": _big(settings)})
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_LARGE}


def test_oversized_body_of_a_logged_in_write_is_a_json_400(candidate, settings):
    # SessionAuth's CSRF check reads the form fields of a POST (the token may be among them)
    # before the operation does.
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate.user)
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    response = client.post(BOOKING.format(1), {"slot_id": _big(settings)})
    assert response.status_code == 400
    assert response.json() == {"detail": TOO_LARGE}


def test_too_many_form_fields_is_a_json_400(candidate, settings):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate.user)
    client.cookies[settings.CSRF_COOKIE_NAME] = _get_new_csrf_string()
    fields = {f"f{i}": "1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(BOOKING.format(1), fields)
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容的字段过多，无法处理。"}


def test_the_400_is_documented_where_a_body_is_read(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    booking = next(p for p in paths if p.endswith("/booking") and "post" in paths[p])
    for path in (CHECK, booking):
        schema = paths[path]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
        assert schema["$ref"].endswith("/ErrorOut"), path
