"""django-ninja's own error answers: Chinese, one shape, documented on every operation."""

import pytest
from django.test import Client

from yikao.core.api.errors import ERROR_RESPONSES, field_message

pytestmark = pytest.mark.django_db
BOOKING = "/api/v1/appointments/registrations/{}/booking"
CHECK = "/api/v1/eligibility/check"


def test_bad_parameter_is_a_422_in_chinese_without_the_input(client):
    response = client.get("/api/v1/directory/schools", {"q": "bjdx", "limit": "几个"})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [{"type": "int_parsing", "loc": ["query", "limit"], "msg": "应为整数。"}]
    }


def test_limits_are_named_in_the_message(client):
    body = {"facts": {"work": [{"department": "儿" * 31}]}}
    response = client.post(CHECK, body, content_type="application/json")
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["msg"] == "最多 30 个字符。"
    assert "儿" * 31 not in response.content.decode()


def test_body_that_is_not_json_is_a_400_in_chinese(client):
    response = client.post(CHECK, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容无法解析，请发送有效的 JSON。"}


def test_write_without_csrf_token_is_a_403_in_chinese(candidate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate.user)
    response = client.post(BOOKING.format(1), {"slot_id": 1}, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "安全校验失败，请刷新页面后重试。"}


def test_missing_object_is_a_404_in_chinese(client, candidate):
    client.force_login(candidate.user)
    response = client.get(BOOKING.format(999999))
    assert response.status_code == 404
    assert response.json() == {"detail": "请求的内容不存在。"}


def test_field_messages():
    assert field_message({"type": "missing", "msg": "Field required"}) == "必填。"
    assert field_message({"type": "greater_than_equal", "ctx": {"ge": 1}}) == "应不小于 1。"
    # The project's own (Chinese) message stays; an unknown or malformed type is generic.
    ours = "事实数据无效：年份无效"
    assert field_message({"type": "value_error", "msg": ours}) == ours
    assert field_message({"type": "no_such_type", "msg": "Whatever"}) == "输入无效。"
    assert field_message({"type": "string_too_long", "ctx": {}}) == "输入无效。"


def _ref(response: dict) -> str:
    return response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_every_operation_documents_the_errors_it_can_give(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = set(schema["components"]["schemas"])
    assert {"ErrorOut", "ValidationErrorOut", "FieldErrorOut"} <= components
    checked = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = set()
            if operation.get("parameters") or operation.get("requestBody"):
                expected.add("422")
            if operation.get("requestBody"):
                expected.add("400")
            if operation.get("security"):
                expected |= {"401", "403"} if method != "get" else {"401"}
            expected.add("503")
            responses = operation["responses"]
            assert expected <= set(responses), (method, path, sorted(responses))
            for status in expected:
                assert _ref(responses[status]) == ERROR_RESPONSES[int(status)][1].__name__
            checked += 1
    assert checked >= 11


def test_a_database_outage_is_a_json_503_to_retry(monkeypatch, settings):
    """Not the HTML error page: an app or WeChat client reads {"detail": …} and Retry-After
    (raised inside the operation, and before it, while the session loads)."""
    from django.db import OperationalError

    def unavailable(*args, **kwargs):
        raise OperationalError("the database system is shutting down")

    client = Client(raise_request_exception=False)
    monkeypatch.setattr("yikao.directory.selectors.search_schools", unavailable)
    response = client.get("/api/v1/directory/schools", {"q": "bjdx"})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert response.json() == {"detail": "系统繁忙，请稍后重试（重复提交不会产生重复数据）。"}

    settings.SESSION_ENGINE = "yikao.core.sessions"  # sessions in the database, as without Redis
    client = Client(raise_request_exception=False)  # its middleware reads the new engine
    client.cookies["sessionid"] = "x" * 32
    monkeypatch.setattr("yikao.core.sessions.SessionStore.load", unavailable)
    response = client.get(BOOKING.format(1))
    assert response.status_code == 503 and "detail" in response.json()
