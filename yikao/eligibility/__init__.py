"""Eligibility engine for the 医师资格考试 (pure Python, no Django).

Rules are data: see `rules/*.toml`.  Typical use::

    from yikao.eligibility import CandidateFacts, evaluate
    decisions = evaluate(CandidateFacts.from_dict(payload))
"""

from __future__ import annotations

from dataclasses import dataclass

from .engine import evaluate
from .facts import (
    POST_CATEGORY_NAMES,
    CandidateFacts,
    Certificate,
    CertificateType,
    DegreeType,
    Education,
    EducationLevel,
    IdentityKind,
    InstitutionKind,
    Level,
    MilitaryStatus,
    StudyForm,
    Training,
    TrainingKind,
    Work,
)
from .result import AddOn, Decision, Document, Reason, Severity, Status
from .ruleset import RuleError, RuleSet, editions, load_rules, rules_for_year
from .settings import EvaluationSettings
from .yearmonth import MonthDay, YearMonth


@dataclass(frozen=True)
class CategoryLevel:
    category: str
    level: Level
    label: str  # e.g. 临床执业医师
    category_label: str  # e.g. 临床
    level_label: str  # e.g. 执业医师


def categories(edition: str | None = None) -> tuple[CategoryLevel, ...]:
    """The category × level identities of a rule edition (default: the newest)."""
    rules = load_rules(edition or editions()[-1])
    return tuple(
        CategoryLevel(c.code, lvl, rules.label(c.code, lvl), c.label, rules.level_labels[lvl])
        for c in rules.categories
        for lvl in c.levels
    )


CATEGORIES = categories()

__all__ = [
    "CATEGORIES",
    "POST_CATEGORY_NAMES",
    "AddOn",
    "CandidateFacts",
    "CategoryLevel",
    "Certificate",
    "CertificateType",
    "Decision",
    "DegreeType",
    "Document",
    "Education",
    "EducationLevel",
    "EvaluationSettings",
    "IdentityKind",
    "InstitutionKind",
    "Level",
    "MilitaryStatus",
    "MonthDay",
    "Reason",
    "RuleError",
    "RuleSet",
    "Severity",
    "Status",
    "StudyForm",
    "Training",
    "TrainingKind",
    "Work",
    "YearMonth",
    "categories",
    "editions",
    "evaluate",
    "load_rules",
    "rules_for_year",
]
