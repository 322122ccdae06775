"""Public, read-only directory API (/api/v1/directory/…): search as you type."""

import json

from django.http import HttpResponse
from ninja import Router, Schema
from ninja.responses import Status

from yikao.core import throttles
from yikao.core.api.schemas import ErrorOut
from yikao.directory import selectors

router = Router(tags=["基础数据"], auth=None)


class InstitutionOut(Schema):
    name: str
    code: str
    region: str
    kind: str
    verified: bool


class SchoolOut(Schema):
    name: str
    code: str
    region: str
    kind: str
    verified: bool


class RegionOut(Schema):
    code: str
    name: str
    level: int
    path: str


MAJOR_LEVELS = ("本科", "专科", "研究生")


class MajorOut(Schema):
    name: str
    code: str
    level: str
    category_name: str


def _hits(hits) -> HttpResponse:
    """The search answer as JSON, built directly: it is the hot path, and validating 20
    plain rows through the response schema would cost a third of the request (the
    schema still documents the shape in OpenAPI)."""
    body = [
        {"name": h.name, "code": h.code, "region": h.region, "kind": h.kind, "verified": h.verified}
        for h in hits
    ]
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )


@router.get(
    "/institutions",
    response={200: list[InstitutionOut], 400: ErrorOut, 429: ErrorOut},
    summary="搜索医疗卫生机构（名称、拼音首字母、全拼或机构代码；可按省/市/区县筛选）",
)
def institutions(request, q: str = "", region: str = "", limit: int = 20):
    if (refused := throttles.directory_search(request)) is not None:
        return refused
    try:
        return _hits(selectors.search_institutions(q, region=region, limit=limit))
    except selectors.QueryError as exc:
        return Status(400, {"detail": str(exc)})


@router.get(
    "/schools",
    response={200: list[SchoolOut], 400: ErrorOut, 429: ErrorOut},
    summary="搜索高等学校（名称、拼音首字母如 bjdx、全拼或学校代码）",
)
def schools(request, q: str = "", limit: int = 20):
    if (refused := throttles.directory_search(request)) is not None:
        return refused
    try:
        return _hits(selectors.search_schools(q, limit=limit))
    except selectors.QueryError as exc:
        return Status(400, {"detail": str(exc)})


@router.get(
    "/majors",
    response={200: list[MajorOut], 400: ErrorOut, 429: ErrorOut},
    summary="搜索医学类专业（名称、拼音首字母或专业代码；层次：本科、专科、研究生）",
)
def majors(request, q: str = "", level: str = ""):
    if (refused := throttles.directory_search(request)) is not None:
        return refused
    try:
        found = selectors.search_majors(q, level=level if level in MAJOR_LEVELS else "")
    except selectors.QueryError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        200,
        [
            {"name": m.name, "code": m.code, "level": m.level, "category_name": m.category_name}
            for m in found
        ],
    )


@router.get(
    "/regions",
    response={200: list[RegionOut], 400: ErrorOut, 429: ErrorOut},
    summary="行政区划逐级选择：不带 parent 返回省份，带 parent 返回其下一级",
)
def regions(request, parent: str = ""):
    if (refused := throttles.directory_search(request)) is not None:
        return refused
    try:
        found = selectors.regions_under(parent)
    except selectors.QueryError as exc:
        return Status(400, {"detail": str(exc)})
    return Status(
        200, [{"code": r.code, "name": r.name, "level": r.level, "path": r.path} for r in found]
    )
