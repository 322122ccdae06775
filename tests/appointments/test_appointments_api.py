"""/api/v1/appointments: list free slots, book, reschedule, cancel; CSRF on writes."""

import pytest
from appointments_helpers import make_registration, make_slot
from django.test import Client
from factories import make_site

from yikao.appointments.models import Booking, BookingStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reg(exam, site):
    return make_registration(exam, site)


def csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.get("/registrations/")  # any page sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def test_schema_lists_the_appointment_paths(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/appointments/registrations/{registration_id}/slots" in paths
    assert {"get", "post", "delete"} <= set(paths["/api/v1/appointments/registrations/{registration_id}/booking"])  # fmt: skip


def test_login_required(client, reg):
    assert client.get(f"/api/v1/appointments/registrations/{reg.pk}/slots").status_code == 401


def test_list_book_reschedule_cancel(exam, site, reg):
    a, b = make_slot(exam, site, capacity=2), make_slot(exam, site, days=4, capacity=1)
    client, token = csrf_client(reg.candidate.user)
    [listed] = client.get("/api/v1/appointments/registrations").json()
    assert listed["id"] == reg.pk and listed["booking"] is None
    slots = client.get(f"/api/v1/appointments/registrations/{reg.pk}/slots").json()
    assert [(s["id"], s["left"]) for s in slots] == [(a.pk, 2), (b.pk, 1)]
    url = f"/api/v1/appointments/registrations/{reg.pk}/booking"
    refused = client.post(url, {"slot_id": a.pk}, content_type="application/json")
    assert refused.status_code == 403 and not Booking.objects.exists()
    booked = client.post(url, {"slot_id": a.pk}, content_type="application/json", HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert booked.status_code == 201, booked.content
    body = booked.json()["booking"]
    assert body["slot"]["id"] == a.pk and body["changeable"] and body["qr_png"].startswith("data:image/png")  # fmt: skip
    moved = client.post(url, {"slot_id": b.pk}, content_type="application/json", HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert moved.json()["booking"]["slot"]["id"] == b.pk
    cancelled = client.delete(url, HTTP_X_CSRFTOKEN=token)
    assert cancelled.status_code == 200 and cancelled.json()["booking"] is None
    assert Booking.objects.get().status == BookingStatus.CANCELLED


def test_full_slot_is_409_with_a_sentence(exam, site, reg):
    slot = make_slot(exam, site, capacity=1)
    other = make_registration(exam, site)
    for user, status in ((other.candidate.user, 201), (reg.candidate.user, 409)):
        client, token = csrf_client(user)
        registration = other if user == other.candidate.user else reg
        response = client.post(f"/api/v1/appointments/registrations/{registration.pk}/booking",
                               {"slot_id": slot.pk}, content_type="application/json",
                               HTTP_X_CSRFTOKEN=token)  # fmt: skip
        assert response.status_code == status
    assert response.json() == {"detail": "该时段已约满，请选择其他时段。"}


def test_other_candidates_registration_and_other_sites_slot_are_404(exam, site, reg):
    other = make_registration(exam, site)
    client, token = csrf_client(other.candidate.user)
    assert client.get(f"/api/v1/appointments/registrations/{reg.pk}/slots").status_code == 404
    foreign = make_slot(exam, make_site(exam))
    response = client.post(f"/api/v1/appointments/registrations/{other.pk}/booking",
                           {"slot_id": foreign.pk}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)  # fmt: skip
    assert response.status_code == 404
