"""Exams, their categories and add-ons, exam areas (考区) and sites (考点) with capacities."""

import dataclasses

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from yikao.exams.photo_rules import DEFAULT_PROFILE, MAX_MAX_BYTES, MIN_MAX_BYTES, PhotoProfile


class Exam(models.Model):
    code = models.SlugField("代码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("考试类型", max_length=30, default="医师资格考试")
    year = models.PositiveSmallIntegerField("年度")
    window_start = models.DateTimeField("网上报名开始")
    window_end = models.DateTimeField("网上报名截止")
    notice = models.TextField("考试须知")
    # After it, an approved registration left unpaid counts as given up (yikao.payments).
    payment_deadline = models.DateTimeField(
        "缴费截止",
        null=True,
        blank=True,
        help_text="审核通过的考生须在此时间前缴费，逾期视为放弃；空则尚未开放缴费。",
    )
    # Per-exam settings of the eligibility engine.
    assistant_cutoff = models.DateField(
        "助理→执业 取得执业助理医师资格的截止日",
        null=True,
        blank=True,
        help_text="执业助理医师注册满规定年限的计算截止日；空则按规则默认。",
    )
    # Dates the province's forms print (附件6, 附件7); the engine, the wizard and the PDFs
    # all read them here (eligibility_web.facts.exam_settings, documents.mapping.province_dates).
    trial_deadline = models.DateField(
        "试用期满一年的截止日",
        null=True,
        blank=True,
        help_text="试用期须在此日前满一年；空则按规则默认（8月31日）。",
    )
    graduate_documents_deadline = models.DateField(
        "当年毕业研究生补交证书截止日",
        null=True,
        blank=True,
        help_text="当年毕业研究生交毕业证书、学位证书的期限，印在附件6上；空则按规则默认。",
    )
    warn_only_rules = models.JSONField(
        "仅提示不阻止的规则",
        default=list,
        blank=True,
        help_text='由考点现场核实的规则代码列表，如 ["time.trial"]。',
    )
    # Photo rules (photo_profile()); the defaults are the NMEC rules, DEFAULT_PROFILE.
    photo_max_bytes = models.PositiveIntegerField(
        "照片最大字节数",
        default=DEFAULT_PROFILE.max_bytes,
        validators=[MinValueValidator(MIN_MAX_BYTES), MaxValueValidator(MAX_MAX_BYTES)],
        help_text="检测后照片文件的上限，默认 30720（30 KB）。",
    )
    photo_min_width = models.PositiveSmallIntegerField(
        "照片最小宽度（像素）",
        default=DEFAULT_PROFILE.min_width,
        validators=[MinValueValidator(1), MaxValueValidator(DEFAULT_PROFILE.out_width)],
        help_text=f"默认 {DEFAULT_PROFILE.min_width}；照片按小二寸（35×45 毫米）裁剪，输出不超过 {DEFAULT_PROFILE.out_width}×{DEFAULT_PROFILE.out_height} 像素。",
    )
    photo_min_height = models.PositiveSmallIntegerField(
        "照片最小高度（像素）",
        default=DEFAULT_PROFILE.min_height,
        validators=[MinValueValidator(1), MaxValueValidator(DEFAULT_PROFILE.out_height)],
        help_text=f"默认 {DEFAULT_PROFILE.min_height}。",
    )
    photo_convert_input = models.BooleanField(
        "非 JPG 照片自动转换",
        default=True,
        help_text="PNG、WEBP 和苹果手机的 HEIC 照片自动转换为 JPG；关闭后只接受 JPG。",
    )
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    photo_max_bytes__gte=MIN_MAX_BYTES,
                    photo_max_bytes__lte=MAX_MAX_BYTES,
                    photo_min_width__gte=1,
                    photo_min_width__lte=DEFAULT_PROFILE.out_width,
                    photo_min_height__gte=1,
                    photo_min_height__lte=DEFAULT_PROFILE.out_height,
                ),
                name="exams_exam_photo_limits",
            ),
        ]
        verbose_name = verbose_name_plural = "考试"

    def __str__(self) -> str:
        return self.name

    def photo_profile(self) -> PhotoProfile:
        """The photo rules of this exam. With the default settings this is DEFAULT_PROFILE
        itself (same fingerprint), so a photo checked without an exam is accepted here too;
        any other setting gives another fingerprint, and marks made under it verify only here."""
        formats = DEFAULT_PROFILE.allowed_formats if self.photo_convert_input else ("JPEG",)
        return dataclasses.replace(
            DEFAULT_PROFILE,
            max_bytes=self.photo_max_bytes,
            min_width=self.photo_min_width,
            min_height=self.photo_min_height,
            allowed_formats=formats,
        )

    def window_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.window_start <= now <= self.window_end

    def window_state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.window_start:
            return "not_open"
        return "open" if now <= self.window_end else "closed"


class ExamCategory(models.Model):
    """A category × level candidates register for (e.g. 110 临床执业医师)."""

    LEVELS = [("physician", "执业医师"), ("assistant", "执业助理医师")]

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField("报考类别代码", max_length=8, blank=True)
    # The eligibility engine's names (yikao.eligibility.CATEGORIES).
    category = models.CharField("类别", max_length=32)
    level = models.CharField("级别", max_length=16, choices=LEVELS)
    label = models.CharField("名称", max_length=60)
    group = models.CharField(
        "专业", max_length=20, help_text="筛选用：临床、口腔、公共卫生、中医、乡村全科"
    )
    code_confirmed = models.BooleanField("代码已核实", default=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "category", "level"], name="exams_category_unique"
            ),
        ]
        verbose_name = verbose_name_plural = "报考类别"

    def __str__(self) -> str:
        return f"{self.code} {self.label}" if self.code else self.label


class AddOn(models.Model):
    """加试: 军事医学 (现役/文职), 院前急救 and 儿科 (临床执业 short-line posts)."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="add_ons")
    code = models.CharField(max_length=32)
    name = models.CharField("名称", max_length=20)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exam", "code"], name="exams_addon_unique")]
        verbose_name = verbose_name_plural = "加试"

    def __str__(self) -> str:
        return self.name


class ExamArea(models.Model):
    """考区: one per province."""

    code = models.CharField("代码", max_length=2, unique=True)
    name = models.CharField("名称", max_length=30)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "考区"

    def __str__(self) -> str:
        return self.name


class ExamSite(models.Model):
    """考点: a city (or district) health commission."""

    area = models.ForeignKey(ExamArea, on_delete=models.PROTECT, related_name="sites")
    code = models.CharField("代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=40)
    address = models.CharField("地址", max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "考点"

    def __str__(self) -> str:
        return self.name


class SiteCapacity(models.Model):
    """Seats of a site for an exam. The row is the lock that serialises registrations at
    the site; `last_number` numbers them. Seats taken are always counted from rows."""

    exam = models.ForeignKey(Exam, on_delete=models.CASCADE, related_name="capacities")
    site = models.ForeignKey(ExamSite, on_delete=models.CASCADE, related_name="capacities")
    capacity = models.PositiveIntegerField("名额")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["exam", "site"], name="exams_capacity_unique"),
        ]
        verbose_name = verbose_name_plural = "考点名额"

    def __str__(self) -> str:
        return f"{self.site} {self.capacity}"
