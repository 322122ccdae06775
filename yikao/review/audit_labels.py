"""The words staff read for audit rows: every action code that `audit_record` is called
with, every field name its `changes` hold, and every stored value that is a code (statuses,
roles, ID types). One table, so that a new action or field without a Chinese name is a
failing test (tests/review/test_audit_labels.py), not an English word on a staff page."""

import datetime
import functools
import re

ACTIONS = {
    "account.registered": "注册账户",
    "account.basic_info_corrected": "更正基本信息",
    "account.password_reset_by_staff": "工作人员重置密码",
    "account.password_changed": "修改密码",
    "account.password_recovered": "找回密码",
    "account.security_question_changed": "修改密码提示问题",
    "registration.submitted": "提交报名",
    "registration.abandoned": "放弃报考",
    "registration.redo_started": "放弃并重新报名",
    "registration.snapshot_corrected": "更正报名信息中的基本信息",
    "appointment.booked": "预约照片采集",
    "appointment.rescheduled": "改约采集时段",
    "appointment.cancelled": "取消采集预约",
    "appointment.cancelled_with_registration": "取消采集预约（报名已放弃或被退回）",
    "appointment.cancelled_by_site": "考点取消采集预约",
    "appointment.slots_created": "新增采集时段",
    "appointment.slot_changed": "修改采集时段",
    "appointment.slot_closed": "关闭采集时段",
    "appointment.checked_in": "采集签到",
    "appointment.no_show": "标记未到",
    "review.site_approved": "考点通过",
    "review.approved": "审核通过",
    "review.returned": "退回",
    "review.exported": "导出报名（证件号码已脱敏）",
    "review.exported_full_ids": "导出报名（完整证件号码）",
    "review.staff_logged_in": "工作人员登录",
    "review.staff_created": "创建工作人员账户",
    "review.full_id_viewed": "查看完整证件号码（更正基本信息页）",
    "documents.printed": "打印报名材料",
    "profile.submitted": "保存个人信息",
    "profile.work_updated": "更新工作信息",
    "profile.entry_locked": "锁定经历",
    "profile.entry_unlocked": "解锁经历",
    "profile.entry_verified": "验证经历",
    "profile.entry_unverified": "撤销验证",
    "photo.accepted": "上传照片",
    "directory.school_created": "新增学校（考生填写）",
    "directory.institution_created": "新增工作单位（考生填写）",
    "directory.institution_verified": "核实工作单位",
    "directory.institution_merged": "合并工作单位",
    "directory.institution_rejected": "驳回工作单位",
    "data.purged": "清理过期数据",
    "payment.order_created": "生成缴费订单",
    "payment.paid": "缴费",
    "payment.unpaid": "缴费截止未缴费（视为放弃）",
    "payment.refund_due": "记为待退款",
    "payment.notify_refused": "拒绝支付平台通知",
    "payment.query_refused": "拒绝支付查询结果",
    "payment.fee_changed": "修改收费标准",
    "payment.channel_changed": "修改缴费方式",
    "payment.refund_done": "办结退款",
    "payment.statement_imported": "导入对账单",
    "seating.assigned": "编排考场",
    "seating.room_added": "新增考场",
    "seating.room_changed": "修改考场",
    "seating.room_active_changed": "启用或停用考场",
    "seating.session_added": "新增考试场次",
    "seating.session_changed": "修改考试场次",
    "seating.access_marked": "标记需要无障碍座位",
    "seating.access_unmarked": "取消无障碍座位标记",
    "seating.sheet_downloaded": "下载签到表、门贴或桌贴",
    "seating.tickets_printed": "下载考点集中打印准考证",
}

# The groups of actions (the code's first part), for the audit viewer's filter.
GROUPS = {
    "review": "审核", "registration": "报名", "account": "账户", "profile": "个人信息",
    "photo": "照片", "appointment": "照片采集预约", "documents": "报名材料",
    "directory": "学校和单位目录", "data": "数据维护", "payment": "缴费", "seating": "考场编排",
}  # fmt: skip


def action_choices() -> list:
    """The filter's choices: each group (all its actions, by prefix), then its actions."""
    choices: list = [("", "全部操作")]
    for group, label in GROUPS.items():
        codes = [(code, name) for code, name in ACTIONS.items() if code.startswith(group + ".")]
        choices.append((label, [(group + ".", f"{label}：全部"), *codes]))
    return choices


