"""Audit rows in words staff read: 考点通过, 状态：已提交 → 考点通过."""

from yikao.core.models import AuditEntry
from yikao.registrations.models import Status

ACTIONS = {
    "account.registered": "注册账户",
    "account.basic_info_corrected": "更正基本信息",
    "account.password_reset_by_staff": "工作人员重置密码",
    "account.password_changed": "修改密码",
    "account.password_recovered": "找回密码",
    "registration.submitted": "提交报名",
    "registration.abandoned": "放弃报考",
    "registration.snapshot_corrected": "更正报名信息中的基本信息",
    "appointment.cancelled_with_registration": "取消采集预约（报名已放弃或被退回）",
    "review.site_approved": "考点通过",
    "review.approved": "审核通过",
    "review.returned": "退回",
    "review.exported": "导出（证件号码已脱敏）",
    "review.exported_full_ids": "导出（完整证件号码）",
    "review.staff_logged_in": "工作人员登录",
    "review.staff_created": "创建工作人员账户",
    "review.full_id_viewed": "查看完整证件号码（更正基本信息页）",
    "documents.printed": "打印报名材料",
    "profile.entry_locked": "锁定经历",
    "profile.entry_unlocked": "解锁经历",
    "profile.entry_verified": "验证经历",
    "profile.entry_unverified": "撤销验证",
}
FIELDS = {
    "status": "状态", "number": "报名号", "site": "考点", "full_name": "姓名",
    "id_type": "证件类型", "id_number": "证件号码", "gender": "性别", "birth_date": "出生日期",
    "locked": "锁定", "verified": "已验证", "rows": "行数", "must_change_password": "须改密码",
}  # fmt: skip
VALUES = {**dict(Status.choices), True: "是", False: "否", None: "—", "": "—"}


def _value(value) -> str:
    if isinstance(value, dict):
        return str(value.get("masked", "***"))
    try:
        return str(VALUES.get(value, value))
    except TypeError:  # an unhashable value
        return str(value)


def describe(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Sets .label and .summary on each row (for templates)."""
    for entry in entries:
        entry.label = ACTIONS.get(entry.action, entry.action)
        entry.summary = "；".join(
            f"{FIELDS.get(name, name)}：{_value(change.get('old'))} → {_value(change.get('new'))}"
            for name, change in (entry.changes or {}).items()
            if isinstance(change, dict)
        )
    return entries
