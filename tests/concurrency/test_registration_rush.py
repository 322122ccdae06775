"""The opening-hour rush with real threads: never overbooked, never two registrations."""

from collections import Counter

import pytest
import rush
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.registrations.models import Registration
from yikao.registrations.services import SITE_FULL, RegistrationError, registration_submit

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs):
    return rush.run_at_once(jobs, refusal=RegistrationError)


def test_200_candidates_50_seats_exactly_50_registered():
    exam = make_exam()
    site = make_site(exam, capacity=50)
    drafts = []
    for _ in range(200):
        candidate = make_candidate()
        make_bachelor_profile(candidate)
        drafts.append(make_draft(candidate, exam, site))
    results = run_at_once([lambda d=d: registration_submit(draft=d, token=d.token) for d in drafts])
    outcomes = Counter(kind for kind, _ in results)
    assert outcomes == {"ok": 50, "refused": 150}, [r for r in results if r[0] == "error"][:3]
    assert {message for kind, message in results if kind == "refused"} == {SITE_FULL}
    registrations = Registration.objects.filter(site=site)
    assert registrations.count() == 50
    assert len(set(registrations.values_list("number", flat=True))) == 50
    # No partial rows: every registration has its snapshot and its entries.
    for registration in registrations:
        assert registration.snapshot["educations"] and registration.educations.count() == 1


def test_one_candidate_submitting_ten_times_at_once_gets_one_registration():
    exam = make_exam()
    site = make_site(exam, capacity=50)
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    results = run_at_once([lambda: registration_submit(draft=draft, token=draft.token)] * 10)
    assert {kind for kind, _ in results} == {"ok"}, results
    assert len({pk for _, pk in results}) == 1
    assert Registration.objects.filter(candidate=candidate).count() == 1
