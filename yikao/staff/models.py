"""A staff login's role and reach (考点, 考区 or 全国)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from yikao.exams.models import ExamArea, ExamSite


class Role(models.TextChoices):
    SITE = "site", "考点工作人员"
    AREA = "area", "考区工作人员"
    NATIONAL = "national", "国家管理员"


class StaffScope(models.Model):
    """A staff login's role and the one site or province it works for.

    Every staff query is filtered by this row (selectors.registrations_in_scope), so the
    scope lives in the query, never in a check after the fact.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_scope"
    )
    role = models.CharField("角色", max_length=10, choices=Role.choices)
    site = models.ForeignKey(
        ExamSite, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        ExamArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # May export full ID numbers (otherwise masked); every full export is audited.
    full_id_export = models.BooleanField("可导出完整证件号码", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Moved from the review app with its rows: the table keeps its name.
        db_table = "review_staffscope"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role="site", site__isnull=False, area__isnull=True)
                    | Q(role="area", site__isnull=True, area__isnull=False)
                    | Q(role="national", site__isnull=True, area__isnull=True)
                ),
                name="review_scope_matches_role",
            ),
        ]
        verbose_name = verbose_name_plural = "工作人员权限范围"

    def __str__(self) -> str:
        place = self.site or self.area or "全国"
        return f"{self.get_role_display()} · {place}"

    @property
    def place_label(self) -> str:
        if self.role == Role.SITE:
            return f"{self.site.area.name} / {self.site.name}"
        if self.role == Role.AREA:
            return self.area.name
        return "全国"
