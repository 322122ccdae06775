"""The audit viewer's scope: site staff read the history of the registrations at their
site, not what the same candidate did at another site."""

import pytest
from factories import make_bachelor_profile, make_draft, make_exam
from review_helpers import make_registration

from yikao.exams.models import SiteCapacity
from yikao.registrations.services import registration_submit
from yikao.review import selectors
from yikao.staff.models import StaffScope

pytestmark = pytest.mark.django_db


def _actions(staff) -> list[tuple[str, str]]:
    rows, _ = selectors.audit_page(StaffScope.objects.get(user=staff), selectors.AuditFilters())
    return [(row.action, row.target_id) for row in rows]


def test_site_staff_do_not_read_rows_about_the_candidates_registration_elsewhere(
    exam, site_a, site_b, staff_a, staff_b, national
):
    at_a = make_registration(exam, site_a)
    candidate = at_a.candidate
    next_year = make_exam(year=2028, code="next-year")
    make_bachelor_profile(candidate)
    SiteCapacity.objects.create(exam=next_year, site=site_b, capacity=5)
    draft = make_draft(candidate, next_year, site_b)
    at_b = registration_submit(draft=draft, token=draft.token)

    seen_by_a = _actions(staff_a)
    assert ("registration.submitted", str(at_a.pk)) in seen_by_a
    assert ("registration.submitted", str(at_b.pk)) not in seen_by_a
    assert any(action == "account.registered" for action, _ in seen_by_a)  # the account's
    seen_by_b = _actions(staff_b)
    assert ("registration.submitted", str(at_b.pk)) in seen_by_b
    assert ("registration.submitted", str(at_a.pk)) not in seen_by_b
    everything = _actions(national)
    assert {("registration.submitted", str(r.pk)) for r in (at_a, at_b)} <= set(everything)
