"""Turns personal information into the eligibility engine's facts, and asks the engine.

The self-check page, the API and the registration wizard all come through here, so they
give the same answers for the same candidate.
"""

from collections.abc import Iterable

from yikao import eligibility as el
from yikao.accounts.identity import IdType
from yikao.accounts.models import Candidate
from yikao.core.yearmonth import this_month
from yikao.exams.models import Exam, ExamCategory
from yikao.profiles import models as pm
from yikao.profiles.selectors import profile_of

POST_CATEGORIES = {"临床": "clinical", "口腔": "dental", "公共卫生": "public_health", "中医": "tcm"}
GRADUATING = {"当年毕业研究生", "应届毕业生"}


def _ym(value: str) -> el.YearMonth | None:
    try:
        return el.YearMonth.parse(value) if value else None
    except ValueError:
        return None


def _enum(enum_type, value: str):
    try:
        return enum_type(value) if value else None
    except ValueError:
        return None


def education_facts(entry: pm.Education) -> el.Education:
    level = "研究生" if entry.level.startswith("研究生") else entry.level
    return el.Education(
        id=str(entry.pk),
        level=_enum(el.EducationLevel, level),
        degree_type=_enum(el.DegreeType, entry.degree_type),
        length_years=entry.length_years,
        study_form=_enum(el.StudyForm, entry.study_form),
        major_name=entry.major_name or None,
        major_code=entry.major_code or None,
        entry=_ym(entry.entry_date),
        graduation=_ym(entry.graduation_date),
        school=entry.school_name or None,
        verified=entry.verified,
    )


def certificate_facts(entry: pm.Certificate) -> el.Certificate:
    kind = _enum(el.CertificateType, entry.cert_type)
    level = (
        el.Level.ASSISTANT
        if kind in (el.CertificateType.ASSISTANT, el.CertificateType.ASSISTANT_TOWNSHIP)
        else None
    )
    return el.Certificate(
        id=str(entry.pk),
        type=kind,
        category=POST_CATEGORIES.get(entry.practice_category),
        level=level,
        issued=_ym(entry.issue_date),
        registered=_ym(entry.registration_date),
        verified=entry.verified,
    )


def training_facts(entry: pm.Training) -> el.Training:
    end = _ym(entry.end_date)
    return el.Training(
        id=str(entry.pk),
        kind=_enum(el.TrainingKind, entry.kind) or el.TrainingKind.OTHER,
        name=entry.base_name,
        start=_ym(entry.start_date),
        end=end,
        completed=end is not None and str(end) <= this_month(),
    )


def _institution_kind(name: str) -> el.InstitutionKind | None:
    if not name:
        return None
    for kind in (el.InstitutionKind.VILLAGE, el.InstitutionKind.TOWNSHIP):
        if name.endswith(kind.value) or name.endswith(kind.value.replace("卫生院", "卫生院")):
            return kind
    if "县" in name and "医院" in name:
        return el.InstitutionKind.COUNTY
    return el.InstitutionKind.OTHER


def work_facts(profile: pm.Profile) -> tuple[el.Work, ...]:
    if not (profile.work_unit_name or profile.work_start):
        return ()
    return (
        el.Work(
            id="work",
            institution=profile.work_unit_name or None,
            institution_kind=_institution_kind(profile.work_unit_name),
            post_category=POST_CATEGORIES.get(profile.post_category),
            department=profile.department or None,
            start=_ym(profile.work_start),
        ),
    )


def candidate_facts(
    candidate: Candidate,
    *,
    exam_year: int,
    educations: Iterable[pm.Education] | None = None,
    trainings: Iterable[pm.Training] | None = None,
    certificates: Iterable[pm.Certificate] | None = None,
    military: str = "none",
    category: ExamCategory | None = None,
    shortline: str = "",
) -> el.CandidateFacts:
    """Facts from the candidate's profile; the entry lists default to all their entries."""
    profile = profile_of(candidate)
    if educations is None:
        educations = pm.Education.objects.filter(candidate=candidate)
    if trainings is None:
        trainings = pm.Training.objects.filter(candidate=candidate)
    if certificates is None:
        certificates = pm.Certificate.objects.filter(candidate=candidate)
    return el.CandidateFacts(
        identity=el.IdentityKind(IdType(candidate.id_type).identity_kind),
        military=_enum(el.MilitaryStatus, military) or el.MilitaryStatus.NONE,
        education=tuple(education_facts(e) for e in educations),
        work=work_facts(profile),
        certificates=tuple(certificate_facts(c) for c in certificates),
        training=tuple(training_facts(t) for t in trainings),
        graduating=profile.duty_status in GRADUATING if profile.duty_status else None,
        exam_year=exam_year,
        applied_category=category.category if category else None,
        applied_level=el.Level(category.level) if category else None,
        shortline_request=shortline or None,
    )


def exam_settings(exam: Exam) -> el.EvaluationSettings:
    cutoff = exam.assistant_cutoff
    return el.EvaluationSettings(
        exam_year=exam.year,
        assistant_cutoff=el.MonthDay(cutoff.month, cutoff.day) if cutoff else None,
        warn_only=frozenset(exam.warn_only_rules or ()),
    )


def decide(facts: el.CandidateFacts, exam: Exam | None = None) -> list[el.Decision]:
    return el.evaluate(facts, settings=exam_settings(exam) if exam else None)
