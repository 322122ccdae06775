"""/api/v1/door: the door check (入场核验) for staff devices — the same check as the phone
page (seating.door.check), so the page and the API cannot disagree.

Session auth like every operation of the API, but for staff only: a verified (password +
one-time code) staff login with a scope; a candidate's login gets 403, no login 401. The
staff idle limit of the back office applies here too. Writes need the CSRF token.
"""

import datetime
import time

from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from yikao.core.api.schemas import ErrorOut
from yikao.seating import door
from yikao.staff.access import SESSION_SEEN, STAFF_IDLE_SECONDS, staff_scope_of

router = Router(tags=["入场核验"])

NOT_STAFF = "仅已验证的工作人员账户可以使用入场核验接口。"
IDLE = "工作人员登录已超时，请重新登录。"
NO_DOOR = "场次或考场不存在，不属于同一考点，或不在您的管辖范围内。"
ANSWERS = {
    200: "已核验：outcome 为结果（真实准考证的核验均已记录）",
    400: "code 为空或不是 18 位准考证号，detail 为原因（未记录）",
    401: "未登录，或工作人员登录已超时",
    403: "不是已验证的工作人员账户；也可能是安全校验失败（CSRF）",
    404: NO_DOOR,
}


class CheckIn(Schema):
    session_id: int = Field(description="考试场次 ID（本考场的场次）")
    room_id: int = Field(description="考场 ID")
    code: str = Field(max_length=1000, description="扫描到的二维码内容，或输入的 18 位准考证号")


class CheckOut(Schema):
    outcome: str = Field(
        description="ok 核验通过，wrong_room 考场不符，wrong_session 场次不符，forged 伪造或无效，"
        "unknown 查无此准考证号，other_site 不是本考点的准考证，stale 准考证已失效（座位已重新编排）"
    )
    message: str = Field(
        description="显示给工作人员的结论，如“考场不符（应在 003 考场 17 号座位）”"
    )
    ticket_no: str = Field(description="准考证号；不是本考点的真实准考证时为空")
    name: str = Field(description="考生姓名；同上为空")
    room: str = Field(description="考生应在的考场，如“003 考场”；同上为空")
    seat: int | None = Field(description="考生应坐的座位号；同上为 null")
    photo_url: str | None = Field(description="考生照片地址（工作人员登录可访问）；无照片为 null")
    checked_before_at: datetime.datetime | None = Field(
        description="本场次此前核验通过的时间（重复核验）；首次为 null"
    )
    checked: int = Field(description="本考场本场次已核验通过人数")
    expected: int = Field(description="本考场本场次应到人数")


def _scope(request):
    """The staff scope of the caller, or the refusal (401 idle, 403 not staff)."""
    seen = request.session.get(SESSION_SEEN)
    now = int(time.time())
    if seen and now - seen > STAFF_IDLE_SECONDS:
        return None, Status(401, {"detail": IDLE})
    scope = staff_scope_of(request.user)
    if scope is None:
        return None, Status(403, {"detail": NOT_STAFF})
    if seen is None or now - seen >= 30:
        request.session[SESSION_SEEN] = now
    return scope, None


@router.post(
    "/check",
    response={200: CheckOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="入场核验",
    description="在考场门口核验一张准考证（扫描二维码或输入准考证号）：返回结论和考生信息；"
    "与工作人员手机页面 /seating/door/ 的核验相同。",
    openapi_extra={"responses": {s: {"description": d} for s, d in ANSWERS.items()}},
)
def check(request, payload: CheckIn):
    scope, refusal = _scope(request)
    if refusal is not None:
        return refusal
    chosen = door.door_of(scope, payload.session_id, payload.room_id)
    if chosen is None:
        return Status(404, {"detail": NO_DOOR})
    session, room = chosen
    try:
        result = door.check(
            scope=scope, session=session, room=room, code=payload.code, actor=request.user
        )
    except door.DoorInputError as error:
        return Status(400, {"detail": error.message})
    checked, expected = door.counts(session, room)
    return Status(200, {**door.answer(result), "checked": checked, "expected": expected})
