"""The self-check form: a few facts, as fixed prefixed sub-forms, and their engine facts.

Every choice value is the engine's own value, so the form and the API speak one language.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from yikao import eligibility as el
from yikao.core.text import normalise_input
from yikao.core.yearmonth import MonthOrDayField, YearMonthField, this_month
from yikao.eligibility import plain
from yikao.eligibility.serial import to_plain

from .selfcheck import first_rule_year

MAJOR_LIST_ID = "selfcheck-majors"
EDUCATION_IDS = ("第一条", "第二条")  # the engine quotes the id: 以教育经历「第一条」…
UNKNOWN = ("", "不清楚 / 未填")
PICK = ("", "请选择")

# Post and certificate categories, with the short names people use.
POSTS = list(el.POST_CATEGORY_NAMES.items())
CERT_CATEGORIES = [
    *POSTS,
    ("rural_general", "乡村全科"),
    *[
        (c.category, c.category_label)
        for c in el.CATEGORIES
        if c.category.endswith("_mentored") and c.level is el.Level.PHYSICIAN
    ],
]
APPLIED_CATEGORIES = [
    ("", "全部类别"),
    *dict.fromkeys((c.category, c.category_label) for c in el.CATEGORIES),
]
LEVELS = ((el.Level.PHYSICIAN, "执业医师"), (el.Level.ASSISTANT, "执业助理医师"))
APPLIED_LEVELS = [("", "全部级别"), *((lvl.value, lvl_label) for lvl, lvl_label in LEVELS)]
YES_NO_UNKNOWN = [("", "不清楚 / 未填"), ("yes", "是"), ("no", "否")]


def _choices(enum: type, *, first=UNKNOWN) -> list[tuple[str, str]]:
    return [first, *((member.value, member.value) for member in enum)]


def _select(label: str, choices, *, required: bool = False, help_text: str = "", **kw):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        error_messages={
            "required": f"请选择{label}。",
            "invalid_choice": f"请从列表中选择{label}。",
        },
        **kw,
    )


def _text(label: str, max_length: int, *, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={"max_length": f"{label}最多%(limit_value)d个字。"},
    )


def _ym(value: str) -> el.YearMonth | None:
    return el.YearMonth.parse(value) if value else None


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _tri_value(value: bool | None) -> str:
    return "" if value is None else ("yes" if value else "no")


def _str(value: Any) -> str:
    return "" if value is None else str(value)


class SubForm(forms.Form):
    """A group of facts; an untouched group is simply left out of the facts."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            # Typed text only: choice values are the engine's, full-width brackets included.
            if isinstance(value, str) and isinstance(self.fields[name], forms.CharField):
                cleaned[name] = normalise_input(value)
        return cleaned

    @property
    def blank(self) -> bool:
        return not any(v not in ("", None, False) for v in self.cleaned_data.values())

    def _order(self, start: str, end: str, message: str) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last < first:
            self.add_error(end, message)


class FactsForm(forms.Form):
    identity = _select(
        "身份类别",
        [
            (el.IdentityKind.MAINLAND.value, "内地（大陆）居民"),
            (el.IdentityKind.HK_MO_TW.value, "港澳台居民"),
            (el.IdentityKind.FOREIGN.value, "外籍人员"),
        ],
        required=True,
    )
    military = _select(
        "军人身份",
        [("none", "非军人"), ("active", "现役军人"), ("civilian", "军队文职人员")],
        required=True,
    )
    exam_year = forms.IntegerField(
        label="考试年度",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": "请填写考试年度，例如 2027。",
            "invalid": "考试年度为4位数字，例如 2027。",
        },
    )
    graduating = forms.ChoiceField(
        label="是否应届毕业生（含当年毕业研究生）",
        choices=[("no", "否"), ("yes", "是")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "请选择是否应届毕业生。",
            "invalid_choice": "请选择“是”或“否”。",
        },
    )
    applied_category = _select("报考类别", APPLIED_CATEGORIES)
    applied_level = _select("报考级别", APPLIED_LEVELS)
    shortline_request = _select(
        "短线医学专业加试",
        [("", "不申请"), ("院前急救", "院前急救"), ("儿科", "儿科")],
        help_text="仅临床执业医师；须在院前急救或儿科岗位工作。",
    )

    def clean_exam_year(self):
        year = self.cleaned_data["exam_year"]
        lowest, highest = first_rule_year(), int(this_month()[:4]) + 2
        if not lowest <= year <= highest:
            raise ValidationError(f"考试年度应在{lowest}至{highest}年之间。")
        return year

    def clean(self):
        cleaned = super().clean()
        category, level = cleaned.get("applied_category"), cleaned.get("applied_level")
        if (
            category
            and level
            and not any(c.category == category and c.level == level for c in el.CATEGORIES)
        ):
            self.add_error("applied_level", "该类别没有这个级别，请改选级别或选“全部级别”。")
        return cleaned


