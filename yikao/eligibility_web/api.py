"""POST /api/v1/eligibility/check: the engine's answer for posted facts (public, no login).

A pure computation for anonymous callers: no session, so no CSRF token either.
"""

from enum import StrEnum
from typing import Annotated

from ninja import Field, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status
from pydantic import ConfigDict

from yikao import eligibility as el
from yikao.core.api.errors import PATTERN_HINTS
from yikao.core.api.schemas import ErrorOut, ValidationErrorOut
from yikao.core.ratelimit import client_ip, hit
from yikao.eligibility import plain

from .selfcheck import rate_limit, run_check

router = Router(tags=["报名资格"], auth=None)

YEAR_MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MONTH_OR_DAY = r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"
MONTH_DAY = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
PATTERN_HINTS.update(
    {
        YEAR_MONTH: f"{plain.YEAR_MONTH_HINT}。",
        MONTH_OR_DAY: f"{plain.DATE_HINT}。",
        MONTH_DAY: "请写作 MM-DD，如 08-15。",
    }
)
YearMonthStr = Annotated[
    str, Field(pattern=YEAR_MONTH, description="年月，YYYY-MM", examples=["2020-07"])
]
MonthOrDayStr = Annotated[
    str,
    Field(
        pattern=MONTH_OR_DAY,
        description="日期 YYYY-MM-DD（试用期按日计算），或只知年月时 YYYY-MM",
        examples=["2024-09-01"],
    ),
]
MonthDayStr = Annotated[
    str,
    Field(
        pattern=MONTH_DAY,
        description="月日，MM-DD",
        examples=["08-15"],
    ),
]
CategoryCode = StrEnum("CategoryCode", {c.category: c.category for c in el.CATEGORIES})


def _text(length: int, description: str = ""):
    return Field(None, max_length=length, description=description)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class EducationIn(Strict):
    id: str = Field(
        ...,
        min_length=1,
        max_length=40,
        description="本条教育经历的标识，结果中的 education_id 引用它",
    )
    label: str | None = _text(40, "理由中对本条的称呼，如 第1条教育经历；空则用 id")
    level: el.EducationLevel | None = Field(None, description="学历层次")
    degree_type: el.DegreeType | None = Field(None, description="学位类型（研究生）")
    length_years: int | None = Field(None, ge=1, le=12, description="学制（年）")
    study_form: el.StudyForm | None = Field(None, description="学习形式")
    major_name: str | None = _text(60, "所学专业名称")
    major_code: str | None = _text(16, "专业代码")
    major_direction: str | None = _text(60, "毕业证书加注的专业方向")
    entry: YearMonthStr | None = Field(None, description="入学年月")
    graduation: YearMonthStr | None = Field(None, description="毕业年月")
    school: str | None = _text(100, "学校")
    overseas: bool | None = Field(None, description="境外学历")
    upgrade: bool | None = Field(None, description="专升本")
    program_filed: bool | None = Field(None, description="中专中医/民族医专业已备案")
    verified: bool | None = None


class WorkIn(Strict):
    id: str | None = _text(40)
    label: str | None = _text(100, "理由中对本条的称呼；空则用机构名称")
    institution: str | None = _text(100, "机构名称")
    institution_kind: el.InstitutionKind | None = Field(None, description="机构类型")
    military: bool | None = Field(None, description="军队医疗、预防、保健机构")
    post_category: str | None = Field(
        None,
        max_length=32,
        pattern=r"^[a-z_]+$",
        description="岗位类别：clinical、dental、public_health、tcm、integrated 等",
    )
    department: str | None = _text(30, "岗位（科室），如 儿科、院前急救")
    start: MonthOrDayStr | None = Field(None, description="开始日期")
    start_day: int | None = Field(
        None, ge=1, le=31, description="开始日（start 只写年月时可另给日）"
    )
    end: YearMonthStr | None = Field(None, description="结束年月；空表示至今")
    assessed_passed: bool | None = Field(None, description="试用期考核合格")
    verified: bool | None = None


