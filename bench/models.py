from django.db import models


class CeilingRow(models.Model):
    """One row per request of the ceiling reference view."""

    payload = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "bench"

    def __str__(self) -> str:
        return self.payload
