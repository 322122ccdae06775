"""Staff power over a candidate follows the candidate's active registration.

Candidate C registered at site A, abandoned there, and registered at site B, where B's staff
returned the registration and reset C's password. Site A's staff still find C's abandoned
registration in their queue, but it gives them no power over C: they cannot correct C's
basic information (which would rewrite B's snapshot), see C's full ID number or reset C's
password, and the history they read shows nothing of what happened at B.
"""

import pytest
from django.test import Client
from django.urls import reverse
from security_world import (
    C_NAME,
    C_RENAMED,
    RESET_MARK,
    RETURN_MARK,
    add_cross_site,
    build_world,
    verified_login,
)

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import Candidate, User
from yikao.core.models import AuditEntry
from yikao.registrations.models import Registration
from yikao.review import selectors
from yikao.review.services import ReviewError, candidate_correct, candidate_password_reset
from yikao.staff.models import StaffScope

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(db):
    return add_cross_site(build_world())


def _markers_of_b(w) -> tuple[str, ...]:
    """What only site B (and its area) may read about C."""
    return (RETURN_MARK, RESET_MARK, w.extra["reg_c_b"].number, w.staff_b.username)


def _c_state(w) -> dict:
    c = w.extra["cand_c"]
    return {
        "candidate": Candidate.objects.filter(pk=c.pk).values().get(),
        "password": User.objects.get(pk=c.user_id).password,
        "registrations": list(Registration.objects.filter(candidate=c).values().order_by("pk")),
    }


def _correction(w) -> dict:
    c = w.extra["cand_c"]
    return {
        "full_name": C_RENAMED, "id_type": c.id_type, "id_number": c.id_number,
        "gender": c.gender, "birth_date": c.birth_date.isoformat(), "reason": "按身份证原件更正",
    }  # fmt: skip


def test_site_a_staff_read_no_history_of_site_b_in_the_abandoned_registrations_detail(w):
    reg_c_a = w.extra["reg_c_a"]
    response = verified_login(Client(), w.staff_a).get(reverse("review:detail", args=[reg_c_a.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert reg_c_a.number in text  # A's own (abandoned) registration is still A's to read
    for marker in _markers_of_b(w):
        assert marker not in text, marker
    actions = {(h.action, h.target_id) for h in response.context["history"]}
    assert ("registration.abandoned", str(reg_c_a.pk)) in actions
    assert all(target != str(w.extra["reg_c_b"].pk) for _, target in actions)
    assert "review:correct" not in text and reverse("review:correct", args=[reg_c_a.pk]) not in text


@pytest.mark.parametrize("name", ["review:correct", "review:reset_password"])
def test_site_a_staff_cannot_act_on_a_candidate_who_moved_to_site_b(w, name):
    url = reverse(name, args=[w.extra["reg_c_a"].pk])
    before, audits = _c_state(w), AuditEntry.objects.count()
    client = verified_login(Client(), w.staff_a)
    post = _correction(w) if name == "review:correct" else {"reason": "已核验", "confirm": "on"}
    assert client.get(url).status_code == 404  # the correction page shows the full ID number
    assert client.post(url, post).status_code == 404
    assert _c_state(w) == before
    assert AuditEntry.objects.count() == audits
    assert C_RENAMED not in str(w.extra["reg_c_b"].snapshot)


def test_site_a_staffs_services_refuse_the_candidate_who_moved(w):
    c = w.extra["cand_c"]
    before = _c_state(w)
    values = {
        **_correction(w), "id_type": IdType(c.id_type), "gender": Gender(c.gender),
        "birth_date": c.birth_date,
    }  # fmt: skip
    with pytest.raises(ReviewError):
        candidate_correct(staff=w.staff_a, candidate=c, **values)
    with pytest.raises(ReviewError):
        candidate_password_reset(staff=w.staff_a, candidate=c, reason="已核验", ip_address="")
    assert _c_state(w) == before


def test_site_b_and_its_area_keep_their_power_over_the_returned_registration(w):
    reg_c_b = w.extra["reg_c_b"]
    for staff in (w.staff_b, w.area_staff):
        client = verified_login(Client(), staff)
        assert client.get(reverse("review:correct", args=[reg_c_b.pk])).status_code == 200
        detail = client.get(reverse("review:detail", args=[reg_c_b.pk])).content.decode()
        assert RETURN_MARK in detail and RESET_MARK in detail
    client = verified_login(Client(), w.staff_b)
    response = client.post(reverse("review:correct", args=[reg_c_b.pk]), _correction(w))
    assert response.status_code == 302
    reg_c_b.refresh_from_db()
    assert reg_c_b.snapshot["basic"]["full_name"] == C_RENAMED
    reg_c_a = Registration.objects.get(pk=w.extra["reg_c_a"].pk)
    assert reg_c_a.snapshot["basic"]["full_name"] == C_NAME  # abandoned: as submitted


def test_neighbouring_sites_and_other_areas_reach_none_of_the_candidates_registrations(w):
    for staff in (w.extra["staff_n"], w.other_area_staff):
        client = verified_login(Client(), staff)
        for key in ("reg_c_a", "reg_c_b", "reg_d"):
            pk = w.extra[key].pk
            for name in ("review:detail", "review:correct", "review:reset_password"):
                assert client.get(reverse(name, args=[pk])).status_code == 404, (staff, key, name)


def test_two_active_registrations_give_both_sites_power_but_each_reads_its_own_rows(w):
    """F is active at site A (first exam) and at 4103 (second exam): A's staff may act on F,
    and still read no row about the registration at the other site."""
    reg_f_a, reg_f_2 = w.extra["reg_f_a"], w.extra["reg_f_2"]
    client = verified_login(Client(), w.staff_a)
    assert client.get(reverse("review:correct", args=[reg_f_a.pk])).status_code == 200
    response = client.get(reverse("review:detail", args=[reg_f_a.pk]))
    history = response.context["history"]
    targets = {h.target_id for h in history if h.target_type == "registrations.registration"}
    assert str(reg_f_a.pk) in targets and str(reg_f_2.pk) not in targets
    assert reg_f_2.number not in response.content.decode()


def test_site_a_staffs_audit_viewer_shows_nothing_of_site_b(w):
    scope = StaffScope.objects.get(user=w.staff_a)
    rows, _ = selectors.audit_page(scope, selectors.AuditFilters(), size=500)
    c_user = w.extra["cand_c"].user_id
    about_c = [(r.action, r.target_id, r.actor_id) for r in rows if r.subject_id == c_user]
    assert ("registration.abandoned", str(w.extra["reg_c_a"].pk), c_user) in about_c
    assert all(actor != w.staff_b.pk for _, _, actor in about_c), about_c
    assert all(target != str(w.extra["reg_c_b"].pk) for _, target, _ in about_c), about_c
    page = verified_login(Client(), w.staff_a).get(reverse("review:audit")).content.decode()
    for marker in _markers_of_b(w):
        assert marker not in page, marker
