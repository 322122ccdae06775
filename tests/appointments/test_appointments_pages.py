"""Candidate and staff pages: the flow, scoping, masking, export."""

import datetime
import io

import pytest
from appointments_helpers import make_registration, make_slot, make_staff, staff_login
from django.utils import timezone
from factories import make_site
from openpyxl import load_workbook

from yikao.appointments.models import Booking, BookingStatus, Slot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def reg(exam, site):
    return make_registration(exam, site)


def test_registrations_list_links_to_booking_only_when_passed(client, exam, site, reg):
    client.force_login(reg.candidate.user)
    page = client.get("/registrations/").content.decode()
    assert f'href="/appointments/{reg.pk}/"' in page and "预约信息采集" in page
    reg.__class__.objects.filter(pk=reg.pk).update(status="submitted")
    assert f'href="/appointments/{reg.pk}/"' not in client.get("/registrations/").content.decode()


def test_candidate_books_from_days_to_slot_to_confirmation(client, exam, site, reg):
    slot = make_slot(exam, site, capacity=3, place="一楼大厅")
    client.force_login(reg.candidate.user)
    assert client.get("/appointments/").url == f"/appointments/{reg.pk}/"
    days = client.get(f"/appointments/{reg.pk}/").content.decode()
    day = f"{timezone.localtime(slot.starts_at).date()}"
    assert f"/appointments/{reg.pk}/days/{day}/" in days and "余 3 个名额" in days
    slots = client.get(f"/appointments/{reg.pk}/days/{day}/").content.decode()
    assert f"/appointments/{reg.pk}/slots/{slot.pk}/" in slots
    confirm = client.get(f"/appointments/{reg.pk}/slots/{slot.pk}/").content.decode()
    assert "确认预约" in confirm and "一楼大厅" in confirm
    response = client.post(f"/appointments/{reg.pk}/slots/{slot.pk}/")
    assert response.url == f"/appointments/{reg.pk}/"
    booking = Booking.objects.get(registration=reg)
    page = client.get(f"/appointments/{reg.pk}/").content.decode()
    assert booking.display_code in page and 'src="data:image/png;base64,' in page
    assert "改约" in page and "取消预约" in page
    client.post(f"/appointments/{reg.pk}/cancel/")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_candidate_reschedules_through_the_same_pages(client, exam, site, reg):
    a, b = make_slot(exam, site), make_slot(exam, site, days=5)
    client.force_login(reg.candidate.user)
    client.post(f"/appointments/{reg.pk}/slots/{a.pk}/")
    assert "改约：选择新的日期" in client.get(f"/appointments/{reg.pk}/?change=1").content.decode()
    assert "确认改约" in client.get(f"/appointments/{reg.pk}/slots/{b.pk}/").content.decode()
    client.post(f"/appointments/{reg.pk}/slots/{b.pk}/")
    assert Booking.objects.get(registration=reg).slot == b


def test_full_slot_refusal_is_a_sentence_on_the_day_page(client, exam, site, reg):
    slot = make_slot(exam, site, capacity=1)
    other = make_registration(exam, site)
    client.force_login(other.candidate.user)
    client.post(f"/appointments/{other.pk}/slots/{slot.pk}/")
    client.force_login(reg.candidate.user)
    response = client.post(f"/appointments/{reg.pk}/slots/{slot.pk}/", follow=True)
    assert "该时段已约满，请选择其他时段。" in response.content.decode()


def test_another_candidates_registration_and_unpassed_ones_are_404(client, exam, site, reg):
    other = make_registration(exam, site)
    client.force_login(other.candidate.user)
    assert client.get(f"/appointments/{reg.pk}/").status_code == 404
    assert client.post(f"/appointments/{reg.pk}/cancel/").status_code == 404
    other.__class__.objects.filter(pk=other.pk).update(status="submitted")
    assert client.get(f"/appointments/{other.pk}/").status_code == 404


def test_staff_pages_need_a_verified_staff_scope(client, exam, site, reg):
    client.force_login(reg.candidate.user)
    response = client.get(f"/appointments/staff/sites/{site.pk}/")
    assert response.status_code == 302 and "/appointments/staff/" not in response.url
    other_staff = make_staff(site=make_site(exam, code="4102"))
    staff_login(client, other_staff)
    assert client.get(f"/appointments/staff/sites/{site.pk}/").status_code == 404


