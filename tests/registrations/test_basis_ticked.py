"""The registration names the education it rests on, so that education must be ticked: the
engine sees every education (a postgraduate's bachelor counts although not ticked), and
when the one it chose is not ticked step 5 says which to tick and 提交 is refused."""

import re

import pytest
from django.urls import reverse
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)

from yikao.eligibility import Status
from yikao.profiles.models import Education
from yikao.registrations.models import Registration
from yikao.registrations.services import (
    RegistrationError,
    UntickedBasis,
    draft_decision,
    draft_save,
    registration_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def site(exam):
    return make_site(exam, capacity=10)


@pytest.fixture
def two_educations(client):
    """A 公共卫生 master (no basis for 临床) on top of the 临床医学 bachelor (the basis)."""
    candidate = make_candidate()
    bachelor = make_bachelor_profile(candidate, graduation="2021-06")
    master = Education.objects.create(
        candidate=candidate, level="研究生（硕士）", length_years=3, study_form="全日制",
        entry_date="2021-09", graduation_date="2024-06", school_code="4141010459",
        school_name="郑州大学", major_code="100401", major_name="流行病与卫生统计学",
        diploma_number="104591202406005678",
    )  # fmt: skip
    make_photo(candidate)
    client.force_login(candidate.user)
    return candidate, bachelor, master


def step_url(exam, number):
    return reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": number})


def _tick(draft, *educations):
    return draft_save(draft=draft, step=3, values={"educations": [e.pk for e in educations]})


def test_an_unticked_basis_is_named_and_submit_is_refused(client, exam, site, two_educations):
    candidate, bachelor, master = two_educations
    draft = _tick(make_draft(candidate, exam, site), master)
    decision = draft_decision(draft)
    assert isinstance(decision, UntickedBasis)
    assert decision.education_id == str(bachelor.pk)
    assert decision.status is Status.UNDECIDED
    assert re.fullmatch(
        r"报考依据为第\d条教育经历（本科临床医学），请在第3步勾选它后再提交。",
        decision.unticked_basis,
    )

    page = client.get(step_url(exam, 5)).content.decode()
    assert decision.unticked_basis in page
    assert "报考依据的教育经历尚未勾选，暂不能提交" in page
    assert "不符合临床执业医师报考条件" not in page
    assert f'href="{step_url(exam, 3)}"' in page
    assert re.search(r'<button type="submit" name="go" value="submit" disabled', page)

    with pytest.raises(RegistrationError) as refused:
        registration_submit(draft=draft, token=draft.token)
    assert refused.value.code == "basis"
    assert refused.value.message == decision.unticked_basis
    response = client.post(
        step_url(exam, 5), {"area": site.area.code, "site": site.pk, "token": draft.token}
    )
    assert response.status_code == 200
    assert decision.unticked_basis in response.content.decode()
    assert not Registration.objects.filter(candidate=candidate).exists()


def test_once_ticked_the_stored_decision_names_a_ticked_education(
    client, exam, site, two_educations
):
    candidate, bachelor, master = two_educations
    draft = _tick(make_draft(candidate, exam, site), master)
    named = re.match(r"报考依据为(第\d条教育经历)", draft_decision(draft).unticked_basis).group(1)
    draft = _tick(draft, master, bachelor)
    decision = draft_decision(draft)
    assert not isinstance(decision, UntickedBasis)
    assert decision.status is Status.ELIGIBLE
    page = client.get(step_url(exam, 5)).content.decode()
    assert 'id="unticked-basis"' not in page
    registration = registration_submit(draft=draft, token=draft.token)
    assert registration.eligibility["education_id"] == str(bachelor.pk)
    ticked = {str(e["id"]) for e in registration.snapshot["educations"]}
    assert registration.eligibility["education_id"] in ticked
    assert "unticked_basis" not in registration.eligibility
    # "以第N条教育经历报考" names the entry step 5 asked to tick, now ticked and registered.
    assert any(line.startswith(f"以{named}") for line in registration.eligibility["basis"])


def test_a_ticked_basis_is_left_as_the_engine_said(client, exam, site):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)  # every education ticked
    decision = draft_decision(draft)
    assert type(decision).__name__ == "Decision"
    assert decision.status is Status.ELIGIBLE
