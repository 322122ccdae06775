"""Personal information as the engine's plain input, and the engine's answer for it.

The wizard, the self-check page (for a signed-in candidate) and the submit all come
through `candidate_facts`, which writes the profile in the API's plain shape and hands
it to `eligibility.plain.facts_from_plain`, the same function the API and the self-check
form use. Every fact comes from a field the candidate filled in: the type of a work unit
is the directory's kind for a picked unit and the candidate's answer for a typed one,
never a guess from its name.
"""

from collections.abc import Iterable
from typing import Any

from yikao import eligibility as el
from yikao.accounts.identity import IdType
from yikao.accounts.models import Candidate
from yikao.core.yearmonth import this_month
from yikao.eligibility.plain import PlainError, facts_from_plain
from yikao.exams.models import Exam, ExamCategory
from yikao.profiles import models as pm
from yikao.profiles.selectors import profile_of

POST_CODES = {name: code for code, name in el.POST_CATEGORY_NAMES.items()} | {
    "乡村全科": "rural_general"
}
GRADUATING = {"当年毕业研究生", "应届毕业生"}
ASSESSED = {"合格": True, "不合格": False}
CURRENT_WORK = "current"


def _or_none(value: Any) -> Any:
    return None if value in ("", None) else value


def _enum_value(enum_type, value: str) -> str | None:
    return value if value in {m.value for m in enum_type} else None


def education_plain(entry: pm.Education, number: int) -> dict[str, Any]:
    level = "研究生" if entry.level.startswith("研究生") else entry.level
    return {
        "id": str(entry.pk),
        "label": f"第{number}条教育经历",
        "level": _enum_value(el.EducationLevel, level),
        "degree_type": _enum_value(el.DegreeType, entry.degree_type),
        "length_years": entry.length_years,
        "study_form": _enum_value(el.StudyForm, entry.study_form),
        "major_name": _or_none(entry.major_name),
        "major_code": _or_none(entry.major_code),
        "major_direction": _or_none(entry.major_direction),
        "entry": _or_none(entry.entry_date),
        "graduation": _or_none(entry.graduation_date),
        "school": _or_none(entry.school_name),
        "program_filed": entry.program_filed,
        "upgrade": entry.upgrade or None,
        "overseas": entry.overseas or None,
        "verified": entry.verified,
    }


def certificate_plain(entry: pm.Certificate) -> dict[str, Any]:
    kind = _enum_value(el.CertificateType, entry.cert_type)
    assistant = kind in (el.CertificateType.ASSISTANT, el.CertificateType.ASSISTANT_TOWNSHIP)
    return {
        "id": str(entry.pk),
        "type": kind,
        "category": POST_CODES.get(entry.practice_category),
        "level": el.Level.ASSISTANT.value if assistant else None,
        "issued": _or_none(entry.issue_date),
        "registered": _or_none(entry.registration_date[:7]),
        "registered_day": int(entry.registration_date[8:])
        if len(entry.registration_date) == 10
        else None,
        "verified": entry.verified,
    }


def training_plain(entry: pm.Training) -> dict[str, Any]:
    return {
        "id": str(entry.pk),
        "kind": _enum_value(el.TrainingKind, entry.kind) or el.TrainingKind.OTHER.value,
        "name": _or_none(entry.base_name),
        "start": _or_none(entry.start_date),
        "end": _or_none(entry.end_date),
        "completed": bool(entry.end_date) and entry.end_date <= this_month(),
    }


def _work(ident: str, name: str, kind: str, **values: Any) -> dict[str, Any]:
    kind_value = _enum_value(el.InstitutionKind, kind)
    return {
        "id": ident,
        "label": name or None,
        "institution": name or None,
        "institution_kind": kind_value,
        "military": None if kind_value is None else kind_value == el.InstitutionKind.MILITARY,
        **values,
    }


