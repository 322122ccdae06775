"""Property tests: the engine is total, monotone in level, and monotone in certificates."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yikao.eligibility import (
    CandidateFacts,
    Certificate,
    CertificateType,
    Decision,
    DegreeType,
    Education,
    EducationLevel,
    EvaluationSettings,
    IdentityKind,
    InstitutionKind,
    Level,
    MilitaryStatus,
    MonthDay,
    Status,
    StudyForm,
    Training,
    TrainingKind,
    Work,
    YearMonth,
    evaluate,
)

CATEGORY_CODES = sorted(
    {c.category for c in __import__("yikao.eligibility").eligibility.CATEGORIES}
)
MAJORS = [
    "临床医学", "麻醉学", "口腔医学", "预防医学", "妇幼保健医学", "中医学", "中医", "针灸推拿学",
    "中西医临床医学", "中西医结合", "藏医学", "壮医学", "内科学", "公共卫生", "护理", "药学",
    "农村医学", "卫生保健", "社区医学", "眼视光学", "医学检验", "临床医学（护理领域）", "计算机",
]  # fmt: skip
CODES = ["100201K", "100301K", "105101", "520101K", "101101", "12345", "abc"]


def maybe(strategy):
    return st.none() | strategy


year_months = st.builds(YearMonth, st.integers(1990, 2031), st.integers(1, 12))
small_text = st.text(alphabet="临床医学中西护理儿科急救 abc", max_size=8)

educations = st.builds(
    Education,
    id=st.sampled_from(["e1", "e2", "e3", "e4"]),
    level=maybe(st.sampled_from(EducationLevel)),
    degree_type=maybe(st.sampled_from(DegreeType)),
    length_years=maybe(st.integers(0, 9)),
    study_form=maybe(st.sampled_from(StudyForm)),
    major_name=maybe(st.sampled_from(MAJORS) | small_text),
    major_code=maybe(st.sampled_from(CODES)),
    major_direction=maybe(small_text),
    entry=maybe(year_months),
    graduation=maybe(year_months),
    school=maybe(st.sampled_from(["温州医科大学", "郑州大学", ""])),
    overseas=maybe(st.booleans()),
    upgrade=maybe(st.booleans()),
    program_filed=maybe(st.booleans()),
    verified=maybe(st.booleans()),
)
posts = st.sampled_from([*CATEGORY_CODES, "其他"])
works = st.builds(
    Work,
    id=maybe(st.sampled_from(["w1", "w2", "w3"])),
    institution=maybe(small_text),
    institution_kind=maybe(st.sampled_from(InstitutionKind)),
    military=maybe(st.booleans()),
    post_category=maybe(posts),
    department=maybe(st.sampled_from(["儿科", "院前急救", "内科", ""])),
    start=maybe(year_months),
    end=maybe(year_months),
    assessed_passed=maybe(st.booleans()),
    verified=maybe(st.booleans()),
)
certificates = st.builds(
    Certificate,
    id=maybe(st.sampled_from(["c1", "c2"])),
    type=maybe(st.sampled_from(CertificateType)),
    category=maybe(posts),
    level=maybe(st.sampled_from(Level)),
    issued=maybe(year_months),
    registered=maybe(year_months),
    registered_day=maybe(st.integers(1, 31)),
    verified=maybe(st.booleans()),
)
trainings = st.builds(
    Training,
    id=maybe(st.just("t1")),
    kind=maybe(st.sampled_from(TrainingKind)),
    name=maybe(small_text),
    start=maybe(year_months),
    end=maybe(year_months),
    completed=maybe(st.booleans()),
)


def tuples(strategy, size=3):
    return maybe(st.lists(strategy, max_size=size).map(tuple))


facts_strategy = st.builds(
    CandidateFacts,
    identity=maybe(st.sampled_from(IdentityKind)),
    military=maybe(st.sampled_from(MilitaryStatus)),
    education=tuples(educations),
    work=tuples(works),
    certificates=tuples(certificates),
    training=tuples(trainings, 2),
    graduating=maybe(st.booleans()),
    exam_year=maybe(st.integers(2010, 2032)),
    applied_category=maybe(st.sampled_from([*CATEGORY_CODES, "unknown"])),
    applied_level=maybe(st.sampled_from(Level)),
    shortline_request=maybe(st.sampled_from(["儿科", "院前急救", "外科"])),
)
settings_strategy = st.builds(
    EvaluationSettings,
    assistant_cutoff=maybe(st.builds(MonthDay, st.integers(1, 12), st.integers(1, 28))),
    trial_deadline=maybe(st.builds(MonthDay, st.integers(1, 12), st.integers(1, 31))),
    warn_only=st.frozensets(st.sampled_from(["trial.insufficient", "five_year.from_2014"])),
    rural_general_open=st.booleans(),
)
# Facts where the level and certificate properties are meaningful: all decisions, mainland.
full_facts = facts_strategy.map(
    lambda f: dataclasses.replace(f, applied_category=None, applied_level=None)
)
# Plausible, fully filled facts, so that many decisions come out eligible.
plausible_education = st.builds(
    Education,
    id=st.sampled_from(["e1", "e2"]),
    level=st.sampled_from(
        [
            EducationLevel.BACHELOR,
            EducationLevel.JUNIOR_COLLEGE,
            EducationLevel.SECONDARY,
            EducationLevel.POSTGRADUATE,
        ]
    ),
    degree_type=st.sampled_from(DegreeType),
    length_years=st.integers(3, 5),
    study_form=st.sampled_from(
        [
            StudyForm.FULL_TIME,
            StudyForm.FULL_TIME,
            StudyForm.ADULT,
            StudyForm.FIVE_YEAR,
            StudyForm.APPRENTICE,
        ]
    ),
    major_name=st.sampled_from(MAJORS[:16]),
    entry=st.builds(YearMonth, st.integers(1998, 2020), st.sampled_from([9, 12, 1])),
    graduation=st.builds(YearMonth, st.integers(2003, 2024), st.just(7)),
    overseas=st.just(False),
    upgrade=st.just(False),
    program_filed=st.booleans(),
)
plausible_work = st.builds(
    Work,
    id=st.sampled_from(["w1", "w2"]),
    institution_kind=st.sampled_from(InstitutionKind),
    military=st.just(False),
    post_category=st.sampled_from(["clinical", "dental", "public_health", "tcm", "integrated"]),
    department=st.sampled_from(["儿科", "院前急救", "内科"]),
    start=st.builds(YearMonth, st.integers(2005, 2025), st.integers(1, 12)),
    end=st.none() | st.builds(YearMonth, st.integers(2010, 2026), st.integers(1, 12)),
    assessed_passed=st.just(True),
)
plausible_certificate = st.builds(
    Certificate,
    type=st.sampled_from(
        [CertificateType.ASSISTANT, CertificateType.QUALIFICATION, CertificateType.APPRENTICE]
    ),
    category=st.sampled_from(["clinical", "tcm", "dental", "rural_general"]),
    level=st.sampled_from(Level),
    issued=st.builds(YearMonth, st.integers(2000, 2023), st.integers(1, 12)),
    registered=st.builds(YearMonth, st.integers(2000, 2023), st.integers(1, 12)),
)
plausible_facts = st.builds(
    CandidateFacts,
    identity=st.sampled_from([IdentityKind.MAINLAND, IdentityKind.MAINLAND, IdentityKind.HK_MO_TW]),
    military=st.sampled_from([MilitaryStatus.NONE, MilitaryStatus.CIVILIAN]),
    education=st.lists(plausible_education, min_size=1, max_size=2).map(tuple),
    work=st.lists(plausible_work, min_size=1, max_size=3).map(tuple),
    certificates=st.lists(plausible_certificate, max_size=2).map(tuple),
    training=st.lists(trainings, max_size=1).map(tuple),
    graduating=st.booleans(),
    exam_year=st.integers(2016, 2030),
    shortline_request=maybe(st.sampled_from(["儿科", "院前急救"])),
)
some_facts = full_facts | plausible_facts
RUN = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RUN
@given(facts=facts_strategy | plausible_facts, options=maybe(settings_strategy))
def test_evaluate_never_raises_and_round_trips(facts: CandidateFacts, options) -> None:
    decisions = evaluate(facts, settings=options)
    for decision in decisions:
        assert decision.status in Status
        assert Decision.from_dict(decision.to_dict()) == decision
        if decision.status is Status.UNDECIDED:
            assert decision.missing, "undecided must say what to provide"
        if decision.status is Status.NOT_ELIGIBLE:
            assert decision.blocking
    assert CandidateFacts.from_dict(facts.to_dict()) == facts


@RUN
@given(facts=some_facts, options=maybe(settings_strategy))
def test_physician_eligible_implies_assistant_eligible(facts: CandidateFacts, options) -> None:
    decisions = {(d.category, d.level): d for d in evaluate(facts, settings=options)}
    for (category, level), decision in decisions.items():
        if level is Level.PHYSICIAN and decision.status is Status.ELIGIBLE:
            assert decisions[(category, Level.ASSISTANT)].status is Status.ELIGIBLE, category


@RUN
@given(
    facts=some_facts, extra=certificates | plausible_certificate, options=maybe(settings_strategy)
)
def test_adding_a_later_verified_certificate_keeps_eligibility(
    facts: CandidateFacts, extra: Certificate, options
) -> None:
    held = facts.certificates or ()
    dates = [d for c in held for d in (c.issued, c.registered) if d is not None]
    later = (max(dates) if dates else YearMonth(2020, 1)).add_months(1)
    extra = dataclasses.replace(extra, verified=True, issued=later)
    before = evaluate(dataclasses.replace(facts, certificates=held), settings=options)
    after = evaluate(dataclasses.replace(facts, certificates=(*held, extra)), settings=options)
    for old, new in zip(before, after, strict=True):
        if old.status is Status.ELIGIBLE:
            assert new.status is Status.ELIGIBLE, (old.label, new.reasons)
