"""National staff edit exams, areas, sites and seats in the Django admin (behind TOTP);
site and area staff do not."""

import pytest
from django.urls import reverse
from review_helpers import make_staff, staff_login

from yikao.exams.models import SiteCapacity

pytestmark = pytest.mark.django_db


def test_national_staff_may_edit_exams_and_seats_but_not_delete_them(national):
    for perm in ("add_exam", "change_exam", "change_sitecapacity", "change_examsite"):
        assert national.has_perm(f"exams.{perm}")
    assert not national.has_perm("exams.delete_exam")
    assert not national.has_perm("staff.change_staffscope")


def test_site_and_area_staff_get_no_admin_permissions(staff_a, area41):
    for user in (staff_a, area41):
        assert not user.has_perm("exams.change_exam")


def test_national_staff_change_a_sites_seats_in_the_admin(client, national, exam, site_a):
    staff_login(client, national)
    capacity = SiteCapacity.objects.get(exam=exam, site=site_a)
    url = reverse("admin:exams_sitecapacity_change", args=[capacity.pk])
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"exam": exam.pk, "site": site_a.pk, "capacity": 650})
    assert response.status_code == 302, response.context["adminform"].form.errors
    capacity.refresh_from_db()
    assert capacity.capacity == 650


def test_the_registration_number_counter_cannot_be_edited_in_the_admin(
    client, national, exam, site_a
):
    staff_login(client, national)
    capacity = SiteCapacity.objects.get(exam=exam, site=site_a)
    url = reverse("admin:exams_sitecapacity_change", args=[capacity.pk])
    assert 'name="last_number"' not in client.get(url).content.decode()
    client.post(url, {"exam": exam.pk, "site": site_a.pk, "capacity": 500, "last_number": 999})
    before = capacity.last_number
    capacity.refresh_from_db()
    assert capacity.last_number == before


def test_site_staff_cannot_open_the_exam_admin(client, staff_a):
    staff_login(client, staff_a)
    assert client.get(reverse("admin:exams_exam_changelist")).status_code == 403


def test_the_group_is_shared_by_national_staff(national):
    second = make_staff("guojia2", "national")
    assert list(second.groups.all()) == list(national.groups.all())