def work_plain(profile: pm.Profile, records: Iterable[pm.WorkRecord]) -> list[dict[str, Any]]:
    """The current unit (the profile's 工作情况), then the earlier periods."""
    rows = []
    if profile.work_unit_name or profile.work_start:
        rows.append(
            _work(
                CURRENT_WORK,
                profile.work_unit_name or "当前工作单位",
                profile.work_unit_kind,
                post_category=POST_CODES.get(profile.post_category),
                department=_or_none(profile.department),
                start=_or_none(profile.work_start),
                end=None,
                assessed_passed=ASSESSED.get(profile.trial_assessed),
            )
        )
    for record in records:
        rows.append(
            _work(
                f"w{record.pk}",
                record.unit_name,
                record.unit_kind,
                post_category=POST_CODES.get(record.post_category),
                department=_or_none(record.department),
                start=_or_none(record.start_date),
                end=_or_none(record.end_date[:7]),
                assessed_passed=ASSESSED.get(record.assessed),
            )
        )
    return rows


def candidate_plain(
    candidate: Candidate,
    *,
    exam_year: int,
    educations: Iterable[pm.Education],
    trainings: Iterable[pm.Training],
    certificates: Iterable[pm.Certificate],
    work_records: Iterable[pm.WorkRecord],
    military: str = "none",
    category: ExamCategory | None = None,
    shortline: str = "",
) -> dict[str, Any]:
    profile = profile_of(candidate)
    return {
        "identity": IdType(candidate.id_type).identity_kind,
        "military": _enum_value(el.MilitaryStatus, military) or el.MilitaryStatus.NONE.value,
        "education": [education_plain(e, n) for n, e in enumerate(educations, start=1)],
        "work": work_plain(profile, work_records),
        "certificates": [certificate_plain(c) for c in certificates],
        "training": [training_plain(t) for t in trainings],
        "graduating": profile.duty_status in GRADUATING if profile.duty_status else None,
        "exam_year": exam_year,
        "applied_category": category.category if category else None,
        "applied_level": category.level if category else None,
        "shortline_request": shortline or None,
    }


def _without(data: dict[str, Any], problems) -> dict[str, Any]:
    """Stored values the checks refuse (saved before a rule existed) count as unknown:
    the engine then asks for them instead of judging them."""
    for problem in problems:
        key, index, name = problem.loc
        data[key][index][name] = None
    return data


def candidate_facts(
    candidate: Candidate,
    *,
    exam_year: int,
    educations: Iterable[pm.Education] | None = None,
    trainings: Iterable[pm.Training] | None = None,
    certificates: Iterable[pm.Certificate] | None = None,
    work_records: Iterable[pm.WorkRecord] | None = None,
    military: str = "none",
    category: ExamCategory | None = None,
    shortline: str = "",
) -> el.CandidateFacts:
    """Facts from the candidate's profile; the entry lists default to all their entries.
    Every work period counts (the current unit and the earlier ones)."""
    if educations is None:
        educations = pm.Education.objects.filter(candidate=candidate)
    if trainings is None:
        trainings = pm.Training.objects.filter(candidate=candidate)
    if certificates is None:
        certificates = pm.Certificate.objects.filter(candidate=candidate)
    if work_records is None:
        work_records = pm.WorkRecord.objects.filter(candidate=candidate)
    data = candidate_plain(
        candidate,
        exam_year=exam_year,
        educations=educations,
        trainings=trainings,
        certificates=certificates,
        work_records=work_records,
        military=military,
        category=category,
        shortline=shortline,
    )
    try:
        return facts_from_plain(data)
    except PlainError as exc:
        return facts_from_plain(_without(data, exc.problems))


def exam_settings(exam: Exam) -> el.EvaluationSettings:
    """The exam's own dates (yikao/exams: the province's forms print the same ones)."""

    def day(value):
        return el.MonthDay(value.month, value.day) if value else None

    return el.EvaluationSettings(
        exam_year=exam.year,
        assistant_cutoff=day(exam.assistant_cutoff),
        trial_deadline=day(exam.trial_deadline),
        graduate_documents_deadline=day(exam.graduate_documents_deadline),
        warn_only=frozenset(exam.warn_only_rules or ()),
    )


def decide(facts: el.CandidateFacts, exam: Exam | None = None) -> list[el.Decision]:
    return el.evaluate(facts, settings=exam_settings(exam) if exam else None)
