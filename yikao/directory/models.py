"""Reference data: regions, schools, majors, medical institutions, and their search keys.

The key tables (SchoolKey, InstitutionKey) hold one row per searchable key of a record:
its name and every Chinese suffix of it, its pinyin initials and full pinyin (from the
start and from each place-name boundary), its code. A search is a handful of prefix
range queries on (band, key), each answering from the primary-key index alone; see
docs/directory.md.
"""

from django.db import models


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, "省级"
        CITY = 2, "地级"
        COUNTY = 3, "县级"
        TOWN = 4, "乡级"
        VILLAGE = 5, "村级"

    # NBS statistical code: 2 (province), 4 (city), 6 (county), 9 (town), 12 (village) digits.
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    path = models.TextField("完整路径")  # 河南省/郑州市/中原区

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.path


class School(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "普通高等学校"
        ADULT = "成人高等学校"
        SECONDARY = "中专"
        ABROAD = "境外"
        OTHER = "其他"

    code = models.CharField("学校代码", max_length=16, unique=True)
    name = models.CharField("学校名称", max_length=200, db_index=True)
    kind = models.CharField("类别", max_length=12, choices=Kind.choices)
    level = models.CharField("办学层次", max_length=12, blank=True)
    province = models.CharField("所在省份", max_length=20, blank=True)
    department = models.CharField("主管部门", max_length=100, blank=True)
    remark = models.CharField("备注", max_length=50, blank=True)
    verified = models.BooleanField("已核实", default=True)
    initials = models.CharField("拼音首字母", max_length=100, blank=True)
    pinyin = models.CharField("全拼", max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "学校"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Major(models.Model):
    code = models.CharField("专业代码", max_length=12)
    name = models.CharField("专业名称", max_length=100)
    level = models.CharField("层次", max_length=8)  # 本科 / 专科
    category_code = models.CharField("门类/大类代码", max_length=4)
    category_name = models.CharField("门类/大类", max_length=40)
    class_code = models.CharField("专业类代码", max_length=8, blank=True)
    class_name = models.CharField("专业类", max_length=40, blank=True)
    initials = models.CharField("拼音首字母", max_length=60, blank=True)
    pinyin = models.CharField("全拼", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专业"
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code"], name="directory_major_level_code")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.level}）"


class Institution(models.Model):
    """A medical or health institution a candidate can name as work unit."""

    code = models.CharField("机构代码", max_length=24, unique=True)
    name = models.CharField("机构全称", max_length=200, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="institutions")
    region_path = models.TextField("所在地区")
    # The county code as a number (410102), or the city code × 100 (410100) for city-level
    # institutions: the region filter is a range on it, the county filter scans it.
    area = models.IntegerField(default=0)
    kind = models.CharField("机构类别", max_length=20)
    size_rank = models.PositiveSmallIntegerField("规模序位", default=0)  # larger first
    affiliation = models.CharField("隶属关系", max_length=30, blank=True)
    verified = models.BooleanField("已核实", default=True)
    prefix_keys = models.TextField(blank=True)  # " initials pinyin" of the full name
    inner_keys = models.TextField(blank=True)  # " initials pinyin" from each place boundary
    created_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "医疗卫生机构"
        indexes = [models.Index(fields=["area", "size_rank"], name="directory_inst_area")]

    def __str__(self) -> str:
        return self.name


class SchoolKey(models.Model):
    pk = models.CompositePrimaryKey("band", "key", "area", "school")
    band = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=48)
    area = models.IntegerField(default=0)
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    def __str__(self) -> str:
        return self.key


class InstitutionKey(models.Model):
    # (band, key) is searched with range queries; area (county code as a number, or the
    # city code × 100) narrows to a province or city inside the same index.
    pk = models.CompositePrimaryKey("band", "key", "area", "institution")
    band = models.PositiveSmallIntegerField()
    key = models.CharField(max_length=48)
    area = models.IntegerField(default=0)
    # No foreign-key constraint and no index of its own: ~27 M rows load fast; deleting an
    # institution (rare, staff only) scans the table.
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, db_constraint=False, db_index=False
    )

    def __str__(self) -> str:
        return self.key


class LoadedUnit(models.Model):
    """A piece of reference data already loaded (p41, a410102, schools …): makes the
    loader idempotent and resumable."""

    name = models.CharField(max_length=40, unique=True)
    rows = models.IntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
