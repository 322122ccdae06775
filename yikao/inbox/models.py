"""站内消息: what the system told a candidate, kept so it can be read again after login."""

from django.db import models

from yikao.accounts.models import Candidate


class Message(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="messages")
    # The registration it is about; kept when the registration is purged later.
    registration = models.ForeignKey(
        "registrations.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["candidate", "-id"], name="inbox_candidate_recent"),
            # The unread count on 首页: a partial index over the few unread rows.
            models.Index(
                fields=["candidate"],
                condition=models.Q(read_at__isnull=True),
                name="inbox_candidate_unread",
            ),
        ]
        verbose_name = verbose_name_plural = "站内消息"

    def __str__(self) -> str:
        return self.title