class EducationForm(SubForm):
    level = _select("学历层次", _choices(el.EducationLevel))
    degree_type = _select("学位类型", _choices(el.DegreeType), help_text="研究生填写。")
    length_years = forms.IntegerField(
        label="学制（年）",
        required=False,
        min_value=1,
        max_value=9,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "学制请填写整数年，例如 5。",
            "min_value": "学制应在1至9年之间。",
            "max_value": "学制应在1至9年之间。",
        },
    )
    study_form = _select("学习形式", _choices(el.StudyForm))
    major_name = _text(
        "所学专业",
        60,
        help_text="按毕业证书填写，例如 临床医学。",
        list=MAJOR_LIST_ID,
        autocomplete="off",
    )
    major_code = _text("专业代码", 16, help_text="选填，研究生建议填写，例如 105101。")
    school = _text("毕业学校", 100, help_text="选填；个别专业（如眼视光学）与学校有关。")
    entry = YearMonthField(label="入学年月", required=False, future_months=12)
    graduation = YearMonthField(
        label="毕业年月", required=False, future_months=72, help_text="尚未毕业的填预计毕业年月。"
    )
    upgrade = forms.BooleanField(label="专升本", required=False)
    overseas = forms.BooleanField(label="境外学历", required=False)

    def clean_major_code(self):
        code = normalise_input(self.cleaned_data["major_code"]).upper()
        if code and not code.isalnum():
            raise ValidationError("专业代码由数字和字母组成，例如 100201K。")
        return code

    def clean(self):
        cleaned = super().clean()
        return cleaned

    def to_facts(self, ident: str) -> el.Education:
        d = self.cleaned_data
        return el.Education(
            id=ident,
            level=el.EducationLevel(d["level"]) if d["level"] else None,
            degree_type=el.DegreeType(d["degree_type"]) if d["degree_type"] else None,
            length_years=d["length_years"],
            study_form=el.StudyForm(d["study_form"]) if d["study_form"] else None,
            major_name=d["major_name"] or None,
            major_code=d["major_code"] or None,
            school=d["school"] or None,
            entry=_ym(d["entry"]),
            graduation=_ym(d["graduation"]),
            upgrade=d["upgrade"] or None,
            overseas=d["overseas"] or None,
        )

    @staticmethod
    def initial_from(entry: el.Education) -> dict[str, Any]:
        return {
            "level": _str(entry.level),
            "degree_type": _str(entry.degree_type),
            "length_years": entry.length_years,
            "study_form": _str(entry.study_form),
            "major_name": _str(entry.major_name),
            "major_code": _str(entry.major_code),
            "school": _str(entry.school),
            "entry": _str(entry.entry),
            "graduation": _str(entry.graduation),
            "upgrade": bool(entry.upgrade),
            "overseas": bool(entry.overseas),
        }


