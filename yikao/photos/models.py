import secrets

from django.db import models

from yikao.accounts.models import Candidate


def photo_upload_to(instance: "CandidatePhoto", filename: str) -> str:
    """A random name: the path never carries the candidate's name or ID number."""
    return f"photos/{secrets.token_hex(16)}.jpg"


class CandidatePhoto(models.Model):
    """A candidate's ID photo, stored only after its Yikao mark verified.

    The file lives in the default storage but is never served from MEDIA_URL: the owner
    (and later staff) get it through views that check who is asking.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to=photo_upload_to, max_length=100)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveIntegerField()
    profile_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    # Earlier photos stay for the record; exactly the newest accepted one is current.
    is_current = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["candidate"],
                condition=models.Q(is_current=True),
                name="photos_one_current_per_candidate",
            ),
        ]
        indexes = [models.Index(fields=["candidate", "-created_at"])]
        ordering = ["-created_at", "-id"]
        verbose_name = "考生照片"
        verbose_name_plural = "考生照片"

    def __str__(self) -> str:
        return f"照片 {self.pk}（{self.width}×{self.height}，{self.byte_size} 字节）"
