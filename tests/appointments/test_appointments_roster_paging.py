"""The staff roster in pages (keyset on slot, then booking id), check-in and 未到 from any
page, the whole-day export, and a query count that does not grow with the bookings."""

import datetime
import io

import pytest
from appointments_helpers import make_registration, make_slot, make_staff, staff_login
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from factories import make_site
from openpyxl import load_workbook

from yikao.appointments import selectors
from yikao.appointments.models import Booking, BookingStatus, Slot
from yikao.appointments.services import booking_cancel, booking_create

pytestmark = pytest.mark.django_db


def today_at(hour: int, minute: int = 0) -> datetime.datetime:
    """Today, early enough to have begun (check-in and 未到 need the slot's day to be today)."""
    return timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(hour, minute)))  # fmt: skip


def book(exam, site, slot, n: int) -> list[Booking]:
    bookings = []
    for _ in range(n):
        registration = make_registration(exam, site)
        bookings.append(booking_create(candidate=registration.candidate, slot=slot))
    return bookings


@pytest.fixture
def day(exam, site):
    """Three slots today: 4 bookings (one cancelled), none, 3; booked while in the future."""
    first = make_slot(exam, site, days=3, hour=8, place="一楼")
    empty = make_slot(exam, site, days=3, hour=10, place="一楼")
    last = make_slot(exam, site, days=3, hour=14, place="二楼")
    early = book(exam, site, first, 4)
    booking_cancel(candidate=early[1].candidate, booking=early[1])
    late = book(exam, site, last, 3)
    for slot, hour in ((first, 0), (empty, 0), (last, 0)):
        minute = {first.pk: 0, empty.pk: 1, last.pk: 2}[slot.pk]
        Slot.objects.filter(pk=slot.pk).update(starts_at=today_at(hour, minute), ends_at=today_at(23, 59))  # fmt: skip
    return {"slots": [first, empty, last], "early": [early[0], *early[2:]], "late": late}


def codes(page) -> list[str]:
    return [line.booking.code for s in page.sections for line in s.lines]


def test_roster_pages_in_slot_then_booking_order(exam, site, day):
    today = timezone.localdate()
    first, empty, last = day["slots"]
    page1 = selectors.roster(site, exam, today, size=2)
    assert [s.slot.pk for s in page1.sections] == [first.pk]
    assert codes(page1) == [b.code for b in day["early"][:2]]
    assert page1.is_first and page1.total == 6 and page1.next_after
    page2 = selectors.roster(site, exam, today, after=page1.next_after, size=2)
    # The rest of the first slot (续), the empty slot in between, the start of the last one.
    assert [(s.slot.pk, s.continued) for s in page2.sections] == [
        (first.pk, True), (empty.pk, False), (last.pk, False),
    ]  # fmt: skip
    assert codes(page2) == [day["early"][2].code, day["late"][0].code]
    page3 = selectors.roster(site, exam, today, after=page2.next_after, size=2)
    assert codes(page3) == [b.code for b in day["late"][1:]]
    assert page3.next_after is None and not page3.is_first
    assert page3.sections[0].continued and page3.sections[0].seats.taken == 3


def test_roster_unknown_or_foreign_cursor_is_the_first_page(exam, site, day):
    other = make_site(exam, code="4102")
    foreign = make_slot(exam, other, days=3, hour=8)
    today = timezone.localdate()
    for after in ("", "x", "1-", f"{foreign.pk}-1", "99999999-1", "1-1;drop"):
        page = selectors.roster(site, exam, today, after=after, size=2)
        assert page.is_first and codes(page) == [b.code for b in day["early"][:2]], after


def test_roster_page_follows_next_link_and_shows_continued_slot(
    client, exam, site, day, monkeypatch
):
    monkeypatch.setattr(selectors, "ROSTER_PAGE_SIZE", 2)
    staff_login(client, make_staff(site=site))
    url = f"/appointments/staff/sites/{site.pk}/days/{timezone.localdate()}/"
    page1 = client.get(url, {"exam": exam.pk})
    html = page1.content.decode()
    after = page1.context["page"].next_after
    assert f'href="?exam={exam.pk}&amp;after={after}">下一页</a>' in html
    assert "回到第一页" not in html and "全天共 6 个预约" in html
    assert '<label for="id_code">预约码</label>' in html
    page2 = client.get(url, {"exam": exam.pk, "after": after}).content.decode()
    assert "（续）" in page2 and "回到第一页" in page2 and "无预约。" in page2
    assert day["early"][2].display_code in page2 and day["early"][0].display_code not in page2
    assert f'<input type="hidden" name="after" value="{after}">' in page2


