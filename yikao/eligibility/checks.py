"""Collecting reasons: every reason names its rule and the rule's source."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .result import Reason, Severity, Status

# The check ids the evaluator uses; each must have a text and a source in the rule files.
REQUIRED_CHECKS = (
    "exam_year.missing", "edition.none", "category.closed", "identity.unknown",
    "identity.hk_mo_tw.category", "identity.hk_mo_tw.education", "identity.foreign",
    "military.unknown", "education.unknown", "education.none", "education.no_basis",
    "education.level_only_assistant", "education.field_missing", "education.basis",
    "education.not_obtained", "education.entry_day", "education.overseas",
    "education.certificate", "education.upgrade_mismatch", "education.prior_assistant_missing",
    "education.prior_assistant_level", "postgraduate.pledge", "postgraduate.graduation_unknown",
    "trial.unknown", "trial.field_missing", "trial.insufficient", "trial.complete",
    "trial.pledge", "trial.category_mismatch", "trial.military_required",
    "trial.military_not_allowed", "trial.institution_kind", "trial.failed", "assistant.none",
    "assistant.township", "assistant.registered_missing", "assistant.registered_day",
    "assistant.years_short", "assistant.years_ok", "level.physician_implies_assistant",
    "level.already_qualified", "rural.education", "rural.work", "rural.not_open", "west.route",
    "west.no_proof", "west.proof_unknown", "shortline.allowed", "shortline.restriction",
    "shortline.refused",
)  # fmt: skip


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def cite(text: str, source: str) -> str:
    return f"{text}（{source}）" if source else text


class Notes:
    """Reasons for one route, with the per-exam demotion of rules to warnings."""

    def __init__(self, checks: dict[str, tuple[str, str]], warn_only: frozenset[str]):
        self._checks = checks
        self._warn_only = warn_only
        self.reasons: list[Reason] = []
        self.basis: list[str] = []  # sentences explaining what the route relies on

    def child(self) -> Notes:
        return Notes(self._checks, self._warn_only)

    def render(self, check: str, **params: Any) -> str:
        text, source = self._checks[check]
        values = _Blank(params)
        return cite(text.format_map(values), source.format_map(values))

    def _add(self, rule: str, text: str, severity: Severity, missing: str | None) -> None:
        if severity is Severity.BLOCKING and rule in self._warn_only:
            severity = Severity.WARNING
        reason = Reason(rule=rule, text=text, severity=severity, missing=missing)
        if reason not in self.reasons:
            self.reasons.append(reason)

    def fail(self, check: str, *, rule: str | None = None, **params: Any) -> None:
        self._add(rule or check, self.render(check, **params), Severity.BLOCKING, None)

    def need(self, check: str, missing: str, *, rule: str | None = None, **params: Any) -> None:
        text = self.render(check, **params)
        self._add(rule or check, text, Severity.BLOCKING, missing)

    def warn(self, check: str, *, rule: str | None = None, **params: Any) -> None:
        self._add(rule or check, self.render(check, **params), Severity.WARNING, None)

    def rule_fail(self, rule: str, text: str, source: str) -> None:
        self._add(rule, cite(text, source), Severity.BLOCKING, None)

    def rule_warn(self, rule: str, text: str, source: str) -> None:
        self._add(rule, cite(text, source), Severity.WARNING, None)

    def explain(self, check: str, **params: Any) -> None:
        sentence = self.render(check, **params)
        if sentence not in self.basis:
            self.basis.append(sentence)

    def extend(self, other: Notes | Iterable[Reason]) -> None:
        reasons = other.reasons if isinstance(other, Notes) else other
        for reason in reasons:
            self._add(reason.rule, reason.text, reason.severity, reason.missing)
        if isinstance(other, Notes):
            self.basis += [b for b in other.basis if b not in self.basis]

    @property
    def status(self) -> Status:
        blocking = [r for r in self.reasons if r.severity is Severity.BLOCKING]
        if any(r.missing is None for r in blocking):
            return Status.NOT_ELIGIBLE
        return Status.UNDECIDED if blocking else Status.ELIGIBLE
