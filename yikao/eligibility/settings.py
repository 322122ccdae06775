"""Per-exam settings: cut-off days and which rules only warn."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .serial import from_plain, to_plain
from .yearmonth import MonthDay, YearMonth


@dataclass(frozen=True)
class EvaluationSettings:
    # None = take the value from the rule edition's [defaults].
    exam_year: int | None = None  # overrides CandidateFacts.exam_year
    edition: str | None = None  # None = the edition in force for the exam year
    trial_deadline: MonthDay | None = None  # 试用期满一年的截止日（默认8月31日）
    assistant_cutoff: MonthDay | None = None  # 助理注册满二年/五年的截止日（各考区可设）
    graduate_documents_deadline: MonthDay | None = None  # 当年毕业研究生补交毕业、学位证书的期限
    registration_month: YearMonth | None = None  # 网上报名月份；之后的试用期需承诺补交
    warn_only: frozenset[str] = field(default_factory=frozenset)  # rule ids demoted to warnings
    rural_general_open: bool = True  # 本考区是否开考乡村全科执业助理医师

    def to_dict(self) -> dict[str, Any]:
        return to_plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvaluationSettings:
        return from_plain(cls, data)