def test_check_in_from_a_later_page_finds_a_booking_of_the_first(
    client, exam, site, day, monkeypatch
):
    monkeypatch.setattr(selectors, "ROSTER_PAGE_SIZE", 2)
    staff_login(client, make_staff(site=site))
    today = f"{timezone.localdate()}"
    after = selectors.roster(site, exam, timezone.localdate(), size=2).next_after
    target = day["early"][0]  # on page 1
    response = client.post(f"/appointments/staff/sites/{site.pk}/check-in/", {
        "code": target.display_code.lower(), "exam": exam.pk, "day": today, "after": after,
    })  # fmt: skip
    assert (
        response.url
        == f"/appointments/staff/sites/{site.pk}/days/{today}/?exam={exam.pk}&after={after}"
    )
    target.refresh_from_db()
    assert target.status == BookingStatus.CHECKED_IN
    assert "签到成功" in client.get(response.url).content.decode()
    # A cursor that is not one is dropped, not echoed into the redirect.
    bad = client.post(f"/appointments/staff/sites/{site.pk}/check-in/", {
        "code": day["late"][0].code, "exam": exam.pk, "day": today, "after": "1-2&x=y",
    })  # fmt: skip
    assert bad.url == f"/appointments/staff/sites/{site.pk}/days/{today}/?exam={exam.pk}"


def test_no_show_returns_to_the_same_page(client, exam, site, day):
    staff_login(client, make_staff(site=site))
    booking = day["late"][2]
    after = f"{day['slots'][2].pk}-{day['late'][0].pk}"
    response = client.post(f"/appointments/staff/bookings/{booking.pk}/no-show/", {"after": after})
    assert response.url.endswith(f"&after={after}")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW


def test_export_streams_the_whole_day_in_page_order(client, exam, site, day, monkeypatch):
    monkeypatch.setattr(selectors, "ROSTER_PAGE_SIZE", 2)
    staff_login(client, make_staff(site=site))
    response = client.get(
        f"/appointments/staff/sites/{site.pk}/days/{timezone.localdate()}/roster.xlsx",
        {"exam": exam.pk},
    )
    assert response.streaming and response["Content-Type"].startswith("application/vnd.openxmlformats")  # fmt: skip
    assert f"roster-{site.code}-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:4] == ("时段", "地点", "预约码", "报名号")
    exported = [row[2] for row in values[2:]]
    assert exported == [b.display_code for b in day["early"] + day["late"]]  # no cancelled one
    first = values[2]
    assert first[1] == "一楼" and first[4] == day["early"][0].registration.snapshot["basic"]["full_name"]  # fmt: skip
    assert first[5] == day["early"][0].registration.snapshot["basic"]["id_number_masked"]
    assert first[8] == "已预约"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_roster_query_count_does_not_grow_with_bookings(client, exam, site):
    slots = [make_slot(exam, site, days=3, hour=h, capacity=50) for h in (8, 10, 14)]
    staff_login(client, make_staff(site=site))
    day = f"{timezone.localtime(slots[0].starts_at).date()}"
    page_url = f"/appointments/staff/sites/{site.pk}/days/{day}/?exam={exam.pk}"
    export_url = f"/appointments/staff/sites/{site.pk}/days/{day}/roster.xlsx?exam={exam.pk}"
    book(exam, site, slots[0], 1)
    client.get(page_url)  # the session's first staff request writes what later ones read
    few = _queries(client, page_url), _queries(client, export_url)
    for slot in slots:
        book(exam, site, slot, 5)
    after = selectors.roster(site, exam, timezone.localtime(slots[0].starts_at).date(), size=4).next_after  # fmt: skip
    many = _queries(client, page_url), _queries(client, export_url)
    assert many == few, (few, many)
    assert _queries(client, f"{page_url}&after={after}") == few[0]
    with CaptureQueriesContext(connection) as captured:
        selectors.roster(site, exam, timezone.localtime(slots[0].starts_at).date())
    assert len(captured.captured_queries) == 3  # the day's slots, the page's ids, its lines
