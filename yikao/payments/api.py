"""/api/v1/payments: the candidate's orders, what one registration owes, and starting an
online payment, for the phone and WeChat front ends.

The registration's answer is built from selectors.payment_page and the start from
services.payment_start, the pay page's own paths, so the page and the API cannot disagree.
Session auth; the start needs the CSRF token (X-CSRFToken header), as every write of the API.
"""

import dataclasses
import datetime

from django.urls import reverse
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from yikao.core.api.schemas import ErrorOut
from yikao.payments import selectors, services
from yikao.payments.gateway import PlatformUnavailable
from yikao.payments.models import Channel, Order

# The same public callback addresses as the pay page (YIKAO_PAY_CALLBACK_BASE behind a proxy).
from yikao.payments.views import callback_url

router = Router(tags=["缴费"])

NOT_CANDIDATE = "仅考生账户可以使用缴费接口。"
# A refusal's status by its code; anything else the service refuses is 409 (not payable).
ERROR_STATUS = {"not_found": 404, "platform_refused": 502}
# The schema's words for each answer (django-ninja would write "OK", "Conflict"…).
ANSWERS = {
    200: "成功",
    403: "不是考生账户；写操作还可能是安全校验失败（CSRF）",
    404: "报名不存在或不是本人的报名",
    409: "不能缴费，detail 为原因",
    502: "支付平台拒绝了本次支付请求（未扣款）",
    503: "支付平台暂时无法访问（未扣款，可稍后重试），或系统繁忙",
}


def _described(*statuses: int) -> dict:
    return {"responses": {status: {"description": ANSWERS[status]} for status in statuses}}


class LineOut(Schema):
    part: str = Field(description="收费项目代码：skills 实践技能，written 医学综合")
    label: str = Field(description="收费项目名称，如“医学综合考试费”")
    amount_fen: int = Field(description="金额（分）")


class OrderOut(Schema):
    order_no: str = Field(description="订单号（提交支付平台的商户订单号）")
    registration_id: int = Field(description="报名 ID")
    registration_number: str = Field(description="报名号")
    exam: str = Field(description="考试名称")
    status: str = Field(description="订单状态：pending 待支付，paid 已支付，closed 已关闭，refunded 已退款")  # fmt: skip
    status_label: str = Field(description="订单状态（中文）")
    amount_fen: int = Field(description="订单金额（分），生成订单时确定，此后不变")
    items: list[LineOut] = Field(description="收费项目")
    deadline: datetime.datetime = Field(description="缴费截止时间")
    paid_at: datetime.datetime | None = Field(description="支付时间；未支付时为 null")
    trade_no: str = Field(description="交易流水号（网上支付）或票据号（考点现场缴费）；未支付时为空")  # fmt: skip
    channel: str = Field(description="缴费方式：online 网上支付，counter 考点现场缴费")
    channel_label: str = Field(description="缴费方式（中文）")


class PaymentPageOut(Schema):
    registration_id: int = Field(description="报名 ID")
    registration_number: str = Field(description="报名号")
    registration_status: str = Field(description="报名状态代码")
    registration_status_label: str = Field(description="报名状态（中文）")
    exam: str = Field(description="考试名称")
    category: str = Field(description="报考类别")
    area: str = Field(description="考区")
    site: str = Field(description="考点")
    lines: list[LineOut] = Field(description="收费项目：有订单时为订单确定的项目，否则为考区现行收费标准")  # fmt: skip
    total_fen: int = Field(description="合计（分）")
    deadline: datetime.datetime | None = Field(description="缴费截止时间；尚未开放缴费时为 null")
    channel: str = Field(description="缴费方式：online 网上支付，counter 考点现场缴费")
    channel_label: str = Field(description="缴费方式（中文）")
    online: bool = Field(description="是否网上支付（考点现场缴费的考区为 false）")
    payable: bool = Field(description="现在能否缴费（网上支付的考区可调用 start）")
    refusal: str = Field(description="不能缴费的原因；能缴费或已有结果时为空")
    order: OrderOut | None = Field(description="订单；尚未发起缴费时为 null")


class StartOut(Schema):
    order_no: str = Field(description="订单号")
    amount_fen: int = Field(description="支付金额（分）")
    cashier_url: str = Field(description="支付平台收银台地址：在浏览器或 WebView 中打开完成支付")


