"""The 报名资格自测 answer says which rules it applies by their title (never "2022版" or a
bare edition code) and lists each form with its appendix once."""

import dataclasses
import re

import pytest
from selfcheck_helpers import GRADUATE, form_data

from yikao import eligibility as el

URL = "/eligibility/"
pytestmark = pytest.mark.django_db

DOUBLED = re.compile(r"（(附件\d+)）（\1）")


def _answer(client, facts) -> str:
    response = client.post(URL, form_data(facts))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="results"' in html
    return html


def test_the_answer_names_the_rules_it_applies(client):
    html = _answer(client, GRADUATE)
    rules = el.rules_for_year(GRADUATE.exam_year)
    assert rules.code == "2022"
    assert f'<p class="edition">依据{rules.title}判断。</p>' in html
    assert "《医师资格考试报名资格规定（2014版）》及《中华人民共和国医师法》" in html
    assert "2022版" not in html
    assert not re.search(r"（20\d\d）", html)
    assert not DOUBLED.search(html)


def test_forms_are_listed_with_their_appendix_once(client):
    html = _answer(client, GRADUATE)
    assert '<span class="appendix">附件' in html  # a graduate in a trial post needs 附件3
    assert not DOUBLED.search(html)


@pytest.mark.parametrize("code", el.editions())
def test_every_edition_has_a_title_in_words(code):
    from yikao.documents.templatetags.wording import edition_title

    title = edition_title(code)
    assert title.startswith("《") and "医师资格考试报名资格规定" in title
    assert title != code


def test_an_unknown_or_empty_edition_shows_nothing():
    from yikao.documents.templatetags.wording import edition_title

    assert edition_title("") == "" and edition_title("2099") == ""
    assert edition_title(None) == ""


def test_document_label_appends_the_appendix_only_when_missing():
    from yikao.documents.templatetags.wording import document_label

    assert document_label({"label": "试用期考核证明（附件3）", "appendix": "附件3"}) == (
        "试用期考核证明（附件3）"
    )
    assert document_label({"label": "考试承诺书", "appendix": "附件11"}) == "考试承诺书（附件11）"
    assert document_label(el.Document(label="身份证明")) == "身份证明"
    doc = dataclasses.replace(el.Document(label="考试承诺书"), appendix="附件11")
    assert document_label(doc) == "考试承诺书（附件11）"