def test_staff_publish_slots_in_bulk(client, exam, site):
    staff_login(client, make_staff(site=site))
    first = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(f"/appointments/staff/sites/{site.pk}/slots/new/", {
        "exam": exam.pk, "first_day": first, "last_day": first + datetime.timedelta(days=2),
        "ranges": "08:30-11:30\n14:00-17:00", "capacity": 40, "place": "三楼",
        "category_codes": "110，210", "counties": "",
    })  # fmt: skip
    assert response.status_code == 302
    assert Slot.objects.filter(site=site, exam=exam).count() == 6
    assert Slot.objects.first().category_codes == ["110", "210"]
    page = client.get(f"/appointments/staff/sites/{site.pk}/?exam={exam.pk}").content.decode()
    assert "08:30–11:30" in page and "类别 110、210" in page


def test_staff_bulk_form_errors_are_sentences_by_the_field(client, exam, site):
    staff_login(client, make_staff(site=site))
    today = timezone.localdate()
    response = client.post(f"/appointments/staff/sites/{site.pk}/slots/new/", {
        "exam": exam.pk, "first_day": today, "last_day": today, "ranges": "9-10",
        "capacity": 1, "counties": "41x",
    })  # fmt: skip
    page = response.content.decode()
    assert "“9-10”不是有效的时间段" in page and "“41x”不是有效的区划代码" in page


def test_roster_masks_ids_check_in_and_export(client, exam, site, reg):
    slot = make_slot(exam, site)
    client.force_login(reg.candidate.user)
    client.post(f"/appointments/{reg.pk}/slots/{slot.pk}/")
    booking = Booking.objects.get(registration=reg)
    start = timezone.now() + datetime.timedelta(minutes=30)
    Slot.objects.filter(pk=slot.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=2))  # fmt: skip
    day = f"{timezone.localtime(start).date()}"
    staff_login(client, make_staff(site=site))
    url = f"/appointments/staff/sites/{site.pk}/days/{day}/?exam={exam.pk}"
    page = client.get(url).content.decode()
    candidate = reg.candidate
    assert candidate.masked_id_number in page and candidate.id_number not in page
    assert candidate.mobile not in page and booking.display_code in page
    if day == f"{timezone.localdate()}":
        response = client.post(f"/appointments/staff/sites/{site.pk}/check-in/",
                               {"code": booking.code.lower(), "exam": exam.pk, "day": day}, follow=True)  # fmt: skip
        assert "签到成功" in response.content.decode()
        booking.refresh_from_db()
        assert booking.status == BookingStatus.CHECKED_IN
    export = client.get(
        f"/appointments/staff/sites/{site.pk}/days/{day}/roster.xlsx?exam={exam.pk}"
    )
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert candidate.masked_id_number in cells and booking.display_code in cells
    assert not any(candidate.id_number in c or candidate.mobile in c for c in cells)


def test_day_figures_count_booked_checked_in_and_no_show(client, exam, site):
    slot = make_slot(exam, site, capacity=10)
    bookings = []
    for _ in range(3):
        r = make_registration(exam, site)
        client.force_login(r.candidate.user)
        client.post(f"/appointments/{r.pk}/slots/{slot.pk}/")
        bookings.append(Booking.objects.get(registration=r))
    Booking.objects.filter(pk=bookings[0].pk).update(status=BookingStatus.CHECKED_IN)
    Booking.objects.filter(pk=bookings[1].pk).update(status=BookingStatus.NO_SHOW)
    staff_login(client, make_staff(site=site))
    page = client.get(f"/appointments/staff/sites/{site.pk}/?exam={exam.pk}").content.decode()
    assert '<td data-label="名额">10</td><td data-label="已预约">3</td>' in page
    assert '<td data-label="已签到">1</td><td data-label="未到">1</td>' in page


def test_no_personal_data_in_any_appointment_url():
    from yikao.appointments.urls import urlpatterns

    converters = {str(p.pattern) for p in urlpatterns}
    assert all(("<int:" in c or "<str:date>" in c or "<" not in c) for c in converters)
