"""setup_demo shows the whole back office: a 考区 reviewer printed like the others, a
collection day of today with booked demo candidates, and the fees with a candidate waiting
to pay; twice is the same as once."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from yikao.accounts.models import User
from yikao.appointments.models import Booking, BookingStatus
from yikao.core.models import AuditEntry
from yikao.exams.models import Exam, ExamCategory
from yikao.payments.models import FeeItem, Part
from yikao.registrations.models import Registration, Status
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


def test_setup_demo_sets_the_fees_and_a_candidate_who_can_pay(
    settings, tmp_path, monkeypatch, client
):
    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("YIKAO_DIRECTORY", "--counties 410105 --no-progress")
    first = _run()
    exam = Exam.objects.get(code="yszg-2027")
    henan = FeeItem.objects.filter(exam=exam, area__code="41")
    # 医学综合 for every category at the sourced figures (60元 a unit: 执业 4, 助理 2);
    # no 实践技能 fee (no sourced figure), and no other province's.
    categories = ExamCategory.objects.filter(exam=exam)
    assert henan.count() == categories.count() == FeeItem.objects.count()
    assert set(henan.values_list("part", flat=True)) == {Part.WRITTEN}
    for item in henan.select_related("category"):
        assert item.amount_fen == {"physician": 24000, "assistant": 12000}[item.category.level]
    assert AuditEntry.objects.filter(action="payment.fee_changed").count() == henan.count()
    # Paying is open: 14 days after the window ends (or from now, once that is past).
    expected = exam.window_end + datetime.timedelta(days=14)
    if expected <= timezone.now():
        expected = timezone.now() + datetime.timedelta(days=14)
    assert abs(exam.payment_deadline - expected) < datetime.timedelta(minutes=1)
    approved = Registration.objects.filter(status=Status.APPROVED).select_related("candidate__user")
    assert [r.candidate.user.username for r in approved] == ["demo_kaosheng4"]
    assert "网上缴费 / online payment" in first and "demo_kaosheng4" in first
    # The candidate sees the pay button for the 医学综合 fee of 临床执业医师.
    client.force_login(approved[0].candidate.user)
    assert "去缴费" in client.get("/registrations/").content.decode()
    assert "去支付 240.00 元" in client.get(f"/payments/{approved[0].pk}/").content.decode()
    second = _run()
    assert second == first
    assert FeeItem.objects.count() == henan.count()
    assert AuditEntry.objects.filter(action="payment.fee_changed").count() == henan.count()
    assert Registration.objects.filter(status=Status.APPROVED).count() == 1
