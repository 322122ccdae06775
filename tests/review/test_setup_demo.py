"""setup_demo shows the whole back office: a 考区 reviewer printed like the others, and a
collection day of today with booked demo candidates; twice is the same as once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from yikao.accounts.models import User
from yikao.appointments.models import Booking, BookingStatus
from yikao.registrations.models import Status
from yikao.staff.models import Role

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_setup_demo_adds_an_area_reviewer_and_a_day_of_today(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("YIKAO_DIRECTORY", "--counties 410105 --no-progress")
    first = _run()
    area = User.objects.with_username("kaoqu").get()
    assert area.staff_scope.role == Role.AREA and area.staff_scope.area.code == "41"
    password = (tmp_path / "demo_staff_password").read_text().strip()
    assert f"考区审核 /review/     kaoqu / {password}" in first
    bookings = list(Booking.objects.select_related("slot", "registration"))
    assert len(bookings) == 3
    assert {timezone.localtime(b.slot.starts_at).date() for b in bookings} == {timezone.localdate()}
    assert {b.status for b in bookings} == {BookingStatus.BOOKED}
    assert {b.registration.status for b in bookings} == {Status.SITE_APPROVED}
    assert all(b.display_code in first for b in bookings)
    second = _run()
    assert (
        Booking.objects.count() == 3 and User.objects.filter(staff_scope__isnull=False).count() == 2
    )
    assert second == first