class CertificateIn(Strict):
    id: str | None = _text(40)
    type: el.CertificateType | None = Field(None, description="证书类型")
    category: CategoryCode | None = Field(None, description="执业类别")
    level: el.Level | None = Field(None, description="级别")
    issued: YearMonthStr | None = Field(None, description="发证年月")
    registered: YearMonthStr | None = Field(None, description="执业注册年月")
    registered_day: int | None = Field(None, ge=1, le=31, description="注册日（截止月才需要）")
    verified: bool | None = None


class TrainingIn(Strict):
    id: str | None = _text(40)
    kind: el.TrainingKind | None = Field(None, description="培训类型")
    name: str | None = _text(100, "培训名称或基地")
    start: YearMonthStr | None = None
    end: YearMonthStr | None = None
    completed: bool | None = Field(None, description="已结业")


class FactsIn(Strict):
    """The engine's CandidateFacts; every field may be omitted or null (= unknown)."""

    identity: el.IdentityKind | None = Field(None, description="身份类别")
    military: el.MilitaryStatus | None = Field(None, description="军人身份")
    education: list[EducationIn] | None = Field(None, max_length=10)
    work: list[WorkIn] | None = Field(None, max_length=20)
    certificates: list[CertificateIn] | None = Field(None, max_length=10)
    training: list[TrainingIn] | None = Field(None, max_length=10)
    graduating: bool | None = Field(None, description="应届毕业生或当年毕业研究生")
    exam_year: int | None = Field(None, ge=1990, le=2100, description="考试年度")
    applied_category: CategoryCode | None = Field(None, description="报考类别；空为全部")
    applied_level: el.Level | None = Field(None, description="报考级别；空为全部")
    shortline_request: str | None = _text(20, "申请短线医学专业加试：院前急救 或 儿科")


class SettingsIn(Strict):
    assistant_cutoff: MonthDayStr | None = Field(
        None, description="助理注册年限计算截止日，默认 08-15"
    )
    warn_only: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list, max_length=100, description="只提示、不阻止的规则代码"
    )


class CheckIn(Strict):
    facts: FactsIn
    settings: SettingsIn | None = None


class ReasonOut(Schema):
    rule: str
    text: str
    severity: el.Severity
    missing: str | None = Field(None, description="事实未知时：需要补充什么")


class DocumentOut(Schema):
    label: str
    code: str | None = Field(None, description="附件表格的稳定代码，如 trial_certificate")
    appendix: str | None = Field(None, description="附件编号，如 附件3")


class AddOnOut(Schema):
    code: str
    label: str
    required: bool


class DecisionOut(Schema):
    category: str
    level: el.Level
    label: str
    status: el.Status
    reasons: list[ReasonOut]
    basis: list[str]
    education_id: str | None
    restrictions: list[str]
    addons: list[AddOnOut]
    documents: list[DocumentOut]
    edition: str


@router.post(
    "/check",
    response={200: list[DecisionOut], 422: ValidationErrorOut, 429: ErrorOut},
    summary="报名资格判定（公开，无需登录）",
    description=(
        "按《医师资格考试报名资格规定》判断每个类别 × 级别能否报考：eligible（可以报考）、"
        "not_eligible（不符合）、undecided（信息不足，见 reasons[].missing）。"
        "与网页“报名资格自测”结果一致。每个 IP 每分钟限 60 次。"
    ),
)
def check(request, payload: CheckIn):
    limit, window = rate_limit()
    if not hit("selfcheck.api", client_ip(request), limit=limit, window=window):
        return Status(429, {"detail": f"请求过于频繁，每{window}秒最多{limit}次，请稍后再试。"})
    options = payload.settings or SettingsIn()
    data = payload.facts.model_dump(mode="json", exclude_unset=True)
    problems = plain.check(data)
    if problems:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["body", "payload", "facts", *p.loc],
                    "msg": p.message,
                }
                for p in problems
            ]
        )
    try:
        facts = plain.facts_from_plain(data)
        cutoff = el.MonthDay.parse(options.assistant_cutoff) if options.assistant_cutoff else None
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["body", "payload", "facts"],
                    "msg": f"事实数据无效：{exc}",
                }
            ]
        ) from None
    decisions = run_check(facts, assistant_cutoff=cutoff, warn_only=options.warn_only)
    return Status(200, [d.to_dict() for d in decisions])
