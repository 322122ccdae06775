"""Fees and their payment: the fee schedule (收费标准), the per-province channel, the
order of one registration, the payments that took money for it, refunds, and what the
daily statement did not agree with.

Amounts are integers in 分 everywhere (the platforms' unit); `yuan()` formats them.
"""

from django.conf import settings
from django.db import models

from yikao.exams.models import Exam, ExamArea, ExamCategory
from yikao.registrations.models import Registration


def yuan(fen: int) -> str:
    """24000 → "240.00"."""
    return f"{fen // 100}.{fen % 100:02d}"


class Part(models.TextChoices):
    """The fee items: the two parts of the exam are charged separately."""

    SKILLS = "skills", "实践技能考试费"
    WRITTEN = "written", "医学综合考试费"


class FeeItem(models.Model):
    """One line of a province's fee schedule for one exam category (category × level),
    entered by national or province staff. The amount is copied into an order when the
    order is made, so a later change never alters what a candidate was asked to pay."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(ExamArea, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ExamCategory, on_delete=models.CASCADE, related_name="+")
    part = models.CharField("收费项目", max_length=10, choices=Part.choices)
    amount_fen = models.PositiveIntegerField("金额（分）")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "area", "category", "part"], name="payments_one_fee_item"
            ),
        ]
        verbose_name = verbose_name_plural = "收费标准"

    def __str__(self) -> str:
        return f"{self.get_part_display()} {yuan(self.amount_fen)}元"


class Channel(models.TextChoices):
    ONLINE = "online", "网上支付"
    COUNTER = "counter", "考点现场缴费"


class AreaChannel(models.Model):
    """How a province collects the fees of one exam; without a row: online."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(ExamArea, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField("缴费方式", max_length=10, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "area"], name="payments_one_channel"),
        ]
        verbose_name = verbose_name_plural = "考区缴费方式"

    def __str__(self) -> str:
        return self.get_channel_display()


class OrderStatus(models.TextChoices):
    PENDING = "pending", "待支付"
    PAID = "paid", "已支付"
    CLOSED = "closed", "已关闭"
    REFUNDED = "refunded", "已退款"


class Order(models.Model):
    """What one registration owes, frozen when the candidate first opens the payment.

    One order per registration and round ("first": the fees due after 审核通过; a later
    round, such as the 二试, adds its own). Its lines are the fee items (`items`, a list
    of {part, label, amount_fen}); `order_no` is derived from the registration number, so
    two tabs or two servers creating it at once make one row (the unique constraints)."""

    FIRST = "first"

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="orders")
    round = models.CharField(max_length=10, default=FIRST)
    order_no = models.CharField("订单号", max_length=32, unique=True)
    items = models.JSONField("收费项目")
    amount_fen = models.PositiveIntegerField("金额（分）")
    channel = models.CharField("缴费方式", max_length=10, choices=Channel.choices)
    status = models.CharField(
        "状态", max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    deadline = models.DateTimeField("缴费截止")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField("支付时间", null=True, blank=True)
    trade_no = models.CharField("交易流水号", max_length=64, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "round"], name="payments_one_order"),
        ]
        indexes = [models.Index(fields=["status", "deadline"])]
        verbose_name = verbose_name_plural = "缴费订单"

    def __str__(self) -> str:
        return f"{self.order_no} {self.get_status_display()}"

    @property
    def amount_yuan(self) -> str:
        return yuan(self.amount_fen)


class Source(models.TextChoices):
    NOTIFY = "notify", "支付平台通知"
    RETURN = "return", "支付返回"
    QUERY = "query", "主动查询"
    COUNTER = "counter", "考点现场登记"
    STATEMENT = "statement", "对账单"


class Payment(models.Model):
    """Money that reached us for an order: a platform trade or a counter receipt (票据号).

    The reference is unique per channel, so the same trade told twice (a repeated
    notification, the return redirect, a query, the statement) is recorded once."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    reference = models.CharField("交易流水号/票据号", max_length=64)
    amount_fen = models.PositiveIntegerField("金额（分）")
    paid_at = models.DateTimeField("支付时间")
    source = models.CharField(max_length=10, choices=Source.choices)
    notify_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "reference"], name="payments_one_trade"),
        ]
        verbose_name = verbose_name_plural = "支付记录"

    def __str__(self) -> str:
        return f"{self.reference} {yuan(self.amount_fen)}元"


class RefundReason(models.TextChoices):
    DUPLICATE = "duplicate", "重复缴费"
    AFTER_CLOSE = "after_close", "订单关闭后缴费"


class RefundStatus(models.TextChoices):
    PENDING = "pending", "待退款"
    DONE = "done", "已退款"


class Refund(models.Model):
    """A payment we must give back; staff complete it once the money is returned."""

    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, related_name="refund")
    reason = models.CharField("原因", max_length=12, choices=RefundReason.choices)
    amount_fen = models.PositiveIntegerField("金额（分）")
    status = models.CharField(
        "状态", max_length=10, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField("退款说明", max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "-created_at"])]
        verbose_name = verbose_name_plural = "退款"

    def __str__(self) -> str:
        return f"{self.get_reason_display()} {yuan(self.amount_fen)}元 {self.get_status_display()}"


class MismatchKind(models.TextChoices):
    PLATFORM_ONLY = "platform_only", "平台有、本系统无"
    OURS_ONLY = "ours_only", "本系统有、平台无"
    AMOUNT = "amount", "金额不一致"


class StatementImport(models.Model):
    """One day's statement from the platform, matched against our payments."""

    date = models.DateField("对账日期")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-date", "-imported_at"]
        # One result per day: a re-import replaces it; two at once cannot both stand.
        constraints = [
            models.UniqueConstraint(fields=["date"], name="payments_one_statement_a_day")
        ]
        verbose_name = verbose_name_plural = "对账记录"

    def __str__(self) -> str:
        return f"{self.date} 对账单"


class Mismatch(models.Model):
    statement = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="mismatches"
    )
    kind = models.CharField(max_length=16, choices=MismatchKind.choices)
    order_no = models.CharField(max_length=32)
    trade_no = models.CharField(max_length=64, blank=True)
    # The order's site, when the order is ours: staff see mismatches in their scope.
    order = models.ForeignKey(
        Order, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ours_fen = models.PositiveIntegerField(null=True, blank=True)
    theirs_fen = models.PositiveIntegerField(null=True, blank=True)
    # The platform's payment time of its row (what 按对账单补记 records).
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["statement", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.order_no}"
