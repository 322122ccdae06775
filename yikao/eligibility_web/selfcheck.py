"""What the self-check page and the API share: which settings apply, and asking the engine.

Both come through `run_check`, so they give the same answers for the same facts.
"""

import dataclasses
import datetime
from collections.abc import Iterable

from django.conf import settings as django_settings

from yikao import eligibility as el
from yikao.eligibility_web.facts import exam_settings
from yikao.exams.models import Exam

# The exam takes place in summer: after August the next exam is next year's.
LAST_MONTH_OF_EXAM_YEAR = 8
STATUS_ORDER = {el.Status.ELIGIBLE: 0, el.Status.UNDECIDED: 1, el.Status.NOT_ELIGIBLE: 2}


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) allowed per IP for the page and, separately, for the API."""
    return getattr(django_settings, "YIKAO_SELFCHECK_RATE", (60, 60))


def first_rule_year() -> int:
    return el.load_rules(el.editions()[0]).first_exam_year


def default_exam_year(today: datetime.date | None = None) -> int:
    today = today or datetime.date.today()
    year = today.year + (today.month > LAST_MONTH_OF_EXAM_YEAR)
    published = (
        Exam.objects.filter(is_published=True, year__gte=today.year)
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    return published or year


def exam_for_year(year: int | None) -> Exam | None:
    if year is None:
        return None
    return Exam.objects.filter(is_published=True, year=year).order_by("code").first()


def check_settings(
    facts: el.CandidateFacts,
    *,
    assistant_cutoff: el.MonthDay | None = None,
    warn_only: Iterable[str] = (),
) -> el.EvaluationSettings:
    """The exam's settings for the facts' year (if that exam is set up), then the overrides."""
    exam = exam_for_year(facts.exam_year)
    base = exam_settings(exam) if exam else el.EvaluationSettings()
    return dataclasses.replace(
        base,
        assistant_cutoff=assistant_cutoff or base.assistant_cutoff,
        warn_only=base.warn_only | frozenset(warn_only),
    )


def run_check(
    facts: el.CandidateFacts,
    *,
    assistant_cutoff: el.MonthDay | None = None,
    warn_only: Iterable[str] = (),
) -> list[el.Decision]:
    chosen = check_settings(facts, assistant_cutoff=assistant_cutoff, warn_only=warn_only)
    return el.evaluate(facts, settings=chosen)


def ordered(decisions: Iterable[el.Decision]) -> list[el.Decision]:
    """Eligible first, then undecided, then not eligible; the engine's order within each."""
    return sorted(decisions, key=lambda d: STATUS_ORDER[d.status])


def grouped(decisions: Iterable[el.Decision]) -> dict[str, list[el.Decision]]:
    groups: dict[str, list[el.Decision]] = {status.value: [] for status in STATUS_ORDER}
    for decision in decisions:
        groups[decision.status.value].append(decision)
    return groups


def major_names() -> list[str]:
    """The majors the newest rules know by name, for the form's suggestions."""
    return sorted(el.load_rules(el.editions()[-1]).all_known_names)