class WorkForm(SubForm):
    institution_kind = _select("机构类型", _choices(el.InstitutionKind))
    military = forms.BooleanField(label="军队医疗、预防、保健机构", required=False)
    post_category = _select("岗位类别", [UNKNOWN, *POSTS])
    department = _text("岗位（科室）", 30, help_text="例如 内科、儿科、院前急救。")
    start = MonthOrDayField(
        label="开始日期",
        required=False,
        future_months=12,
        help_text="YYYY-MM-DD；试用期满一年按日计算，只知年月的填 YYYY-MM。",
    )
    end = YearMonthField(
        label="结束年月", required=False, future_months=72, help_text="仍在该机构的不填。"
    )
    assessed = _select(
        "试用期考核合格",
        YES_NO_UNKNOWN,
        help_text="尚未考核的选“不清楚 / 未填”。",
    )

    def clean(self):
        cleaned = super().clean()
        return cleaned

    def to_facts(self) -> el.Work:
        d = self.cleaned_data
        return el.Work(
            id=EDUCATION_IDS[0],  # the engine quotes it: 试用经历「第一条」…
            institution_kind=el.InstitutionKind(d["institution_kind"])
            if d["institution_kind"]
            else None,
            # Unticked is "not said": a 军队医疗机构 type says it as well.
            military=True if d["military"] else None,
            post_category=d["post_category"] or None,
            department=d["department"] or None,
            start=_ym(d["start"][:7]),
            start_day=int(d["start"][8:]) if len(d["start"]) == 10 else None,
            end=_ym(d["end"]),
            assessed_passed=_tri(d["assessed"]),
        )

    @staticmethod
    def initial_from(work: el.Work) -> dict[str, Any]:
        return {
            "institution_kind": _str(work.institution_kind),
            "military": bool(work.military),
            "post_category": _str(work.post_category),
            "department": _str(work.department),
            "start": f"{work.start}-{work.start_day:02d}"
            if work.start and work.start_day
            else _str(work.start),
            "end": _str(work.end),
            "assessed": _tri_value(work.assessed_passed),
        }


class CertificateForm(SubForm):
    type = _select("证书类型", _choices(el.CertificateType, first=PICK))
    category = _select("执业类别", [UNKNOWN, *CERT_CATEGORIES])
    issued = YearMonthField(label="发证年月", required=False)
    registered = YearMonthField(label="执业注册年月", required=False)
    registered_day = forms.IntegerField(
        label="注册日",
        required=False,
        min_value=1,
        max_value=31,
        help_text="注册月份与截止日（通常8月15日）同月时才需要。",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "注册日请填写1至31的整数。",
            "min_value": "注册日请填写1至31的整数。",
            "max_value": "注册日请填写1至31的整数。",
        },
    )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("type") and not self.blank:
            self.add_error("type", "填写了证书信息，请选择证书类型。")
        return cleaned

    def to_facts(self) -> el.Certificate:
        d = self.cleaned_data
        kind = el.CertificateType(d["type"])
        assistant = kind in (el.CertificateType.ASSISTANT, el.CertificateType.ASSISTANT_TOWNSHIP)
        return el.Certificate(
            id="cert",
            type=kind,
            category=d["category"] or None,
            level=el.Level.ASSISTANT if assistant else None,
            issued=_ym(d["issued"]),
            registered=_ym(d["registered"]),
            registered_day=d["registered_day"],
        )

    @staticmethod
    def initial_from(cert: el.Certificate) -> dict[str, Any]:
        return {
            "type": _str(cert.type),
            "category": _str(cert.category),
            "issued": _str(cert.issued),
            "registered": _str(cert.registered),
            "registered_day": cert.registered_day,
        }


