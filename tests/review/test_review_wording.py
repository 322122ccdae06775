"""The staff detail page words a registration's stored eligibility for people: each document
with its appendix once, the rule edition by its title, never a bare edition code."""

import re

import pytest
from django.urls import reverse
from review_helpers import make_registration, staff_login

from yikao import eligibility

pytestmark = pytest.mark.django_db

DOUBLED = re.compile(r"（(附件\d+)）（\1）")
EDITION_CODE = re.compile(r"（20\d\d）")


def _detail(client, staff, registration) -> str:
    staff_login(client, staff)
    response = client.get(reverse("review:detail", args=[registration.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_submitted_registration_lists_documents_and_names_the_rules(
    client, exam, site_a, staff_a
):
    registration = make_registration(exam, site_a)
    assert registration.eligibility.get("edition")  # stored as a code …
    page = _detail(client, staff_a, registration)
    assert not DOUBLED.search(page)
    assert not EDITION_CODE.search(page)
    # … shown as the edition's title.
    title = eligibility.load_rules(registration.eligibility["edition"]).title
    assert f"依据{title}判断。" in page
    for document in registration.documents:
        label = document["label"]
        assert label in page


@pytest.mark.parametrize("edition", ["2022", "2014"])
def test_a_label_that_carries_its_appendix_gets_it_once(client, exam, site_a, staff_a, edition):
    registration = make_registration(exam, site_a)
    registration.documents = [
        {"label": "试用期考核证明（附件3）", "code": "trial_certificate", "appendix": "附件3"},
        {"label": "医师资格考试考生承诺书", "code": "exam_pledge", "appendix": "附件11"},
        {"label": "身份证明", "code": None, "appendix": None},
    ]
    registration.eligibility = {**registration.eligibility, "edition": edition}
    registration.save(update_fields=["documents", "eligibility"])
    page = _detail(client, staff_a, registration)
    assert "试用期考核证明（附件3）" in page
    assert "（附件3）（附件3）" not in page
    assert "医师资格考试考生承诺书（附件11）" in page
    assert "身份证明</li>" in page and "身份证明（" not in page
    assert "符合报考条件（" not in page
    assert f"（{edition}）" not in page and "2022版" not in page
    assert eligibility.load_rules(edition).title in page


def test_an_unknown_edition_code_is_not_shown(client, exam, site_a, staff_a):
    registration = make_registration(exam, site_a)
    registration.eligibility = {**registration.eligibility, "edition": "2099"}
    registration.save(update_fields=["eligibility"])
    page = _detail(client, staff_a, registration)
    assert "2099" not in page
