"""Everything one evaluation needs, resolved once: facts, settings, the rule edition, dates."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import Notes
from .facts import CandidateFacts, Level
from .result import Decision
from .ruleset import RuleSet, normalize_code, normalize_name
from .settings import EvaluationSettings
from .yearmonth import MonthDay, YearMonth


@dataclass
class Context:
    facts: CandidateFacts
    settings: EvaluationSettings
    rules: RuleSet
    exam_year: int
    decisions: dict[tuple[str, Level], Decision] = field(default_factory=dict)

    @property
    def trial_deadline(self) -> MonthDay:
        return self.settings.trial_deadline or self.rules.trial_deadline

    @property
    def graduate_documents_deadline(self) -> str:
        """当年毕业研究生 hand in their diplomas by this day (the province's 附件6 prints it)."""
        day = self.settings.graduate_documents_deadline
        return day.chinese() if day else self.rules.postgraduate_deadline

    @property
    def assistant_cutoff(self) -> MonthDay:
        return self.settings.assistant_cutoff or self.rules.assistant_cutoff

    @property
    def deadline_month(self) -> YearMonth:
        """Last month of trial that counts; a month cut short by the deadline does not count."""
        day = self.trial_deadline
        month = YearMonth(self.exam_year, day.month)
        return month if day.is_month_end(self.exam_year) else month.add_months(-1)

    @property
    def registration(self) -> YearMonth:
        return self.settings.registration_month or YearMonth(
            self.exam_year, self.rules.registration_month
        )

    def notes(self) -> Notes:
        return Notes(self.rules.checks, self.settings.warn_only)

    def major_in(self, key: str, name: str | None, code: str | None) -> bool | None:
        """Names decide when the name is known to the rule files; otherwise codes do."""
        majors = self.rules.majors[key]
        norm = normalize_name(name) if name else None
        if norm and norm in self.rules.all_known_names:
            return majors.has_name(norm)
        if code and code.strip():
            return majors.has_code(normalize_code(code)) or bool(norm and majors.has_name(norm))
        # A name the rule files do not know is not a verdict on the diploma: it may be
        # worded differently ("临床医学（五年制）"). Ask for the code instead of refusing.
        return None
