"""The review decisions taken (one row per decision); who may review what is
yikao.staff (StaffScope)."""

from django.conf import settings
from django.db import models

from yikao.registrations.models import Registration
from yikao.staff.models import Role


class Decision(models.Model):
    """One review decision; the queue's history and the dashboard's throughput read it.

    The audit log records the same act (who, when, before/after); this table is the
    domain record, indexed for per-registration and per-day reads.
    """

    class Action(models.TextChoices):
        SITE_APPROVED = "site_approved", "考点通过"
        APPROVED = "approved", "审核通过"
        RETURNED = "returned", "退回"

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="review_decisions"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    action = models.CharField(max_length=16, choices=Action.choices)
    old_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["registration", "-created_at"]),
            models.Index(fields=["created_at"]),
        ]
        verbose_name = verbose_name_plural = "审核决定"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.registration_id}"