# Field names that are no model field (or whose model field has no Chinese name).
_FIELDS = {
    "status": "状态", "number": "报名号", "site": "考点", "area": "考区", "role": "角色",
    "full_name": "姓名", "id_type": "证件类型", "id_number": "证件号码", "gender": "性别",
    "birth_date": "出生日期", "mobile": "手机号码", "email": "电子邮箱",
    "locked": "锁定", "verified": "已验证", "rows": "行数", "must_change_password": "须改密码",
    "current_photo": "照片", "sha256": "照片", "draft": "新报名草稿", "merged": "并入",
    "name": "名称", "kind": "类型", "province": "省份", "region": "所在地区",
    "affiliation": "隶属关系", "slot": "采集时段", "slots": "时段数", "exam": "考试",
    "educations": "教育经历", "trainings": "培训经历", "certificates": "资格证书",
    "works": "工作经历", "security_question": "密码提示问题", "ethnicity": "民族",
    "drafts": "报名草稿", "bookings_of_abandoned": "已放弃报名的采集预约",
    "abandoned_registrations": "已放弃的报名", "login_attempts": "登录尝试记录",
    "login_failures": "登录失败记录", "login_log": "登录日志", "expired_sessions": "过期会话",
    "amount_fen": "金额（分）", "amount": "金额（分）", "order_no": "订单号",
    "trade_no": "交易流水号", "reference": "交易流水号/票据号", "channel": "缴费方式",
    "reason": "原因", "merchant_id": "商户号", "category": "报考类别", "part": "收费项目",
    "fee_yuan": "金额（元）", "refund_status": "退款状态", "note": "说明",
    "statement_date": "对账日期", "matched": "核对一致", "mismatches": "不一致",
    "replaced": "替换此前结果",
    "code": "考场号", "capacity": "座位数", "columns": "每排座位数",
    "accessible_seats": "无障碍座位", "is_active": "启用", "place": "位置", "label": "场次",
    "starts_at": "开始时间", "ends_at": "结束时间", "units": "单元安排", "sheet": "资料",
    "rooms": "考场数", "placed": "已安排人数", "moved": "调整座位人数", "unplaced": "未能安排人数",
    "seed": "随机种子",
}  # fmt: skip

# Counts of a group of profile entries ({"created": 1, "updated": 0, "deleted": 0}).
_COUNTS = {"created": "新增", "updated": "修改", "deleted": "删除"}
# Values that only identify a record: shown as what happened, never as the id or hash.
_OPAQUE = {"sha256", "current_photo", "draft"}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@functools.cache
def field_labels() -> dict[str, str]:
    """The table above, completed with the Chinese verbose_name of the models' fields
    (read when first asked, once the app registry is ready)."""
    from yikao.accounts.models import Candidate
    from yikao.appointments.models import Booking, Slot
    from yikao.profiles.models import Profile
    from yikao.registrations.models import Registration

    labels = {}
    for model in (Candidate, Profile, Registration, Slot, Booking):
        for f in model._meta.get_fields():
            verbose = str(getattr(f, "verbose_name", ""))
            if _CJK.search(verbose):
                labels.setdefault(f.name, verbose)
    return {**labels, **_FIELDS}


@functools.cache
def value_labels() -> dict[str, dict]:
    """Per field, the words for its stored codes."""
    from yikao.accounts.identity import GENDER_LABELS, ID_TYPE_LABELS
    from yikao.appointments.models import BookingStatus
    from yikao.payments.models import Channel, Part, RefundReason, RefundStatus
    from yikao.profiles.models import Profile
    from yikao.registrations.models import Status
    from yikao.staff.models import Role

    return {
        "status": {**dict(Status.choices), **dict(BookingStatus.choices)},
        "role": dict(Role.choices),
        "channel": dict(Channel.choices),
        "part": dict(Part.choices),
        "reason": dict(RefundReason.choices),
        "refund_status": dict(RefundStatus.choices),
        "id_type": {str(k): v for k, v in ID_TYPE_LABELS.items()},
        "gender": {str(k): v for k, v in GENDER_LABELS.items()},
        **{
            f.name: {str(k): str(v) for k, v in f.choices}
            for f in Profile._meta.get_fields()
            if getattr(f, "choices", None)
        },
    }


def action_label(action: str) -> str:
    return ACTIONS.get(action, "其他操作")


def field_label(name: str) -> str:
    return field_labels().get(name, "其他信息")


def value_text(name: str, value) -> str:
    """A stored value as staff read it."""
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):  # before the lookups: 0 == False would read "否"
        return "是" if value else "否"
    if isinstance(value, dict):  # a sealed personal value keeps its masked form
        return str(value.get("masked", "***"))
    if isinstance(value, list):
        return "、".join(value_text(name, v) for v in value)
    if isinstance(value, str):
        known = value_labels().get(name, {}).get(value)
        if known is not None:
            return known
        day = _ISO_DAY.fullmatch(value)
        if day:
            return _day(datetime.date(*map(int, day.groups())))
        stamp = _timestamp(value)
        if stamp is not None:
            return stamp
    return str(value)


def _day(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _timestamp(value: str) -> str | None:
    """An ISO date-time (a slot's start, as changes keep it) in local time, else None."""
    from django.utils import timezone

    if "T" not in value and " " not in value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{_day(moment.date())} {moment:%H:%M}"


def change_text(action: str, name: str, change) -> str:
    """One entry of `changes` as a phrase: 状态：已提交 → 考点通过."""
    label = field_label(name)
    if isinstance(change, dict) and set(change) <= set(_COUNTS) and change:
        done = [f"{_COUNTS[k]}{n}条" for k, n in change.items() if n]
        return f"{label}：{'、'.join(done) or '无变化'}"
    if not isinstance(change, dict):
        return f"{label}：{value_text(name, change)}"
    old, new = change.get("old"), change.get("new")
    if name in _OPAQUE:
        return {"sha256": "（首次上传照片）" if old is None else "（已更换照片）",
                "draft": "（已生成新的报名草稿）"}.get(name, "")  # fmt: skip
    if action in ("review.exported", "review.exported_full_ids") and name == "rows":
        return f"导出报名 {new if isinstance(new, int) else 0} 行"
    if old is None and new is not None:
        return f"{label}：{value_text(name, new)}"
    return f"{label}：{value_text(name, old)} → {value_text(name, new)}"


def summary(action: str, changes: dict) -> str:
    parts = (change_text(action, name, change) for name, change in (changes or {}).items())
    return "；".join(p for p in parts if p)
