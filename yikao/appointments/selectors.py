"""Named reads of slots and bookings. Candidate reads are scoped to the candidate; staff
reads take the sites from scope.staff_sites."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.http import Http404
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.appointments.models import ACTIVE, Booking, BookingStatus, SiteSetting, Slot
from yikao.exams.models import Exam, ExamSite
from yikao.registrations.models import Registration, Status

WEEKDAYS = "一二三四五六日"
# Every status but cancelled holds a seat (as models.ACTIVE, for joins through a relation).
_HOLDING = [s for s in BookingStatus.values if s != BookingStatus.CANCELLED]


@dataclass(frozen=True)
class SlotSeats:
    slot: Slot
    taken: int

    @property
    def left(self) -> int:
        return max(self.slot.capacity - self.taken, 0)


@dataclass(frozen=True)
class DaySeats:
    day: datetime.date
    slots: int
    left: int


@dataclass(frozen=True)
class DayFigures:
    day: datetime.date
    capacity: int
    booked: int
    checked_in: int
    no_show: int


# The days a collection can fall on. A day outside means nothing here, and near the ends of
# Python's range its arithmetic overflows (9999-12-31 plus a day): such a day is not parsed.
FIRST_DAY, LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(value: str | None) -> datetime.date | None:
    """A YYYY-MM-DD day between FIRST_DAY and LAST_DAY, else None."""
    if not _DAY.fullmatch(value or ""):
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def local_day(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def day_label(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAYS[day.weekday()]}）"


def slot_label(slot: Slot) -> str:
    start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
    return f"{start.year}年{day_label(start.date())} {start:%H:%M}–{end:%H:%M}"


def cutoff_hours(site_id: int) -> int:
    hours = SiteSetting.objects.filter(site_id=site_id).values_list("cutoff_hours", flat=True)
    return next(iter(hours), SiteSetting.DEFAULT_CUTOFF_HOURS)


def site_setting(site: ExamSite) -> SiteSetting:
    return SiteSetting.objects.filter(site=site).first() or SiteSetting(site=site)


def cutoff_of(slot: Slot, hours: int | None = None) -> datetime.datetime:
    """Bookings, changes and cancellations of the slot close at this moment."""
    hours = cutoff_hours(slot.site_id) if hours is None else hours
    return slot.starts_at - datetime.timedelta(hours=hours)


def registration_county(registration: Registration) -> str:
    """The county code of the candidate's work unit, as submitted: directory institution
    codes begin with the 12-digit region code; anything else has no county."""
    code = registration.snap.work.work_unit_code
    return code[:6] if len(code) >= 12 and code[:6].isdigit() else ""


def slot_admits(slot: Slot, registration: Registration) -> bool:
    """A reserved slot admits only its category codes and its counties (code prefixes)."""
    if slot.category_codes and registration.category.code not in slot.category_codes:
        return False
    if slot.counties:
        county = registration_county(registration)
        return bool(county) and any(county.startswith(prefix) for prefix in slot.counties)
    return True


def bookable_registrations(candidate: Candidate) -> list[Registration]:
    return list(
        Registration.objects.filter(candidate=candidate, status__in=sorted(Status.BOOKABLE))
        .select_related("exam", "category", "site")
        .order_by("-submitted_at")
    )


def registration_for_booking(candidate: Candidate, pk: int) -> Registration:
    """The candidate's own registration that may book, else 404 (whoever else's it is)."""
    registration = (
        Registration.objects.filter(candidate=candidate, pk=pk, status__in=sorted(Status.BOOKABLE))
        .select_related("exam", "category", "site", "site__area")
        .first()
    )
    if registration is None:
        raise Http404
    return registration


def active_booking(registration: Registration) -> Booking | None:
    return (
        Booking.objects.filter(ACTIVE, registration=registration)
        .select_related("slot", "slot__site")
        .first()
    )


def open_slots(
    registration: Registration, *, day: datetime.date | None = None, now=None
) -> list[SlotSeats]:
    """Slots the registration may book now, with seats counted from rows (for display;
    booking re-counts under a lock). Full slots are included, with left == 0."""
    now = now or timezone.now()
    earliest = now + datetime.timedelta(hours=cutoff_hours(registration.site_id))
    slots = Slot.objects.filter(
        exam_id=registration.exam_id,
        site_id=registration.site_id,
        is_closed=False,
        starts_at__gt=earliest,
    ).annotate(taken=Count("bookings", filter=Q(bookings__status__in=_HOLDING)))
    if day is not None:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        slots = slots.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1))
    return [SlotSeats(s, s.taken) for s in slots.order_by("starts_at", "place") if slot_admits(s, registration)]  # fmt: skip


def open_days(registration: Registration, *, now=None) -> list[DaySeats]:
    """Days with at least one bookable slot, and their free seats."""
    days: dict[datetime.date, list[SlotSeats]] = {}
    for seats in open_slots(registration, now=now):
        days.setdefault(local_day(seats.slot.starts_at), []).append(seats)
    return [DaySeats(day, len(s), sum(x.left for x in s)) for day, s in sorted(days.items())]


# --- Staff ------------------------------------------------------------------------------


def staff_site(sites, pk: int) -> ExamSite:
    site = sites.filter(pk=pk).first()
    if site is None:
        raise Http404
    return site


def staff_slot(sites, pk: int) -> Slot:
    slot = Slot.objects.filter(pk=pk, site__in=sites).select_related("site", "exam").first()
    if slot is None:
        raise Http404
    return slot


def exams_for_staff() -> list[Exam]:
    return list(Exam.objects.order_by("-year", "-id")[:20])


def site_slots(site: ExamSite, exam: Exam) -> list[SlotSeats]:
    slots = (
        Slot.objects.filter(site=site, exam=exam)
        .annotate(taken=Count("bookings", filter=Q(bookings__status__in=_HOLDING)))
        .order_by("starts_at", "place")
    )
    return [SlotSeats(s, s.taken) for s in slots]


def day_figures(site: ExamSite, exam: Exam) -> list[DayFigures]:
    """Per day: seats offered (open slots), booked (every holding booking), checked in, no-show."""
    figures: dict[datetime.date, list[int]] = {}
    slots = Slot.objects.filter(site=site, exam=exam).annotate(
        booked=Count("bookings", filter=Q(bookings__status__in=_HOLDING)),
        checked_in=Count("bookings", filter=Q(bookings__status=BookingStatus.CHECKED_IN)),
        no_show=Count("bookings", filter=Q(bookings__status=BookingStatus.NO_SHOW)),
    )
    for s in slots:
        row = figures.setdefault(local_day(s.starts_at), [0, 0, 0, 0])
        row[0] += 0 if s.is_closed else s.capacity
        row[1] += s.booked
        row[2] += s.checked_in
        row[3] += s.no_show
    return [DayFigures(day, *row) for day, row in sorted(figures.items())]


ROSTER_PAGE_SIZE = 100
_CURSOR = re.compile(r"([0-9]{1,12})-([0-9]{1,12})")


@dataclass(frozen=True)
class RosterLine:
    booking: Booking
    full_name: str
    id_number_masked: str
    mobile_masked: str
    number: str
    category: str


@dataclass(frozen=True)
class RosterSection:
    seats: SlotSeats
    lines: list[RosterLine]
    continued: bool  # the slot began on an earlier page

    @property
    def slot(self) -> Slot:
        return self.seats.slot


@dataclass(frozen=True)
class RosterPage:
    sections: list[RosterSection]
    next_after: str | None  # the cursor of the next page, "<slot id>-<booking id>"
    is_first: bool
    total: int  # holding bookings of the day


def is_roster_cursor(value: str) -> bool:
    return _CURSOR.fullmatch(value) is not None


def _day_slots(site: ExamSite, exam: Exam, day: datetime.date) -> list[SlotSeats]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    slots = (
        Slot.objects.filter(
            site=site,
            exam=exam,
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        )
        .annotate(taken=Count("bookings", filter=Q(bookings__status__in=_HOLDING)))
        .order_by("starts_at", "place", "id")
    )
    return [SlotSeats(s, s.taken) for s in slots]


def _basic(key: str) -> KeyTextTransform:
    # KT() follows JSON keys of the model's own fields only, not through a relation.
    return KeyTextTransform(key, KeyTransform("basic", "registration__snapshot"))


# The roster's personal data, read from the snapshot's keys (the whole snapshot is ~2 kB a row).
_LINE_FIELDS = {
    "full_name": _basic("full_name"),
    "id_masked": _basic("id_number_masked"),
    "mobile_masked": _basic("mobile_masked"),
}


def _line(b: Booking) -> RosterLine:
    return RosterLine(
        booking=b,
        full_name=b.full_name or "",
        id_number_masked=b.id_masked or "",
        mobile_masked=b.mobile_masked or "",
        number=b.registration.number,
        category=str(b.registration.category),
    )


def roster(
    site: ExamSite,
    exam: Exam,
    day: datetime.date,
    *,
    after: str | None = None,
    size: int | None = None,
) -> RosterPage:
    """One page of the day's roster: the holding bookings in slot order, then by booking id,
    keyset-paged on (slot, booking id); three queries whatever the day holds. Personal data
    only masked, from the registration's snapshot."""
    size = size or ROSTER_PAGE_SIZE
    slots = _day_slots(site, exam, day)
    position = {s.slot.pk: i for i, s in enumerate(slots)}
    match = _CURSOR.fullmatch(after or "")
    cursor = (int(match[1]), int(match[2])) if match else None
    if cursor and cursor[0] not in position:
        cursor = None  # a stale or foreign cursor: the first page
    first = position[cursor[0]] if cursor else 0
    keys = Booking.objects.filter(ACTIVE, slot_id__in=[s.slot.pk for s in slots[first:]])
    if cursor:
        later = [s.slot.pk for s in slots[first + 1 :]]
        keys = keys.filter(Q(slot_id=cursor[0], pk__gt=cursor[1]) | Q(slot_id__in=later))
    order = Case(
        *[When(slot_id=pk, then=Value(i)) for pk, i in position.items()],
        output_field=IntegerField(),
    )
    ids = list(keys.order_by(order, "pk").values_list("pk", flat=True)[: size + 1]) if slots else []
    more = len(ids) > size
    bookings = (
        Booking.objects.filter(pk__in=ids[:size])
        .select_related("registration", "registration__category")
        .annotate(**_LINE_FIELDS)
        .only(
            "id", "code", "status", "slot_id", "checked_in_at", "registration__number",
            "registration__category__code", "registration__category__label",
        )
        .order_by("pk")
    )  # fmt: skip
    lines: dict[int, list[RosterLine]] = {}
    for b in bookings:
        lines.setdefault(b.slot_id, []).append(_line(b))
    if cursor and cursor[0] not in lines:
        first += 1  # the cursor's slot has nothing left (the next page begins a slot)
    # The slots this page covers: from the cursor's slot (the first slot on page 1) to the
    # last one with a line here (the last slot of the day on the last page).
    last = max(position[pk] for pk in lines) if more else len(slots) - 1
    sections = [
        RosterSection(
            seats=s,
            lines=lines.get(s.slot.pk, []),
            continued=bool(cursor) and i == first and s.slot.pk == cursor[0],
        )
        for i, s in enumerate(slots[first : last + 1], start=first)
    ]
    last_line = sections[-1].lines[-1].booking if more else None
    return RosterPage(
        sections=sections,
        next_after=f"{last_line.slot_id}-{last_line.pk}" if last_line else None,
        is_first=cursor is None,
        total=sum(s.taken for s in slots),
    )


def roster_rows(site: ExamSite, exam: Exam, day: datetime.date):
    """Every holding booking of the day as export rows, in slot order, streamed from the
    database in chunks (a server-side cursor on PostgreSQL)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return (
        Booking.objects.filter(
            ACTIVE,
            slot__site=site,
            slot__exam=exam,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + datetime.timedelta(days=1),
        )
        .annotate(**_LINE_FIELDS)
        .order_by("slot__starts_at", "slot__place", "slot_id", "pk")
        .values_list(
            "slot__starts_at", "slot__ends_at", "slot__place", "code", "registration__number",
            "full_name", "id_masked", "mobile_masked", "registration__category__code",
            "registration__category__label", "status", "checked_in_at",
        )
        .iterator(chunk_size=2000)
    )  # fmt: skip


def booking_by_code(sites, code: str) -> Booking | None:
    return (
        Booking.objects.filter(code=code, slot__site__in=sites)
        .select_related("slot", "registration")
        .first()
    )
