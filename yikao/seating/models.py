"""Exam sessions, the rooms of a 考点, and the seat (with its 准考证号) of each paid
registration in each part of the exam (issue 21; docs/seating.md).

A part is sat in one sitting per candidate: the 医学综合 in one session covering its units
(the candidate keeps the seat for every unit), the 实践技能 in one of the half-day sessions
at the base. Assignment places every paid registration of a site into (session, room,
seat) slots; `seating.assign` is the pure algorithm, `seating.services` the Django side.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from yikao.exams.models import Exam, ExamSite
from yikao.registrations.models import Registration


class Part(models.TextChoices):
    SKILLS = "skills", "实践技能考试"
    WRITTEN = "written", "医学综合考试"


# The digit of the part inside a 准考证号 (docs/seating.md).
PART_DIGITS = {Part.SKILLS: "1", Part.WRITTEN: "2"}


class Session(models.Model):
    """One sitting of a part at a site: a half-day of the skills exam, or the whole
    医学综合 (its units are printed on the ticket from `units`)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="+")
    part = models.CharField("考试部分", max_length=10, choices=Part.choices)
    # Printed in the 准考证号: fixed when the session is made, so adding a session later
    # never renumbers the tickets of the others.
    number = models.PositiveSmallIntegerField(
        "场次号", validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    label = models.CharField("场次", max_length=40)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    # [{"name": "第一单元", "starts_at": ISO, "ends_at": ISO}, …]; empty for a skills half-day.
    units = models.JSONField("单元安排", default=list, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "site", "part", "number"], name="seating_session_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="seating_session_ends_after_start",
            ),
        ]
        verbose_name = verbose_name_plural = "考试场次"

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.label}"


class Room(models.Model):
    """A 考场 of a site: seats 1..capacity, `columns` to a row; accessible seats listed."""

    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="rooms")
    code = models.CharField("考场号", max_length=3, help_text="三位数字，如 001；印在准考证号中。")
    name = models.CharField("考场名称", max_length=40)
    place = models.CharField("位置", max_length=80, blank=True, help_text="楼栋、楼层、房间号")
    capacity = models.PositiveSmallIntegerField(
        "座位数", validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    columns = models.PositiveSmallIntegerField(
        "每排座位数", default=6, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )
    accessible_seats = models.JSONField("无障碍座位", default=list, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["site", "code"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="seating_room_code_unique"),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=99),
                name="seating_room_capacity_range",
            ),
        ]
        verbose_name = verbose_name_plural = "考场"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AccessNeed(models.Model):
    """A registration that must sit in an accessible seat (recorded by the site's staff at
    the 现场审核, where the candidate shows the need)."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="access_need"
    )
    note = models.CharField("说明", max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "无障碍座位需求"

    def __str__(self) -> str:
        return self.note or "需要无障碍座位"


class Run(models.Model):
    """One assignment of a site's part: its seed (to reproduce it) and what it did."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="+")
    part = models.CharField(max_length=10, choices=Part.choices)
    seed = models.BigIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    placed = models.PositiveIntegerField(default=0)
    moved = models.JSONField(default=list)  # registration ids whose seat changed
    unplaced = models.JSONField(default=list)  # registration ids without a seat
    conflicts = models.PositiveIntegerField(default=0)  # same-unit neighbours left

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "编排记录"

    def __str__(self) -> str:
        return f"{self.site} {self.get_part_display()} #{self.pk}"


class Seat(models.Model):
    """A registration's seat in one part: session, room, seat number, 准考证号."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="seats")
    part = models.CharField(max_length=10, choices=Part.choices)
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="seats")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="seats")
    number = models.PositiveSmallIntegerField("座位号")
    ticket_no = models.CharField("准考证号", max_length=20, unique=True)
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "part"], name="seating_one_seat_a_part"
            ),
            models.UniqueConstraint(
                fields=["session", "room", "number"], name="seating_one_candidate_a_seat"
            ),
        ]
        verbose_name = verbose_name_plural = "座位"

    def __str__(self) -> str:
        return self.ticket_no


class Release(models.Model):
    """When candidates may open their tickets of one part (about a week before the exam)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    part = models.CharField("考试部分", max_length=10, choices=Part.choices)
    opens_at = models.DateTimeField("准考证打印开始时间")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "part"], name="seating_one_release_a_part")
        ]
        verbose_name = verbose_name_plural = "准考证开放时间"

    def __str__(self) -> str:
        return f"{self.get_part_display()} {self.opens_at:%Y-%m-%d %H:%M}"


class PrintMode(models.TextChoices):
    SELF = "self", "考生自行打印"
    CENTRAL = "central", "考点集中打印"


class SiteTickets(models.Model):
    """How a site hands out tickets (the 考点 decides); without a row: 自行打印."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField("打印方式", max_length=10, choices=PrintMode.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "site"], name="seating_one_print_mode")
        ]
        verbose_name = verbose_name_plural = "准考证打印方式"

    def __str__(self) -> str:
        return self.get_mode_display()


class CheckOutcome(models.TextChoices):
    OK = "ok", "核验通过"
    WRONG_ROOM = "wrong_room", "考场不符"
    WRONG_SESSION = "wrong_session", "场次不符"


class CheckIn(models.Model):
    """A ticket checked at a room's door by staff (every scan of a real ticket is kept:
    the first OK is the check-in; warnings show who tried the wrong door)."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="check_ins")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="+")  # where scanned
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["room", "session", "-checked_at"])]
        verbose_name = verbose_name_plural = "入场核验"

    def __str__(self) -> str:
        return f"{self.seat} {self.get_outcome_display()}"