class TrainingForm(SubForm):
    kind = _select("培训类型", _choices(el.TrainingKind, first=PICK))
    start = YearMonthField(label="开始年月", required=False, future_months=12)
    end = YearMonthField(label="结束年月", required=False, future_months=72)
    completed = forms.BooleanField(label="已结业（取得合格证书）", required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("kind") and not self.blank:
            self.add_error("kind", "填写了培训信息，请选择培训类型。")
        return cleaned

    def to_facts(self) -> el.Training:
        d = self.cleaned_data
        return el.Training(
            id="training",
            kind=el.TrainingKind(d["kind"]),
            start=_ym(d["start"]),
            end=_ym(d["end"]),
            completed=d["completed"],
        )

    @staticmethod
    def initial_from(training: el.Training) -> dict[str, Any]:
        return {
            "kind": _str(training.kind),
            "start": _str(training.start),
            "end": _str(training.end),
            "completed": bool(training.completed),
        }


class SelfCheckForm:
    """The main form and its fixed sub-forms (two educations, one each of the others)."""

    def __init__(self, data=None, *, initial: dict[str, dict[str, Any]] | None = None):
        initial = initial or {}
        self.main = FactsForm(data, initial=initial.get("main"))
        self.educations = [
            EducationForm(data, prefix=f"edu{n}", initial=initial.get(f"edu{n}")) for n in (1, 2)
        ]
        self.work = WorkForm(data, prefix="work", initial=initial.get("work"))
        self.certificate = CertificateForm(data, prefix="cert", initial=initial.get("cert"))
        self.training = TrainingForm(data, prefix="training", initial=initial.get("training"))

    @property
    def parts(self) -> list[forms.Form]:
        return [self.main, *self.educations, self.work, self.certificate, self.training]

    def is_valid(self) -> bool:
        if not all([part.is_valid() for part in self.parts]):  # every part shows its errors
            return False
        # The checks the API makes (date order, impossible dates), in its words.
        problems = plain.check(self._plain())
        for problem in problems:
            key, index, name = problem.loc
            self._part_of(key, index).add_error(name, f"{problem.message}。")
        return not problems

    def _part_of(self, key: str, index: int) -> forms.Form:
        if key == "education":
            return [form for form in self.educations if not form.blank][index]
        return {"work": self.work, "certificates": self.certificate, "training": self.training}[key]

    def has_content(self, part: forms.Form) -> bool:
        """Whether a collapsible part should be shown open (it holds values or errors)."""
        if part.is_bound:
            return bool(part.errors) or any(
                part.data.get(part.add_prefix(name)) not in (None, "") for name in part.fields
            )
        return any(v not in (None, "", False) for v in (part.initial or {}).values())

    @property
    def opened(self) -> dict[str, bool]:
        """Which of the optional groups to show unfolded."""
        return {
            "edu2": self.has_content(self.educations[1]),
            "cert": self.has_content(self.certificate),
            "training": self.has_content(self.training),
        }

    def _plain(self) -> dict[str, Any]:
        """The form's facts in the API's plain shape."""
        main = self.main.cleaned_data
        educations = [
            to_plain(form.to_facts(ident))
            for ident, form in zip(EDUCATION_IDS, self.educations, strict=True)
            if not form.blank
        ]

        def one(part) -> list[dict[str, Any]]:
            return [] if part.blank else [to_plain(part.to_facts())]

        return {
            "identity": main["identity"],
            "military": main["military"],
            "education": educations,
            "work": one(self.work),
            "certificates": one(self.certificate),
            "training": one(self.training),
            "graduating": main["graduating"] == "yes",
            "exam_year": main["exam_year"],
            "applied_category": main["applied_category"] or None,
            "applied_level": main["applied_level"] or None,
            "shortline_request": main["shortline_request"] or None,
        }

    def facts(self) -> el.CandidateFacts:
        """Through the builder the API and the wizard use (call after is_valid)."""
        return plain.facts_from_plain(self._plain())

    @staticmethod
    def initial_from(facts: el.CandidateFacts, *, exam_year: int) -> dict[str, dict[str, Any]]:
        """The form's initial values for known facts (the first entries of each list)."""
        initial: dict[str, dict[str, Any]] = {
            "main": {
                "identity": _str(facts.identity) or el.IdentityKind.MAINLAND.value,
                "military": _str(facts.military) or el.MilitaryStatus.NONE.value,
                "exam_year": facts.exam_year or exam_year,
                "graduating": "yes" if facts.graduating else "no",
                "applied_category": _str(facts.applied_category),
                "applied_level": _str(facts.applied_level),
                "shortline_request": _str(facts.shortline_request),
            }
        }
        for n, entry in enumerate((facts.education or ())[:2], start=1):
            initial[f"edu{n}"] = EducationForm.initial_from(entry)
        if facts.work:
            initial["work"] = WorkForm.initial_from(facts.work[0])
        certificates = sorted(
            facts.certificates or (), key=lambda c: c.level is not el.Level.ASSISTANT
        )
        if certificates:
            initial["cert"] = CertificateForm.initial_from(certificates[0])
        if facts.training:
            initial["training"] = TrainingForm.initial_from(facts.training[0])
        return initial

    @classmethod
    def data_from(cls, facts: el.CandidateFacts, *, exam_year: int) -> dict[str, str]:
        """The POST data that submits these facts (for tests and links)."""
        form = cls(initial=cls.initial_from(facts, exam_year=exam_year))
        data: dict[str, str] = {}
        for part in form.parts:
            for name, value in (part.initial or {}).items():
                if value in (None, "", False):
                    continue
                data[part.add_prefix(name)] = "on" if value is True else str(value)
        return data
