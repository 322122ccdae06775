"""Shared by the self-check tests: typical candidates as form data, and reading the answers."""

import re

from yikao import eligibility as el
from yikao.eligibility_web.forms import SelfCheckForm

DECISION = re.compile(r'data-category="([a-z_]+)" data-level="([a-z]+)" data-status="([a-z_]+)"')

GRADUATE = el.CandidateFacts(
    identity=el.IdentityKind.MAINLAND,
    military=el.MilitaryStatus.NONE,
    exam_year=2025,
    graduating=True,
    education=(
        el.Education(
            id="e1",
            level=el.EducationLevel.BACHELOR,
            length_years=5,
            study_form=el.StudyForm.FULL_TIME,
            major_name="临床医学",
            entry=el.YearMonth(2020, 9),
            graduation=el.YearMonth(2025, 7),
        ),
    ),
    work=(
        el.Work(
            institution_kind=el.InstitutionKind.OTHER,
            post_category="clinical",
            start=el.YearMonth(2024, 7),
        ),
    ),
)


def form_data(facts: el.CandidateFacts) -> dict[str, str]:
    return SelfCheckForm.data_from(facts, exam_year=facts.exam_year or 2025)


def page_statuses(html: str) -> dict[tuple[str, str], str]:
    return {(c, lvl): status for c, lvl, status in DECISION.findall(html)}
