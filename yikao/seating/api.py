"""/api/v1/tickets: the candidate's 准考证 — its data per part (or why there is none yet)
and its PDF, for the phone and WeChat front ends.

Built from seating.ticket_selectors, the ticket page's own read, so the page and the API
cannot disagree about whether a ticket is open. Session auth, candidates only.
"""

import datetime

from django.http import HttpResponse
from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from yikao.core.api.schemas import ErrorOut
from yikao.registrations.selectors import registration_of
from yikao.seating import ticket_selectors as tickets
from yikao.seating.models import Part
from yikao.seating.ticket_code import ticket_code
from yikao.seating.ticket_views import pdf_response

router = Router(tags=["准考证"])

NOT_CANDIDATE = "仅考生账户可以使用准考证接口。"
NOT_FOUND = "报名不存在、不是本人的报名，或不参加该部分考试。"
ANSWERS = {
    200: "成功",
    403: "不是考生账户",
    404: NOT_FOUND,
    409: "准考证尚不能下载（未到开放时间、未编排考场、考点集中打印或未缴费），detail 为原因",
}


def _described(*statuses: int, pdf: bool = False) -> dict:
    responses = {status: {"description": ANSWERS[status]} for status in statuses}
    if pdf:
        responses[200] = {
            "description": "准考证 PDF（A4 横向）",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        }
    return {"responses": responses}


class UnitOut(Schema):
    name: str = Field(description="单元名称，如“第一单元”")
    starts_at: str = Field(description="开始时间（ISO 8601）")
    ends_at: str = Field(description="结束时间（ISO 8601）")


class PartOut(Schema):
    part: str = Field(description="考试部分：skills 实践技能，written 医学综合")
    label: str = Field(description="考试部分（中文）")
    state: str = Field(
        description="ready 可下载；not_open 未到开放时间；no_release 开放时间未公布；"
        "no_seat 未编排考场；central 考点集中打印；not_paid 未缴费"
    )
    message: str = Field(description="不能下载时显示给考生的说明；可下载时为空")
    opens_at: datetime.datetime | None = Field(description="开放打印时间；未公布为 null")
    ticket_no: str | None = Field(description="准考证号；不能下载时为 null（以下字段同）")
    session_starts_at: datetime.datetime | None = Field(description="考试开始时间")
    session_ends_at: datetime.datetime | None = Field(description="考试结束时间")
    units: list[UnitOut] = Field(description="医学综合考试的单元安排")
    room_code: str | None = Field(description="考场号")
    room_name: str | None = Field(description="考场名称")
    room_place: str | None = Field(description="考场位置")
    seat: int | None = Field(description="座位号")
    qr_code: str | None = Field(
        description="准考证二维码内容（YK1. 开头，Ed25519 签名，可离线验真）"
    )
    pdf_url: str | None = Field(description="准考证 PDF 地址（网页）")


class TicketsOut(Schema):
    registration_id: int = Field(description="报名 ID")
    registration_number: str = Field(description="报名号")
    exam: str = Field(description="考试名称")
    category: str = Field(description="报考类别")
    site: str = Field(description="考点")
    site_address: str = Field(description="考点地址")
    parts: list[PartOut] = Field(description="各考试部分的准考证；没有已公布的考试部分时为空")


def _candidate(request):
    return getattr(request.user, "candidate", None)


def _units(units) -> list[UnitOut]:
    return [
        UnitOut(name=str(u.get("name", "")), starts_at=str(u.get("starts_at", "")),
                ends_at=str(u.get("ends_at", "")))
        for u in (units if isinstance(units, list) else ())
        if isinstance(u, dict)
    ]  # fmt: skip


def _part_out(registration, ticket: tickets.PartTicket) -> PartOut:
    seat = ticket.seat
    session, room = (seat.session, seat.room) if seat else (None, None)
    return PartOut(
        part=ticket.part, label=ticket.label, state=ticket.state, message=ticket.message,
        opens_at=ticket.opens_at,
        ticket_no=seat.ticket_no if seat else None,
        session_starts_at=session.starts_at if session else None,
        session_ends_at=session.ends_at if session else None,
        units=_units(session.units) if session else [],
        room_code=room.code if room else None, room_name=room.name if room else None,
        room_place=room.place if room else None, seat=seat.number if seat else None,
        qr_code=ticket_code(seat) if seat else None,
        pdf_url=reverse("seating:ticket_pdf", args=[registration.pk, ticket.part]) if seat else None,
    )  # fmt: skip


@router.get(
    "/registrations/{registration_id}",
    response={200: TicketsOut, 403: ErrorOut, 404: ErrorOut},
    summary="报名的准考证",
    description=(
        "与准考证页面显示的内容相同：各考试部分的准考证号、考试时间、考场、座位和二维码内容；"
        "未到开放时间、未编排考场或考点集中打印时 state 说明原因。不是本人的报名返回 404。"
    ),
    openapi_extra=_described(200, 403, 404),
)
def registration_tickets(request, registration_id: int):
    candidate = _candidate(request)
    if candidate is None:
        return Status(403, {"detail": NOT_CANDIDATE})
    registration, parts = tickets.candidate_tickets(candidate, registration_id)
    return Status(
        200,
        TicketsOut(
            registration_id=registration.pk, registration_number=registration.number,
            exam=registration.exam.name, category=registration.category.label,
            site=registration.site.name, site_address=registration.site.address,
            parts=[_part_out(registration, t) for t in parts],
        ),
    )  # fmt: skip


@router.get(
    "/registrations/{registration_id}/{part}.pdf",
    response={403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="下载准考证 PDF",
    description="part 为 skills（实践技能）或 written（医学综合）。409：尚不能下载，detail 为原因。",
    openapi_extra=_described(200, 403, 404, 409, pdf=True),
)
def registration_ticket_pdf(request, registration_id: int, part: str):
    candidate = _candidate(request)
    if candidate is None:
        return Status(403, {"detail": NOT_CANDIDATE})
    if part not in Part.values:
        registration_of(candidate, registration_id)  # anyone else's: 404 all the same
        return Status(404, {"detail": NOT_FOUND})
    ticket = tickets.candidate_ticket(candidate, registration_id, part)
    if not ticket.ready:
        return Status(409, {"detail": ticket.message})
    pdf = tickets.ticket_pdf(ticket.seat)
    response: HttpResponse = pdf_response(pdf, f"zhunkaozheng-{ticket.seat.ticket_no}.pdf")
    return response
