"""The API's error answers: one JSON shape with Chinese text, documented on every operation.

django-ninja answers a request it cannot take on its own (a bad parameter: 422; a body that
is not JSON: 400; a missing CSRF token: 403; a 404) in English, and the OpenAPI schema only
lists what each operation declares. `install` replaces those answers with Chinese ones and
`YikaoAPI` adds them to every operation's documented responses, so a client generated from
/api/v1/openapi.json knows them (tests/security/test_security_api_fuzz.py holds the API to
its schema).
"""

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from yikao.core.api.schemas import ErrorOut, ValidationErrorOut

NOT_LOGGED_IN = "请先登录。"
NOT_FOUND = "请求的内容不存在。"
TOO_MANY_FIELDS = "请求内容的字段过多，无法处理。"
# django-ninja's own HttpError texts (by their start: with DEBUG it appends the cause).
NINJA_MESSAGES = {
    "Cannot parse request body": "请求内容无法解析，请发送有效的 JSON。",
    "CSRF check Failed": "安全校验失败，请刷新页面后重试。",
}
# Pydantic's error types in words; {name} takes the error's ctx (limits, allowed values).
FIELD_MESSAGES = {
    "missing": "必填。",
    "extra_forbidden": "不允许的字段。",
    "int_parsing": "应为整数。",
    "int_type": "应为整数。",
    "int_from_float": "应为整数。",
    "float_parsing": "应为数字。",
    "float_type": "应为数字。",
    "bool_parsing": "应为 true 或 false。",
    "bool_type": "应为 true 或 false。",
    "string_type": "应为文本。",
    "string_too_short": "至少 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "too_short": "至少 {min_length} 项。",
    "too_long": "最多 {max_length} 项。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "应不小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "应不大于 {le}。",
    "enum": "应为以下之一：{expected}。",
    "literal_error": "应为以下之一：{expected}。",
    "list_type": "应为数组。",
    "dict_type": "应为对象。",
    "model_type": "应为对象。",
    "model_attributes_type": "应为对象。",
    "date_type": "应为日期（YYYY-MM-DD）。",
    "date_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）。",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD）。",
    "datetime_type": "应为日期时间（ISO 8601）。",
    "datetime_parsing": "应为日期时间（ISO 8601）。",
    "datetime_from_date_parsing": "应为日期时间（ISO 8601）。",
    "json_invalid": "不是有效的 JSON。",
}
FIELD_MESSAGE_FALLBACK = "输入无效。"
# A pattern's expected form in words (string_pattern_mismatch), by the pattern itself.
PATTERN_HINTS: dict[str, str] = {}
CJK = re.compile(r"[\u3400-\u9fff]")

# Documented on every operation that can give them (see YikaoAPI.get_openapi_schema).
ERROR_RESPONSES = {
    400: ("请求内容无法解析、过大或字段过多", ErrorOut),
    401: ("未登录", ErrorOut),
    403: ("安全校验失败（CSRF）", ErrorOut),
    422: ("参数不符合要求", ValidationErrorOut),
    # Answered by yikao.core.errors.server_error (also when the outage comes before the
    # API, e.g. while loading the session).
    503: ("系统繁忙，数据库暂不可用（带 Retry-After，可重试）", ErrorOut),
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}
REF = "#/components/schemas/{model}"


def field_message(error: dict[str, Any]) -> str:
    """A field error's message in Chinese. A message the project wrote (Chinese already,
    e.g. the eligibility check's 事实数据无效) is kept as it is."""
    msg = str(error.get("msg", ""))
    if CJK.search(msg):
        return msg
    kind = str(error.get("type", ""))
    hint = PATTERN_HINTS.get(str((error.get("ctx") or {}).get("pattern", "")))
    if kind == "string_pattern_mismatch" and hint:
        return hint
    template = FIELD_MESSAGES.get(kind, FIELD_MESSAGE_FALLBACK)
    try:
        return template.format(**(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return FIELD_MESSAGE_FALLBACK


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The documented FieldErrorOut entries; nothing of the input is echoed back."""
    return [
        {"type": str(e.get("type", "")), "loc": list(e.get("loc", ())), "msg": field_message(e)}
        for e in errors
    ]


def too_large_message() -> str:
    """Names the limit: 请求内容过大（超过 2 MB）。"""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    size = f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return f"请求内容过大（超过 {size}），请减少内容后重试。"


def ninja_message(message: str) -> str:
    return next((zh for en, zh in NINJA_MESSAGES.items() if message.startswith(en)), message)


def install(api: NinjaAPI) -> None:
    """Chinese answers for the errors django-ninja raises itself."""

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        return api.create_response(request, {"detail": field_errors(exc.errors)}, status=422)

    @api.exception_handler(AuthenticationError)
    def _not_logged_in(request, exc: AuthenticationError):
        return api.create_response(request, {"detail": NOT_LOGGED_IN}, status=401)

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return api.create_response(
            request, {"detail": ninja_message(str(exc))}, status=exc.status_code
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc: Http404):
        return api.create_response(request, {"detail": NOT_FOUND}, status=404)

    # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (or with too many fields) when the
    # body is read: inside the operation (its JSON or form body, or the CSRF check of
    # SessionAuth). Unhandled, that was Django's English HTML 400 page; the status stays 400.
    @api.exception_handler(RequestDataTooBig)
    def _too_large(request, exc: RequestDataTooBig):
        return api.create_response(request, {"detail": too_large_message()}, status=400)

    @api.exception_handler(TooManyFieldsSent)
    @api.exception_handler(TooManyFilesSent)
    def _too_many_fields(request, exc: Exception):
        return api.create_response(request, {"detail": TOO_MANY_FIELDS}, status=400)


def _errors_of(method: str, operation: dict) -> list[int]:
    """The error statuses an operation can give whatever its code: 422 if it takes any
    parameter or body, 400 if it reads a body (its own, or a POST's form fields for the CSRF
    check of SessionAuth: unparseable, over DATA_UPLOAD_MAX_MEMORY_SIZE or with too many
    fields), 401 if it needs a login, 403 if it also writes (SessionAuth checks the CSRF token
    then), 503 always (a database outage)."""
    statuses = []
    if operation.get("requestBody") or (operation.get("security") and method == "post"):
        statuses.append(400)
    if operation.get("security"):
        statuses.append(401)
        if method in UNSAFE_METHODS:
            statuses.append(403)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append(422)
    statuses.append(503)
    return statuses


def _response(description: str, model) -> dict:
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _add_components(schemas: dict) -> None:
    for model in dict.fromkeys(m for _, m in ERROR_RESPONSES.values()):
        definition = model.model_json_schema(ref_template=REF, mode="serialization")
        for name, nested in definition.pop("$defs", {}).items():
            schemas.setdefault(name, nested)
        schemas.setdefault(model.__name__, definition)


def document_errors(schema: dict) -> dict:
    """Adds the error answers to each operation of an OpenAPI document (in place); an
    operation that declares a status itself keeps its own description."""
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in _errors_of(method, operation):
                responses.setdefault(status, _response(*ERROR_RESPONSES[status]))
    _add_components(schema.setdefault("components", {}).setdefault("schemas", {}))
    return schema


class YikaoAPI(NinjaAPI):
    """NinjaAPI whose schema documents the errors of `install` on every operation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        install(self)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)
