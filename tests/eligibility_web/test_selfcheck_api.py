"""POST /api/v1/eligibility/check: public, validated, rate limited, documented."""

import json

import pytest
from django.test import Client
from selfcheck_helpers import GRADUATE

from yikao import eligibility as el

URL = "/api/v1/eligibility/check"
pytestmark = pytest.mark.django_db


def _post(client, body, **extra):
    return client.post(URL, json.dumps(body), content_type="application/json", **extra)


def _facts(**changes):
    facts = GRADUATE.to_dict()
    facts.update(changes)
    return facts


def _bad_locs(response) -> set[tuple]:
    assert response.status_code == 422, response.content
    return {tuple(item["loc"]) for item in response.json()["detail"]}


def test_selfcheck_api_valid_facts_give_the_engine_decisions(client):
    response = _post(client, {"facts": GRADUATE.to_dict()})
    assert response.status_code == 200
    assert response.json() == [d.to_dict() for d in el.evaluate(GRADUATE)]
    first = response.json()[0]
    assert (first["category"], first["level"], first["status"]) == (
        "clinical",
        "physician",
        "eligible",
    )
    assert {"code": "graduate_pledge", "appendix": "附件7"}.items() <= next(
        d for d in first["documents"] if d["code"] == "graduate_pledge"
    ).items()


def test_selfcheck_api_needs_no_login_and_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    assert _post(client, {"facts": GRADUATE.to_dict()}).status_code == 200


def test_selfcheck_api_logged_in_session_needs_no_csrf_token(candidate):
    client = Client(enforce_csrf_checks=True)
    client.force_login(candidate.user)
    assert _post(client, {"facts": GRADUATE.to_dict()}).status_code == 200


def test_selfcheck_api_partial_facts_are_undecided(client):
    response = _post(client, {"facts": {"identity": "mainland", "military": "none"}})
    assert response.status_code == 200
    assert {d["status"] for d in response.json()} == {"undecided"}
    assert any(r["missing"] == "报考年份" for r in response.json()[0]["reasons"])


def test_selfcheck_api_applied_category_and_settings(client):
    body = {
        "facts": _facts(applied_category="clinical", applied_level="physician"),
        "settings": {"assistant_cutoff": "08-31", "warn_only": ["trial.pledge"]},
    }
    response = _post(client, body)
    assert response.status_code == 200
    assert [(d["category"], d["level"]) for d in response.json()] == [("clinical", "physician")]


def test_selfcheck_api_lists_every_bad_field(client):
    education = {**GRADUATE.to_dict()["education"][0], "level": "博士后", "major_name": "临" * 61}
    body = {
        "facts": _facts(
            exam_year="明年",
            graduating="maybe",
            identity="martian",
            applied_category="surgery",
            education=[education, {"id": "x", "entry": "2020/9", "length_years": "five"}],
        ),
        "settings": {"assistant_cutoff": "8/15"},
    }
    locs = _bad_locs(_post(client, body))
    expected = {
        ("body", "payload", "facts", "exam_year"),
        ("body", "payload", "facts", "graduating"),
        ("body", "payload", "facts", "identity"),
        ("body", "payload", "facts", "applied_category"),
        ("body", "payload", "facts", "education", 0, "level"),
        ("body", "payload", "facts", "education", 0, "major_name"),
        ("body", "payload", "facts", "education", 1, "entry"),
        ("body", "payload", "facts", "education", 1, "length_years"),
        ("body", "payload", "settings", "assistant_cutoff"),
    }
    assert expected <= locs, locs - expected


@pytest.mark.parametrize(
    "facts",
    [
        {"unknown_field": 1},
        {"education": [{"level": "本科"}]},  # an education needs its id
        {"education": [{"id": "e"}] * 11},
        {"work": [{"department": "x" * 31}]},
        {"exam_year": 99999},
        {"shortline_request": "儿" * 21},
    ],
)
def test_selfcheck_api_rejects_bad_shapes(client, facts):
    assert _bad_locs(_post(client, {"facts": facts}))


def test_selfcheck_api_rejects_body_that_is_not_json(client):
    response = client.post(URL, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)


def test_selfcheck_api_names_the_field_of_an_impossible_year(client):
    education = {**GRADUATE.to_dict()["education"][0], "entry": "0000-09"}
    response = _post(client, {"facts": _facts(education=[education])})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "payload", "facts", "education", 0, "entry"]
    assert item["msg"] == "入学年月不能早于1950年，请核对"


def test_selfcheck_api_rate_limited_with_chinese_message(client, settings):
    settings.YIKAO_SELFCHECK_RATE = (3, 60)
    body = {"facts": GRADUATE.to_dict()}
    assert [_post(client, body).status_code for _ in range(3)] == [200, 200, 200]
    response = _post(client, body)
    assert response.status_code == 429
    assert response.json() == {"detail": "请求过于频繁，每60秒最多3次，请稍后再试。"}
    assert _post(client, body, REMOTE_ADDR="10.1.2.3").status_code == 200


def test_selfcheck_api_schema_describes_the_fields(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/eligibility/check"]["post"]
    assert operation.get("security") in (None, [])  # public
    assert set(operation["responses"]) >= {"200", "422", "429"}
    components = schema["components"]["schemas"]
    facts = components["FactsIn"]["properties"]
    assert {"identity", "education", "work", "certificates", "training", "exam_year"} <= set(facts)
    education = components["EducationIn"]["properties"]
    assert education["major_name"]["anyOf"][0]["maxLength"] == 60
    assert components["EducationLevel"]["enum"] == [e.value for e in el.EducationLevel]
    decision = components["DecisionOut"]["properties"]
    assert {"status", "reasons", "basis", "documents", "addons", "restrictions"} <= set(decision)
    assert components["Status"]["enum"] == ["eligible", "not_eligible", "undecided"]
