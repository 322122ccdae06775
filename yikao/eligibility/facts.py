"""What the engine knows about a candidate.  Every field may be None, meaning "unknown"."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .serial import from_plain, to_plain
from .yearmonth import YearMonth


class IdentityKind(StrEnum):
    MAINLAND = "mainland"  # 内地（大陆）居民
    HK_MO_TW = "hk_mo_tw"  # 港澳台居民
    FOREIGN = "foreign"  # 外籍人员


class MilitaryStatus(StrEnum):
    ACTIVE = "active"  # 现役军人
    CIVILIAN = "civilian"  # 军队文职人员
    NONE = "none"


class Level(StrEnum):
    PHYSICIAN = "physician"  # 执业医师
    ASSISTANT = "assistant"  # 执业助理医师


class EducationLevel(StrEnum):
    POSTGRADUATE = "研究生"
    BACHELOR = "本科"
    JUNIOR_COLLEGE = "专科"
    SECONDARY = "中专"
    VOCATIONAL_HIGH = "职业高中"
    OTHER = "其他"


class DegreeType(StrEnum):
    PROFESSIONAL = "专业学位"
    ACADEMIC = "学术学位"


class StudyForm(StrEnum):
    FULL_TIME = "全日制"
    ADULT = "成人教育"
    SELF_STUDY = "自学考试"
    ONLINE = "网络教育"
    FIVE_YEAR = "初中起点五年一贯制"
    STAFF_SECONDARY = "职工中专"
    APPRENTICE = "师承"
    PROVEN_EXPERTISE = "确有专长"


class InstitutionKind(StrEnum):
    TOWNSHIP = "乡镇卫生院"
    VILLAGE = "村卫生室"
    COMMUNITY = "社区卫生服务中心（站）"
    COUNTY = "县级医院"  # 县级及以上医疗机构
    PUBLIC_HEALTH = "疾控/公共卫生机构"
    MILITARY = "军队医疗机构"
    OTHER = "其他"


# The post (岗位类别) and practice categories by the names candidates use.
POST_CATEGORY_NAMES = {
    "clinical": "临床",
    "dental": "口腔",
    "public_health": "公共卫生",
    "tcm": "中医",
    "integrated": "中西医结合",
    "mongolian": "蒙医",
    "tibetan": "藏医",
    "uyghur": "维医",
    "dai": "傣医",
    "kazakh": "哈萨克医",
    "tcm_korean": "朝医",
    "tcm_zhuang": "壮医",
}


class CertificateType(StrEnum):
    ASSISTANT = "执业助理医师"
    ASSISTANT_TOWNSHIP = "执业助理医师（乡镇）"
    QUALIFICATION = "医师资格证书"
    PRACTICE = "医师执业证书"
    APPRENTICE = "传统医学师承出师证书"
    EXPERTISE = "传统医学医术确有专长证书"
    OTHER = "其他"


class TrainingKind(StrEnum):
    RESIDENCY = "住院医师规范化培训"
    WEST_LEARNS_TCM = "西医学习中医培训"  # 西学中培训班
    TCM_SYSTEMATIC = "中医系统学习"  # ≥2年全脱产系统学习中医
    OTHER = "其他"


@dataclass(frozen=True)
class Education:
    id: str
    label: str | None = None  # how the candidate names it in reasons: 第1条教育经历
    level: EducationLevel | None = None
    degree_type: DegreeType | None = None
    length_years: int | None = None
    study_form: StudyForm | None = None
    major_name: str | None = None
    major_code: str | None = None
    major_direction: str | None = None  # 加注的专业方向; None = none declared
    entry: YearMonth | None = None
    graduation: YearMonth | None = None
    school: str | None = None
    overseas: bool | None = None  # 境外学历
    upgrade: bool | None = None  # 专升本
    program_filed: bool | None = None  # 中专中医/民族医专业经教育部、国家中医药管理局备案
    verified: bool | None = None


@dataclass(frozen=True)
class Work:
    """One trial (试用) or practice period at one institution."""

    id: str | None = None
    label: str | None = None  # how the candidate names it in reasons: the unit's name
    institution: str | None = None
    institution_kind: InstitutionKind | None = None
    military: bool | None = None  # 军队医疗、预防、保健机构
    post_category: str | None = None  # clinical / dental / public_health / tcm …
    department: str | None = None  # 岗位（科室），e.g. 儿科、院前急救
    start: YearMonth | None = None
    start_day: int | None = None  # the day of `start`, where the trial year counts days
    end: YearMonth | None = None  # None = still there
    assessed_passed: bool | None = None
    verified: bool | None = None


@dataclass(frozen=True)
class Certificate:
    id: str | None = None
    type: CertificateType | None = None
    category: str | None = None
    level: Level | None = None
    issued: YearMonth | None = None
    registered: YearMonth | None = None  # 执业证书注册年月
    registered_day: int | None = None  # only needed when the cut-off falls in that month
    verified: bool | None = None


@dataclass(frozen=True)
class Training:
    id: str | None = None
    kind: TrainingKind | None = None
    name: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None
    completed: bool | None = None


@dataclass(frozen=True)
class CandidateFacts:
    identity: IdentityKind | None = None
    military: MilitaryStatus | None = None
    education: tuple[Education, ...] | None = None
    work: tuple[Work, ...] | None = None
    certificates: tuple[Certificate, ...] | None = None
    training: tuple[Training, ...] | None = None
    graduating: bool | None = None  # 应届毕业生 / 当年毕业研究生
    exam_year: int | None = None
    applied_category: str | None = None  # None = all categories
    applied_level: Level | None = None  # None = both levels
    shortline_request: str | None = None  # 院前急救 / 儿科 (短线医学专业加试)

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CandidateFacts:
        return from_plain(cls, data)
