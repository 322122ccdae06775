"""Registrations (submitted snapshots) and the wizard's server-side drafts."""

from enum import nonmember

from django.db import models
from django.db.models import Q
from django.db.models.fields.json import KeyTransform

from yikao.accounts.models import Candidate
from yikao.exams.models import Exam, ExamCategory, ExamSite
from yikao.profiles.models import Certificate, Education, Training
from yikao.registrations.schema import DraftData, Snapshot


class Status(models.TextChoices):
    """A registration's states; the moves between them are in registrations.lifecycle."""

    SUBMITTED = "submitted", "已提交"
    SITE_APPROVED = "site_approved", "考点通过"
    APPROVED = "approved", "审核通过"  # and 待缴费: the fees are due (yikao.payments)
    PAID = "paid", "已缴费"
    RETURNED = "returned", "已退回"
    ABANDONED = "abandoned", "已放弃"
    UNPAID = "unpaid", "未缴费（视为放弃）"  # the payment deadline passed: counts as giving up

    # The states that end a registration: its seat is free again.
    ENDED = nonmember(frozenset({"abandoned", "unpaid"}))

    # The groups the apps ask about, declared once (members compare equal to their values).
    ACTIVE = nonmember(frozenset({"submitted", "site_approved", "approved", "paid", "returned"}))
    AWAITING_SITE = nonmember(frozenset({"submitted"}))  # the 考点's queue
    # A site may also pass a registration it (or the 考区) returned, once the candidate
    # has fixed what the return asked for at the counter.
    SITE_OPEN = nonmember(frozenset({"submitted", "returned"}))
    AWAITING_AREA = nonmember(frozenset({"site_approved"}))  # the 考区's queue
    UNDER_REVIEW = nonmember(frozenset({"submitted", "site_approved"}))
    # Passed by the site at least: the candidate may book on-site collection.
    BOOKABLE = nonmember(frozenset({"site_approved", "approved", "paid"}))
    # The states that end the registration's collection booking.
    ENDS_BOOKING = nonmember(frozenset({"returned", "abandoned", "unpaid"}))


# Status.ACTIVE as a filter, written as "not ended" (the partial unique constraint and the
# indexes are built on it; the lifecycle test checks it agrees with Status.ACTIVE).
ACTIVE = ~Q(status__in=sorted(Status.ENDED))


class Draft(models.Model):
    """Where a candidate is in the wizard, so a closed browser resumes there."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="drafts")
    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(ExamCategory, on_delete=models.CASCADE, related_name="+")
    step = models.PositiveSmallIntegerField(default=1)
    data = models.JSONField(default=dict, blank=True)
    # Sent with the final form: a second submit with the same token returns the same
    # registration instead of a refusal (double click, resubmitted form).
    token = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "exam"], name="registrations_one_draft"),
        ]

    def __str__(self) -> str:
        return f"草稿 {self.category_id} 第{self.step}步"

    @property
    def fields(self) -> DraftData:
        """`data` read through its typed schema (registrations.schema)."""
        return DraftData.read(self.data)


class Registration(models.Model):
    exam = models.ForeignKey(Exam, on_delete=models.PROTECT, related_name="registrations")
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="registrations")
    category = models.ForeignKey(ExamCategory, on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey(ExamSite, on_delete=models.PROTECT, related_name="registrations")
    number = models.CharField("报名号", max_length=20)
    status = models.CharField(
        "状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    status_reason = models.TextField("退回原因", blank=True)
    # Everything the registration relied on, copied at submission: later profile edits
    # change nothing here.
    snapshot = models.JSONField(default=dict)
    eligibility = models.JSONField(default=dict)
    documents = models.JSONField(default=list)
    add_ons = models.JSONField(default=list)
    photo_sha256 = models.CharField(max_length=64, blank=True)
    # The profile entries it uses, so that abandoning unlocks exactly those no other
    # active registration still uses.
    educations = models.ManyToManyField(Education, related_name="registrations", blank=True)
    trainings = models.ManyToManyField(Training, related_name="registrations", blank=True)
    certificates = models.ManyToManyField(Certificate, related_name="registrations", blank=True)
    submit_token = models.CharField(max_length=32)
    submitted_at = models.DateTimeField(auto_now_add=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    # A returned registration the candidate gave up to register again (放弃并重新报名).
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "exam"], condition=ACTIVE, name="registrations_one_active"
            ),
            models.UniqueConstraint(fields=["exam", "number"], name="registrations_number_unique"),
        ]
        indexes = [
            models.Index(fields=["exam", "site", "status"]),
            # The staff queue pages by id, newest first, within a site (keyset paging).
            models.Index(fields=["site", "-id"], name="registrations_site_recent"),
            models.Index(fields=["site", "status", "-id"], name="registrations_site_status"),
            models.Index(fields=["candidate", "-submitted_at"]),
            # The staff queue's 单位 filter by directory code (an exact match of the
            # submitted snapshot's work_unit_code, review.selectors.queue_queryset).
            models.Index(
                KeyTransform("work_unit_code", KeyTransform("work", "snapshot")),
                name="registrations_work_unit",
            ),
        ]
        verbose_name = verbose_name_plural = "报名"

    def __str__(self) -> str:
        return f"{self.number} {self.category.label}"

    @property
    def snap(self) -> Snapshot:
        """`snapshot` read through its typed, versioned schema (registrations.schema).
        Parsed on each access (tens of microseconds), so it never lags the column; bind it
        once where it is read many times ({% with s=registration.snap %})."""
        return Snapshot.read(self.snapshot)

    @property
    def is_active(self) -> bool:
        return self.status not in Status.ENDED
