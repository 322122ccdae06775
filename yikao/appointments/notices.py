"""The texts candidates receive about their booking; built and sent after commit."""

from yikao.appointments.models import Booking
from yikao.appointments.selectors import site_setting, slot_label
from yikao.inbox.senders import Notice
from yikao.inbox.services import message_post

SUBJECTS = {
    "booked": "信息采集预约成功",
    "rescheduled": "信息采集预约已改约",
    "cancelled": "信息采集预约已取消",
    "slot_changed": "信息采集时间或地点有变更",
    "slot_closed": "信息采集时段已取消，请重新预约",
    "registration_abandoned": "信息采集预约已取消",
    "registration_returned": "信息采集预约已取消",
    "registration_unpaid": "信息采集预约已取消",
}


REGISTRATION_ENDED_KINDS = (
    "registration_abandoned",
    "registration_returned",
    "registration_unpaid",
)


def build(kind: str, booking: Booking, *, before: str = "", reason: str = "") -> Notice:
    slot, site = booking.slot, booking.slot.site
    when = slot_label(slot)
    where = "，".join(p for p in (site.name, slot.place, site.address) if p)
    lead = {
        "booked": f"您已预约 {when} 在 {where} 现场信息采集（拍照、指纹、签字）。",
        "rescheduled": f"您的现场信息采集已由 {before} 改为 {when}，地点：{where}。",
        "cancelled": f"您已取消 {when} 的现场信息采集预约。如需采集，请重新预约。",
        "slot_changed": f"考点调整了您预约的采集时段：原 {before}，现为 {when}，地点：{where}。",
        "slot_closed": f"考点取消了 {when} 的采集时段（{reason}），您的预约已取消，请登录后重新预约。",
        "registration_abandoned": f"您已放弃报考，{when} 的现场信息采集预约已随之取消。",
        "registration_unpaid": f"您未在截止时间前缴费，视为放弃报考，{when} 的现场信息采集预约已随之取消。",
        "registration_returned": f"您的报名已被退回，{when} 的现场信息采集预约已随之取消。请按退回原因处理，报名重新通过审核后再预约。",
    }[kind]
    code_line = f"预约码：{booking.display_code}。" if kind in ("booked", "rescheduled", "slot_changed") else ""  # fmt: skip
    instructions = site_setting(site).instructions
    body = "\n\n".join(p for p in (lead, code_line, instructions, "—— 医考考生服务系统") if p)
    short = f"【医考】{lead}{code_line}"
    return Notice(
        kind=kind,
        subject=f"【医考】{SUBJECTS[kind]}",
        body=body,
        short=short,
        email=booking.candidate.email,
        mobile=booking.candidate.mobile,
    )


def send(kind: str, booking_pk: int, *, before: str = "", reason: str = "") -> None:
    """Kept in the candidate's 站内消息 and sent by SMS/e-mail. A booking cancelled because
    its registration was returned or abandoned is only kept: the registration's own
    message (inbox.notify) already told the candidate, booking included."""
    booking = Booking.objects.select_related("slot__site", "candidate").get(pk=booking_pk)
    message_post(
        candidate=booking.candidate,
        notice=build(kind, booking, before=before, reason=reason),
        registration_id=booking.registration_id,
        send=kind not in REGISTRATION_ENDED_KINDS,
    )
