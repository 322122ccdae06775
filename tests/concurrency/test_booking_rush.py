"""The booking rush with real threads: never overbooked, nobody with two bookings, and
crosswise reschedules (A→B while B→A) neither deadlock nor overbook."""

import sys
from collections import Counter
from pathlib import Path

import pytest
import rush
from factories import make_candidate, make_exam, make_site

from yikao.appointments.models import ACTIVE, Booking
from yikao.appointments.services import (
    SLOT_FULL,
    AppointmentError,
    booking_create,
    booking_reschedule,
)
from yikao.registrations.models import Registration

sys.path.insert(0, str(Path(__file__).parents[1] / "appointments"))
from appointments_helpers import make_registration, make_slot

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs):
    return rush.run_at_once(jobs, refusal=AppointmentError)


def passed_registrations(exam, site, n: int) -> list[Registration]:
    """n candidates whose registrations passed review (rows made directly: the wizard is
    not what this test measures)."""
    category = exam.categories.get(code="110")
    rows = [
        Registration(exam=exam, candidate=make_candidate(), category=category, site=site,
                     number=f"{exam.year}{site.code}{i:06d}", status="site_approved",
                     submit_token=f"t{i}")
        for i in range(n)
    ]  # fmt: skip
    Registration.objects.bulk_create(rows)
    return list(Registration.objects.filter(exam=exam, site=site).select_related("candidate"))


def test_500_candidates_100_seats_exactly_100_booked():
    exam = make_exam()
    site = make_site(exam, capacity=1000)
    morning = make_slot(exam, site, hour=9, capacity=60)
    afternoon = make_slot(exam, site, hour=14, capacity=40)
    registrations = passed_registrations(exam, site, 500)
    assert len(registrations) == 500
    jobs = [
        lambda r=r, s=(morning if i % 2 else afternoon): booking_create(
            candidate=r.candidate, slot=s
        )
        for i, r in enumerate(registrations)
    ]
    results = run_at_once(jobs)
    outcomes = Counter(kind for kind, _ in results)
    assert outcomes == {"ok": 100, "refused": 400}, [r for r in results if r[0] == "error"][:3]
    assert {message for kind, message in results if kind == "refused"} == {SLOT_FULL}
    assert Booking.objects.filter(ACTIVE, slot=morning).count() == 60
    assert Booking.objects.filter(ACTIVE, slot=afternoon).count() == 40
    per_registration = Counter(Booking.objects.values_list("registration_id", flat=True))
    assert max(per_registration.values()) == 1 and len(per_registration) == 100


def test_one_candidate_booking_ten_times_at_once_gets_one_booking():
    exam = make_exam()
    site = make_site(exam)
    registration = make_registration(exam, site)
    slots = [make_slot(exam, site, hour=8 + n, capacity=5) for n in range(5)]
    jobs = [lambda s=slots[n % 5]: booking_create(candidate=registration.candidate, slot=s) for n in range(10)]  # fmt: skip
    results = run_at_once(jobs)
    assert not [r for r in results if r[0] == "error"], results
    assert Booking.objects.filter(registration=registration).count() == 1
    booked = Booking.objects.get(registration=registration)
    assert {pk for kind, pk in results if kind == "ok"} == {booked.pk}


def test_crosswise_reschedules_neither_deadlock_nor_overbook():
    exam = make_exam()
    site = make_site(exam, capacity=1000)
    a, b = make_slot(exam, site, hour=9, capacity=30), make_slot(exam, site, hour=14, capacity=30)
    holders = []
    for slot in (a, b):
        for _ in range(25):
            registration = make_registration(exam, site)
            holders.append((registration.candidate, booking_create(candidate=registration.candidate, slot=slot)))  # fmt: skip
    jobs = [
        lambda c=c, bk=bk: booking_reschedule(
            candidate=c, booking=bk, slot=b if bk.slot_id == a.pk else a
        )
        for c, bk in holders
    ]
    results = run_at_once(jobs)
    assert not [r for r in results if r[0] == "error"], [r for r in results if r[0] == "error"][:3]
    assert {m for kind, m in results if kind == "refused"} <= {SLOT_FULL}
    for slot in (a, b):
        assert Booking.objects.filter(ACTIVE, slot=slot).count() <= 30
    assert Booking.objects.filter(ACTIVE).count() == 50
