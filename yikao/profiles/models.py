"""个人信息: contact and work details, and the entries of education, training and
certificates, each with its lock (used by an active registration) and verified marks."""

from django.db import models

from yikao.accounts.models import Candidate
from yikao.profiles import choices


class Profile(models.Model):
    """联系方式 and 工作情况 (the mobile and e-mail live on Candidate, from sign-up)."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="profile")
    ethnicity = models.CharField("民族", max_length=20, blank=True)  # printed on appendix forms
    postal_address = models.CharField("通讯地址", max_length=120, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    # The work unit is kept as chosen (code and name): the directory is reference data.
    work_unit_code = models.CharField("工作单位代码", max_length=32, blank=True)
    work_unit_name = models.CharField("工作单位", max_length=100, blank=True)
    # The type decides eligibility (乡村全科, 军队): the directory's kind for a picked unit,
    # the candidate's answer for a typed one; never guessed from the name.
    work_unit_kind = models.CharField(
        "机构类型", max_length=20, blank=True, choices=choices.pairs(choices.INSTITUTION_KINDS)
    )
    work_unit_address = models.CharField("单位地址", max_length=120, blank=True)
    work_unit_postcode = models.CharField("单位邮编", max_length=6, blank=True)
    unit_nature = models.CharField("单位性质", max_length=20, blank=True)
    position = models.CharField("职务", max_length=30, blank=True)
    title = models.CharField("职称", max_length=20, blank=True)
    title_date = models.CharField("取得职称年月", max_length=7, blank=True)
    duty_status = models.CharField("在岗情况", max_length=20, blank=True)
    post_category = models.CharField("岗位类别", max_length=10, blank=True)
    department = models.CharField("岗位（科室）", max_length=30, blank=True)
    # YYYY-MM-DD where the day is known (the trial year counts days), else YYYY-MM.
    work_start = models.CharField("工作起始日期", max_length=10, blank=True)
    trial_assessed = models.CharField(
        "试用期考核", max_length=4, blank=True, choices=choices.pairs(choices.ASSESSMENTS)
    )
    id_valid_until = models.CharField("证件有效期至", max_length=10, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "个人信息"
        verbose_name_plural = "个人信息"

    def __str__(self) -> str:
        return f"个人信息 {self.candidate_id}"


class Entry(models.Model):
    """Common to education, training and certificate entries."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE)
    # Used by an active registration: read-only until that registration is abandoned.
    locked = models.BooleanField("已锁定", default=False)
    # Confirmed by staff at review: read-only, trusted for later exams.
    verified = models.BooleanField("已验证", default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def read_only(self) -> bool:
        return self.locked or self.verified


class Education(Entry):
    level = models.CharField(
        "学历层次", max_length=20, choices=choices.pairs(choices.EDUCATION_LEVELS)
    )
    degree_type = models.CharField("学位类型", max_length=10, blank=True)
    length_years = models.PositiveSmallIntegerField("学制（年）", null=True, blank=True)
    study_form = models.CharField("学习形式", max_length=20)
    entry_date = models.CharField("入学年月", max_length=7)
    graduation_date = models.CharField("毕业年月", max_length=7)
    school_code = models.CharField("学校代码", max_length=32, blank=True)
    school_name = models.CharField("毕业学校", max_length=100)
    major_code = models.CharField("专业代码", max_length=16, blank=True)
    major_name = models.CharField("所学专业", max_length=60)
    diploma_number = models.CharField("毕业证书编号", max_length=40, blank=True)
    major_direction = models.CharField("加注专业方向", max_length=60, blank=True)
    # 中专 中医/民族医 programmes count only when filed with the MOE and the NATCM.
    program_filed = models.BooleanField("专业已备案", null=True, blank=True)
    upgrade = models.BooleanField("专升本", default=False)
    overseas = models.BooleanField("境外学历", default=False)

    class Meta:
        ordering = ["-graduation_date", "id"]
        verbose_name = "教育经历"
        verbose_name_plural = "教育经历"

    def __str__(self) -> str:
        return f"{self.school_name} {self.major_name} {self.level}"


class Training(Entry):
    kind = models.CharField("培训类型", max_length=20)
    base_name = models.CharField("培训基地", max_length=100)
    major_name = models.CharField("专业", max_length=60)
    start_date = models.CharField("开始年月", max_length=7)
    end_date = models.CharField("结束年月", max_length=7)
    certificate_number = models.CharField("证书编号", max_length=40, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = "培训经历"
        verbose_name_plural = "培训经历"

    def __str__(self) -> str:
        return f"{self.kind} {self.base_name}"


class WorkRecord(Entry):
    """An earlier work (trial, practice or 港澳台 internship) period; the current unit is
    the profile's 工作情况."""

    unit_name = models.CharField("单位名称", max_length=100)
    unit_kind = models.CharField("机构类型", max_length=20)
    post_category = models.CharField("岗位类别", max_length=10)
    department = models.CharField("岗位（科室）", max_length=30, blank=True)
    start_date = models.CharField("开始日期", max_length=10)
    end_date = models.CharField("结束日期", max_length=10)
    assessed = models.CharField("试用期考核", max_length=4, blank=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = "以往工作经历"
        verbose_name_plural = "以往工作经历"

    def __str__(self) -> str:
        return f"{self.unit_name} {self.start_date}—{self.end_date}"


class Certificate(Entry):
    cert_type = models.CharField("证书类型", max_length=20)
    issue_date = models.CharField("发证年月", max_length=7)
    number = models.CharField("证书编号", max_length=40)
    # YYYY-MM-DD where the day is known (the 助理 years end on a cut-off day), else YYYY-MM.
    registration_date = models.CharField("注册日期", max_length=10, blank=True)
    registration_number = models.CharField("注册编号", max_length=40, blank=True)
    practice_category = models.CharField("执业类别", max_length=10, blank=True)
    practice_scope = models.CharField("执业范围", max_length=40, blank=True)

    class Meta:
        ordering = ["-issue_date", "id"]
        verbose_name = "证书情况"
        verbose_name_plural = "证书情况"

    def __str__(self) -> str:
        return f"{self.cert_type} {self.number}"
