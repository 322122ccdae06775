"""The decision table (decision_table.toml): one parametrized test over all cases."""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

import pytest

from yikao.eligibility import CandidateFacts, Decision, EvaluationSettings, evaluate
from yikao.eligibility.plain import facts_from_plain

TABLE = tomllib.loads(Path(__file__).with_name("decision_table.toml").read_text("utf-8"))
CASES: list[dict[str, Any]] = TABLE["case"]
LISTS = ("education", "work", "certificates", "training")


def _none(value: Any) -> Any:
    """TOML has no null: the table writes "" for an unknown fact."""
    if value == "":
        return None
    if isinstance(value, dict):
        return {k: _none(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_none(v) for v in value]
    return value


def case_plain(case: dict[str, Any]) -> dict[str, Any]:
    """The case's facts as plain data: its template with the case's changes."""
    facts = copy.deepcopy(TABLE["templates"][case["template"]])
    for key in LISTS:
        if key in case:
            facts[key] = copy.deepcopy(case[key])
        patches = case.get(f"{key}_patch", [])
        for index, patch in enumerate([patches] if isinstance(patches, dict) else patches):
            if index < len(facts[key]):
                facts[key][index] = {**facts[key][index], **patch}
            else:
                facts[key].append(dict(patch))
        facts[key] = facts[key] + copy.deepcopy(case.get(f"{key}_add", []))
    facts.update(copy.deepcopy(case.get("facts", {})))
    return _none(facts)


def build_facts(case: dict[str, Any]) -> CandidateFacts:
    # The one builder the API, the self-check page and the wizard use.
    return facts_from_plain(case_plain(case))


def pick(decisions: list[Decision], category: str, level: str) -> Decision:
    return next(d for d in decisions if d.category == category and d.level == level)


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 80
    titles = [c["title"] for c in CASES]
    assert len(titles) == len(set(titles)), "case titles must be unique"


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_decision_table(case: dict[str, Any]) -> None:
    settings = EvaluationSettings.from_dict(case.get("settings", {}))
    decision = pick(evaluate(build_facts(case), settings=settings), case["category"], case["level"])
    explained = "\n".join([*(r.text for r in decision.reasons), *decision.basis])
    context = f"{decision.status}\n{explained}\nmissing={decision.missing}"
    assert decision.status == case["expect"], context
    for fragment in case.get("reasons", []):
        assert fragment in explained, f"{fragment!r} not in:\n{context}"
    for fragment in case.get("absent", []):
        assert fragment not in explained, f"{fragment!r} unexpectedly in:\n{context}"
    for fragment in case.get("missing", []):
        assert any(fragment in m for m in decision.missing), f"{fragment!r}: {context}"
    if "forms" in case:
        assert sorted(decision.form_codes) == sorted(case["forms"]), context
    for fragment in case.get("documents", []):
        assert any(fragment in d.label for d in decision.documents), fragment
    for fragment in case.get("restrictions", []):
        assert any(fragment in r for r in decision.restrictions), decision.restrictions
    if "addons" in case:
        assert sorted(a.code for a in decision.addons) == sorted(case["addons"])
    if "education_id" in case:
        assert decision.education_id == case["education_id"]
