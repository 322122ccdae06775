"""State changes of the directory: hand-entered schools and work units (flagged for
staff review)."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikao.core.audit import audit_record
from yikao.core.text import normalise_input
from yikao.directory.keys import INSTITUTION_KINDS, band, build_keys, school_rank
from yikao.directory.models import Institution, InstitutionKey, Region, School, SchoolKey
from yikao.directory.pinyin import key_text, pinyin_full, pinyin_initials

AFFILIATIONS = [
    "卫生健康行政部门",
    "其他行政部门",
    "事业单位",
    "国有企业",
    "民营企业",
    "社会团体",
    "部队",
    "个人",
    "其他",
]

# Kind of a hand-entered institution, guessed from how its name ends.
# 机构类别 a candidate picks for a unit not in the directory (未找到单位): the type decides
# eligibility (乡村全科, 军队), so it is asked, never guessed from the name.
MANUAL_KINDS = [
    "乡镇卫生院",
    "村卫生室",
    "社区卫生服务中心",
    "社区卫生服务站",
    "县级及以上医疗机构",
    "疾病预防控制中心",
    "专业公共卫生机构",
    "军队医疗机构",
    "民营医院",
    "门诊部",
    "诊所",
    "其他",
]


class DirectoryError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _new_code(prefix: str, model) -> str:
    while True:
        code = prefix + secrets.token_hex(5).upper()
        if not model.objects.filter(code=code).exists():
            return code


def _clean_name(name: str, *, field: str = "name") -> str:
    name = normalise_input(name or "")
    if len(key_text(name)) < 2:
        raise DirectoryError(field, "请填写完整的名称（至少2个字）。")
    if len(name) > 100:
        raise DirectoryError(field, "名称过长，请不要超过100个字。")
    return name


def school_create_unverified(*, name: str, kind: str, province: str = "", actor=None) -> School:
    """A school typed in by a candidate (not in the MOE list): recorded, verified=False,
    searchable like any other, and returned as is when the same name is entered again."""
    name = _clean_name(name)
    if kind not in School.Kind.values:
        kind = School.Kind.OTHER
    existing = School.objects.filter(name=name).order_by("-verified", "id").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        school = School.objects.create(
            code=_new_code("M", School),
            name=name,
            kind=kind,
            province=normalise_input(province)[:20],
            verified=False,
            initials=pinyin_initials(name)[:100],
            pinyin=pinyin_full(name)[:400],
        )
        rank = school_rank(kind=kind, level="", verified=False)
        keys, _, _ = build_keys([(name, False)], code=school.code, all_positions=True)
        SchoolKey.objects.bulk_create(
            [SchoolKey(band=band(s, rank), key=k, area=0, school=school) for s, k in keys]
        )
        audit_record(
            actor=actor,
            action="directory.school_created",
            target=school,
            changes={
                "name": {"old": None, "new": name},
                "kind": {"old": None, "new": kind},
                "province": {"old": None, "new": school.province},
            },
        )
    return school


def _area_of(region: Region) -> tuple[int, str]:
    """(area number, county code) for a region at any level."""
    code = region.code
    if len(code) >= 6:
        return int(code[:6]), code[:6]
    if len(code) == 4:
        return int(code) * 100, ""
    return int(code) * 10000, ""


def institution_create_unverified(
    *, name: str, region: Region, affiliation: str, kind: str, actor=None
) -> Institution:
    """A work unit the candidate could not find ("未找到单位"): recorded with verified=False
    for staff review, searchable at once. The same name in the same region returns the
    existing entry instead of a duplicate."""
    name = _clean_name(name)
    if affiliation not in AFFILIATIONS:
        raise DirectoryError("affiliation", "请选择单位隶属关系。")
    if region is None or region.level > Region.Level.COUNTY:
        raise DirectoryError("county", "请选择单位所在的省、市和区县。")
    existing = Institution.objects.filter(name=name, region=region).first()
    if existing is not None:
        return existing
    area, _ = _area_of(region)
    keys, prefix_keys, inner_keys = set(), "", ""
    if kind not in MANUAL_KINDS:
        raise DirectoryError("kind", "请选择机构类别。")
    for _attempt in range(3):
        code = _new_code("U", Institution)
        keys, prefix_keys, inner_keys = build_keys([(name, False)], code=code)
        try:
            with transaction.atomic():
                institution = Institution.objects.create(
                    code=code,
                    name=name,
                    region=region,
                    region_path=region.path,
                    area=area,
                    kind=kind,
                    size_rank=INSTITUTION_KINDS["其他"].size_rank,
                    affiliation=affiliation,
                    verified=False,
                    prefix_keys=prefix_keys,
                    inner_keys=inner_keys,
                    created_at=timezone.now(),
                )
                InstitutionKey.objects.bulk_create(
                    [
                        InstitutionKey(band=band(s, 0), key=k, area=area, institution=institution)
                        for s, k in keys
                    ]
                )
                audit_record(
                    actor=actor,
                    action="directory.institution_created",
                    target=institution,
                    changes={
                        "name": {"old": None, "new": name},
                        "region": {"old": None, "new": region.path},
                        "affiliation": {"old": None, "new": affiliation},
                    },
                )
        except IntegrityError:  # pragma: no cover - a code collision, try another
            continue
        return institution
    raise DirectoryError(None, "暂时无法保存，请稍后再试。")  # pragma: no cover
