"""On-site collection (预约信息采集): per-site settings, slots and bookings.

Invariants: one active booking per registration (a partial unique constraint); a slot's
bookings never exceed its capacity (services lock the slot row and count rows); a booking
code is unique.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yikao.accounts.models import Candidate
from yikao.exams.models import Exam, ExamSite
from yikao.registrations.models import Registration


class SiteSetting(models.Model):
    """A site's rules for collection days; a site without a row uses the defaults."""

    DEFAULT_CUTOFF_HOURS = 24

    site = models.OneToOneField(
        ExamSite, on_delete=models.CASCADE, related_name="appointment_setting"
    )
    cutoff_hours = models.PositiveSmallIntegerField(
        "预约、改约和取消截止（开始前小时数）",
        default=DEFAULT_CUTOFF_HOURS,
        help_text="例如 24：采集开始前 24 小时起不能再预约、改约或取消。",
    )
    instructions = models.TextField(
        "采集须知", blank=True, help_text="显示在预约确认页，如携带材料、到达时间。"
    )

    class Meta:
        verbose_name = verbose_name_plural = "考点采集设置"

    def __str__(self) -> str:
        return f"{self.site} 截止 {self.cutoff_hours} 小时"


class Slot(models.Model):
    """A time range on a day at a site with a number of seats."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="collection_slots")
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="collection_slots")
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("采集地点", max_length=60, blank=True)
    capacity = models.PositiveIntegerField("名额")
    # Empty: open to all. Otherwise only these category codes ("110") / these county or
    # city code prefixes ("410102", "4101") of the candidate's work unit.
    category_codes = models.JSONField("限报考类别代码", default=list, blank=True)
    counties = models.JSONField("限县区代码", default=list, blank=True)
    is_closed = models.BooleanField("已关闭", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "place", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="appointments_slot_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["exam", "site", "starts_at", "place"], name="appointments_slot_unique"
            ),
        ]
        indexes = [models.Index(fields=["site", "exam", "starts_at"])]
        verbose_name = verbose_name_plural = "采集时段"

    def __str__(self) -> str:
        return f"{self.site} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_reserved(self) -> bool:
        return bool(self.category_codes or self.counties)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    NO_SHOW = "no_show", "未到"
    CANCELLED = "cancelled", "已取消"


# Every booking but a cancelled one holds its seat.
ACTIVE = ~Q(status=BookingStatus.CANCELLED)


class Booking(models.Model):
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="collection_bookings"
    )
    # Denormalised from the registration: every candidate query is scoped on it.
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="collection_bookings"
    )
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings")
    code = models.CharField("预约码", max_length=12, unique=True)
    status = models.CharField(
        "状态", max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    cancel_reason = models.CharField("取消原因", max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["slot__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], condition=ACTIVE, name="appointments_one_active_booking"
            ),
        ]
        indexes = [models.Index(fields=["slot", "status"])]
        verbose_name = verbose_name_plural = "采集预约"

    def __str__(self) -> str:
        return f"{self.display_code} {self.get_status_display()}"

    @property
    def display_code(self) -> str:
        return f"{self.code[:4]}-{self.code[4:]}"

    @property
    def is_active(self) -> bool:
        return self.status != BookingStatus.CANCELLED
