"""What the engine answers: one Decision per category × level."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .facts import Level
from .serial import from_plain, to_plain


class Status(StrEnum):
    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNDECIDED = "undecided"


class Severity(StrEnum):
    BLOCKING = "blocking"
    WARNING = "warning"


@dataclass(frozen=True)
class Reason:
    rule: str  # rule id in the rule files
    text: str  # a Chinese sentence that names the rule and its source
    severity: Severity
    missing: str | None = None  # set when a fact is unknown: what to provide


@dataclass(frozen=True)
class Document:
    label: str
    code: str | None = None  # stable code of an appendix form, e.g. trial_certificate
    appendix: str | None = None  # 附件3 …


@dataclass(frozen=True)
class AddOn:
    code: str  # military_medicine / shortline
    label: str
    required: bool


@dataclass(frozen=True)
class Decision:
    category: str
    level: Level
    label: str
    status: Status
    reasons: tuple[Reason, ...] = ()
    basis: tuple[str, ...] = ()  # what the decision relies on, as Chinese sentences
    education_id: str | None = None
    restrictions: tuple[str, ...] = ()
    addons: tuple[AddOn, ...] = ()
    documents: tuple[Document, ...] = ()
    edition: str = ""

    @property
    def blocking(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity is Severity.BLOCKING)

    @property
    def warnings(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.severity is Severity.WARNING)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.missing for r in self.reasons if r.missing))

    @property
    def form_codes(self) -> tuple[str, ...]:
        return tuple(d.code for d in self.documents if d.code)

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Decision:
        return from_plain(cls, data)
