"""The page and the API give the same answers for the same facts (decision-table cases)."""

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from selfcheck_helpers import form_data, page_statuses

from yikao import eligibility as el
from yikao.eligibility_web.forms import SelfCheckForm

_spec = importlib.util.spec_from_file_location(
    "selfcheck_decision_table",
    Path(__file__).parents[1] / "eligibility" / "test_decision_table.py",
)
table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(table)

# What the page does not ask for; it never changes a status in these cases.
_NOT_ASKED = {"id", "institution", "verified", "name"}
# Checkboxes cannot say "unknown": unticked is False; an unknown value compares as unticked.
_TICKED_OR_NOT = {"military", "completed", "upgrade", "overseas"}


def _plain(value: Any) -> Any:
    """Facts as plain data, without what the form leaves out."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    return {
        k: None if k in _TICKED_OR_NOT and v is False else _plain(v)
        for k, v in value.items()
        if k not in _NOT_ASKED
    }


def _as_form_facts(facts: el.CandidateFacts) -> el.CandidateFacts | None:
    form = SelfCheckForm(form_data(facts))
    return form.facts() if form.is_valid() else None


def _fits_the_form(case: dict[str, Any]) -> bool:
    if case.get("settings"):
        return False
    facts = table.build_facts(case)
    again = _as_form_facts(facts)
    return again is not None and _plain(again.to_dict()) == _plain(facts.to_dict())


CASES = [case for case in table.CASES if _fits_the_form(case)]


def test_selfcheck_enough_table_cases_fit_the_form():
    assert len(CASES) >= 40, len(CASES)


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_selfcheck_page_and_api_agree(client, case):
    facts = table.build_facts(case)
    page = page_statuses(client.post("/eligibility/", form_data(facts)).content.decode())
    response = client.post(
        "/api/v1/eligibility/check",
        json.dumps({"facts": facts.to_dict()}),
        content_type="application/json",
    )
    api = {(d["category"], d["level"]): d["status"] for d in response.json()}
    assert response.status_code == 200
    assert page == api
    assert page[(case["category"], case["level"])] == case["expect"]