def _candidate(request):
    return getattr(request.user, "candidate", None)


def _lines(lines: list[dict]) -> list[LineOut]:
    return [LineOut(part=x["part"], label=x["label"], amount_fen=x["amount_fen"]) for x in lines]


def _order_out(order: Order) -> OrderOut:
    registration = order.registration
    return OrderOut(
        order_no=order.order_no, registration_id=registration.pk,
        registration_number=registration.number, exam=registration.exam.name,
        status=order.status, status_label=order.get_status_display(),
        amount_fen=order.amount_fen, items=_lines(order.items), deadline=order.deadline,
        paid_at=order.paid_at, trade_no=order.trade_no, channel=order.channel,
        channel_label=order.get_channel_display(),
    )  # fmt: skip


@router.get(
    "/orders",
    response={200: list[OrderOut], 403: ErrorOut},
    summary="我的缴费订单",
    description="当前考生全部报名的缴费订单及其状态，最新的在前。",
    openapi_extra=_described(200, 403),
)
def orders(request):
    candidate = _candidate(request)
    if candidate is None:
        return Status(403, {"detail": NOT_CANDIDATE})
    found = (
        Order.objects.filter(registration__candidate=candidate)
        .select_related("registration__exam")
        .order_by("-created_at", "-id")
    )
    return Status(200, [_order_out(order) for order in found])


@router.get(
    "/registrations/{registration_id}",
    response={200: PaymentPageOut, 403: ErrorOut, 404: ErrorOut},
    summary="报名的缴费信息",
    description=(
        "与缴费页面显示的内容相同：收费项目与合计、缴费截止时间、缴费方式、能否缴费及原因、订单。"
        "不是本人的报名返回 404。"
    ),
    openapi_extra=_described(200, 403, 404),
)
def registration(request, registration_id: int):
    candidate = _candidate(request)
    if candidate is None:
        return Status(403, {"detail": NOT_CANDIDATE})
    page = selectors.payment_page(candidate, registration_id)
    reg, order = page["registration"], page["order"]
    if order is not None:
        order.registration = reg  # the same row, already loaded
    return Status(
        200,
        PaymentPageOut(
            registration_id=reg.pk, registration_number=reg.number,
            registration_status=reg.status, registration_status_label=reg.get_status_display(),
            exam=reg.exam.name, category=reg.category.label, area=reg.site.area.name,
            site=reg.site.name, lines=_lines(page["lines"]), total_fen=page["total_fen"],
            deadline=page["deadline"], channel=page["channel"],
            channel_label=Channel(page["channel"]).label, online=page["online"],
            payable=page["payable"], refusal=page["refusal"],
            order=_order_out(order) if order is not None else None,
        ),
    )  # fmt: skip


@router.post(
    "/registrations/{registration_id}/start",
    response={
        200: StartOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        502: ErrorOut,
        503: ErrorOut,
    },
    summary="发起网上缴费",
    description=(
        "生成（或取回）订单并向支付平台下单，返回收银台地址；重复调用得到同一订单。"
        "支付结果以支付平台的异步通知为准，之后可查询“报名的缴费信息”。"
        "409：不能缴费（未审核通过、已缴费、已截止、未公布收费标准、考点现场缴费的考区等），"
        "detail 为原因；502：支付平台拒绝了请求；503：支付平台暂时无法访问（未扣款，可稍后重试）。"
    ),
    openapi_extra=_described(200, 403, 404, 409, 502, 503),
)
def start(request, registration_id: int):
    candidate = _candidate(request)
    if candidate is None:
        return Status(403, {"detail": NOT_CANDIDATE})
    try:
        started = services.payment_start(
            candidate=candidate,
            registration_pk=registration_id,
            notify_url=callback_url(request, reverse("payments:notify")),
            return_url=callback_url(request, reverse("payments:return")),
        )
    except services.PaymentError as error:
        return Status(ERROR_STATUS.get(error.code, 409), {"detail": error.message})
    except PlatformUnavailable as error:
        return Status(503, {"detail": error.message})
    return Status(200, StartOut(**dataclasses.asdict(started)))
