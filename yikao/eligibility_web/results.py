"""The engine's decisions arranged for the page: grouped by status, documents split."""

from dataclasses import dataclass

from yikao import eligibility as el

from .selfcheck import grouped


@dataclass(frozen=True)
class Shown:
    decision: el.Decision
    education: str  # which education the decision relies on, in words
    forms: tuple[tuple[str, str], ...]  # appendix forms: (附件3, its title)
    papers: tuple[str, ...]  # baseline documents


def describe(entry: el.Education) -> str:
    parts = [
        entry.level,
        entry.degree_type,
        entry.study_form,
        entry.major_name,
        f"{entry.length_years}年制" if entry.length_years else None,
    ]
    text = "，".join(str(p) for p in parts if p)
    if entry.entry or entry.graduation:
        text += f"（{entry.entry or '?'} 至 {entry.graduation or '?'}）"
    return f"{entry.id}教育经历：{text}" if text else f"{entry.id}教育经历"


def arrange(decisions: list[el.Decision], facts: el.CandidateFacts) -> dict[str, list[Shown]]:
    educations = {e.id: describe(e) for e in facts.education or ()}
    return {
        status: [
            Shown(
                decision=d,
                education=educations.get(d.education_id or "", d.education_id or ""),
                forms=tuple(
                    (doc.appendix or "", doc.label.removesuffix(f"（{doc.appendix}）"))
                    for doc in d.documents
                    if doc.code
                ),
                papers=tuple(doc.label for doc in d.documents if not doc.code),
            )
            for d in items
        ]
        for status, items in grouped(decisions).items()
    }
