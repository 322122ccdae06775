"""The API refuses facts that cannot be true, naming the field and the expected form."""

import json

import pytest

URL = "/api/v1/eligibility/check"
pytestmark = pytest.mark.django_db

EDUCATION = {
    "id": "e1", "level": "本科", "length_years": 5, "study_form": "全日制",
    "major_name": "临床医学", "entry": "2015-09", "graduation": "2020-07",
}  # fmt: skip
WORK = {"id": "w1", "post_category": "clinical", "start": "2020-08", "institution_kind": "其他"}


def _post(client, **facts):
    body = {"facts": {"identity": "mainland", "military": "none", "exam_year": 2025, **facts}}
    return client.post(URL, json.dumps(body), content_type="application/json")


def _errors(response) -> dict[tuple, str]:
    assert response.status_code == 422, response.content
    return {tuple(e["loc"][3:]): e["msg"] for e in response.json()["detail"]}


@pytest.mark.parametrize(
    ("facts", "loc", "words"),
    [
        ({"education": [{**EDUCATION, "graduation": "2014-07"}]},
         ("education", 0, "graduation"), "毕业年月不能早于入学年月"),
        ({"work": [{**WORK, "end": "2019-12"}]}, ("work", 0, "end"), "结束年月不能早于开始日期"),
        ({"work": [{**WORK, "start": "2024-02-30"}]}, ("work", 0, "start"), "2024年2月没有30日"),
        ({"work": [{**WORK, "start": "1900-01"}]}, ("work", 0, "start"), "不能早于1950年"),
        ({"education": [{**EDUCATION, "entry": "2031-09", "graduation": "2036-07"}]},
         ("education", 0, "entry"), "不能晚于2025年"),
        ({"education": [EDUCATION, {**EDUCATION, "level": "专科"}]},
         ("education", 1, "id"), "与第1条教育经历重复"),
        ({"education": [{**EDUCATION, "entry": "2015/09"}]},
         ("education", 0, "entry"), "请写作 YYYY-MM，如 2024-07"),
        ({"work": [{**WORK, "start": "2024-9-1"}]},
         ("work", 0, "start"), "请写作 YYYY-MM 或 YYYY-MM-DD"),
    ],
)  # fmt: skip
def test_impossible_facts_are_refused_with_the_field_and_the_form(client, facts, loc, words):
    errors = _errors(_post(client, **facts))
    assert loc in errors, errors
    assert words in errors[loc]


def test_a_start_with_its_day_is_judged_by_the_day(client):
    """2024-09-15 is not a full year of trial by 2025-08-31; 2024-08-01 is."""

    def status(start):
        response = _post(
            client,
            graduating=True,
            education=[{**EDUCATION, "entry": "2019-09", "graduation": "2024-07"}],
            work=[{**WORK, "start": start}],
            applied_category="clinical",
            applied_level="physician",
        )
        assert response.status_code == 200, response.content
        return response.json()[0]["status"]

    assert status("2024-09-15") == "not_eligible"
    assert status("2024-08-01") == "eligible"


def test_an_unrecognised_major_name_asks_for_the_code(client):
    response = _post(
        client,
        education=[{**EDUCATION, "major_name": "临床医学（五年制）"}],
        work=[{**WORK, "end": "2021-12"}],
        applied_category="clinical",
        applied_level="physician",
    )
    decision = response.json()[0]
    assert decision["status"] == "undecided"
    assert any("专业代码" in (r["missing"] or "") for r in decision["reasons"])
    response = _post(
        client,
        education=[{**EDUCATION, "major_name": "临床医学（五年制）", "major_code": "100201K"}],
        work=[{**WORK, "end": "2021-12"}],
        applied_category="clinical",
        applied_level="physician",
    )
    assert response.json()[0]["status"] == "eligible"


@pytest.mark.parametrize(
    ("field", "value", "api_change"),
    [
        ("edu1-graduation", "2019-07", {"graduation": "2019-07"}),
    ],
)
def test_the_page_and_the_api_refuse_in_the_same_words(client, field, value, api_change):
    from selfcheck_helpers import GRADUATE, form_data

    data = {**form_data(GRADUATE), field: value}
    html = client.post("/eligibility/", data).content.decode()
    education = {**GRADUATE.to_dict()["education"][0], **api_change}
    body = {"facts": {**GRADUATE.to_dict(), "education": [education]}}
    response = client.post(URL, json.dumps(body), content_type="application/json")
    (message,) = _errors(response).values()
    assert message in html
