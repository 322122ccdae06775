"""The candidate hears of every move of their registration: a 站内消息, an SMS, an e-mail.

Built from the registration's own fields (exam, category, number, site) and, for a
return, the staff member's reason with any ID or mobile number in it blanked: a message
never carries an ID number.
"""

from yikao.core.redaction import redact
from yikao.inbox.senders import Notice
from yikao.inbox.services import message_post

SIGNATURE = "—— 医考考生服务系统"

# appointments cancels the collection booking with the move and keeps its own notice in
# the list without a second SMS; this one sentence covers it.
BOOKING_ENDED = "如已预约现场信息采集，预约已随之取消。"

# move name → (title, the sentence after "您的<exam>（<category>）报名（报名号 N）")
TEXTS = {
    "submit": ("报名已提交", "已提交。请打印报名申请表，按考点安排参加现场审核。"),
    "site_approve": (
        "考点审核已通过",
        "已通过{site}的考点审核，等待考区审核。您现在可以预约现场信息采集。",
    ),
    "area_approve": (
        "报名审核通过，请缴费",
        "已通过审核。请在“考试报名”中按页面所示金额缴费，逾期未缴费视为放弃。",
    ),
    "pay": ("缴费成功", "已缴费，报名完成。缴费凭证可在“考试报名”中下载。请留意准考证打印的通知。"),
    "expire": (
        "未缴费，视为放弃",
        "在缴费截止时仍未缴费，按规定视为放弃报考，考位已释放。" + BOOKING_ENDED,
    ),
    "site_return": (
        "报名被考点退回",
        "被{site}退回。退回原因：{reason}。请按原因处理；如需更改报名信息，"
        "可在“考试报名”中选择“放弃并重新报名”。" + BOOKING_ENDED,
    ),
    "area_return": (
        "报名被考区退回",
        "被考区退回。退回原因：{reason}。请按原因处理；如需更改报名信息，"
        "可在“考试报名”中选择“放弃并重新报名”。" + BOOKING_ENDED,
    ),
    "abandon": (
        "已放弃报考",
        "已放弃，考位已释放。" + BOOKING_ENDED + "如非本人操作，请立即修改密码并联系考点。",
    ),
}


def build(registration, move_name: str, *, reason: str = "") -> Notice:
    title, rest = TEXTS[move_name]
    candidate = registration.candidate
    subject = (
        f"您的{registration.exam.name}（{registration.category.label}）"
        f"报名（报名号 {registration.number}）"
    )
    sentence = subject + rest.format(
        site=registration.site.name, reason=redact(reason).rstrip("。.；; ")
    )
    return Notice(
        kind=f"registration.{move_name}",
        subject=f"【医考】{title}",
        body=f"{sentence}\n\n{SIGNATURE}",
        short=f"【医考】{sentence}",
        email=candidate.email,
        mobile=candidate.mobile,
    )


def on_registration_moved(*, registration, move, reason: str = "", **_) -> None:
    """registrations.lifecycle.moved: runs inside the move's transaction."""
    if move.name not in TEXTS:
        return
    message_post(
        candidate=registration.candidate,
        notice=build(registration, move.name, reason=reason),
        registration_id=registration.pk,
    )
