"""What a candidate's ticket page, its PDF, the API and 集中打印 show: one read per use,
so the page, the PDF and the API cannot disagree about whether a ticket is open.

A ticket of a part is open when the exam's Release of that part has come (no Release: not
open), the registration is paid and seated, and its site prints for itself (自行打印).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.core.masking import mask_id_number
from yikao.documents.pdf.ticket import TicketInfo, render_tickets
from yikao.exams.models import Exam, ExamSite
from yikao.photos.models import CandidatePhoto
from yikao.registrations import snapshot as snapshots
from yikao.registrations.models import Registration, Status
from yikao.registrations.selectors import registration_of
from yikao.seating.models import Part, PrintMode, Release, Seat, SiteTickets
from yikao.seating.ticket_code import ticket_code

logger = logging.getLogger(__name__)

WEEKDAYS = "一二三四五六日"

# The states of one part's ticket, and what the candidate reads about each.
READY, NOT_OPEN, NO_RELEASE, NO_SEAT, CENTRAL, NOT_PAID = (
    "ready", "not_open", "no_release", "no_seat", "central", "not_paid",
)  # fmt: skip
MESSAGES = {
    NO_RELEASE: "准考证打印时间尚未公布，请留意考区通知。",
    NO_SEAT: "尚未为您编排考场，暂无准考证。如有疑问，请联系报名考点。",
    CENTRAL: "本考点集中打印准考证，请按考点通知领取。",
    NOT_PAID: "该报名未缴费，没有准考证。",
}


@dataclass(frozen=True)
class PartTicket:
    part: str
    label: str
    state: str
    opens_at: dt.datetime | None
    seat: Seat | None  # shown only when READY

    @property
    def ready(self) -> bool:
        return self.state == READY

    @property
    def units(self) -> tuple[tuple[str, str], ...]:
        """The session's units in Beijing time, as the PDF prints them."""
        return _units(self.seat.session.units) if self.seat else ()

    @property
    def message(self) -> str:
        if self.state == NOT_OPEN:
            return f"准考证将于 {beijing(self.opens_at)} 开放打印。"
        return MESSAGES.get(self.state, "")


def beijing(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y年%m月%d日 %H:%M") if value else ""


def _seats(registration: Registration) -> dict[str, Seat]:
    seats = Seat.objects.filter(registration=registration).select_related("session__exam", "room")
    return {seat.part: seat for seat in seats}


def is_central(exam: Exam, site: ExamSite) -> bool:
    return SiteTickets.objects.filter(exam=exam, site=site, mode=PrintMode.CENTRAL).exists()


def part_tickets(
    registration: Registration, now: dt.datetime | None = None, *, only: str = ""
) -> list[PartTicket]:
    """The registration's tickets, one a part it sits (it has a seat or the part has a
    release time), in the order of the parts; with ``only``, that part's alone, listed
    even when not sat (its state then says why there is no ticket)."""
    now = now or timezone.now()
    seats = _seats(registration)
    releases = {r.part: r.opens_at for r in Release.objects.filter(exam=registration.exam)}
    central = is_central(registration.exam, registration.site)
    out = []
    for part, label in Part.choices:
        if only and part != only:
            continue
        if not only and part not in seats and part not in releases:
            continue
        opens_at, seat = releases.get(part), seats.get(part)
        if registration.status != Status.PAID:
            state = NOT_PAID
        elif opens_at is None:
            state = NO_RELEASE
        elif now < opens_at:
            state = NOT_OPEN
        elif seat is None:
            state = NO_SEAT
        elif central:
            state = CENTRAL
        else:
            state = READY
        out.append(PartTicket(part, label, state, opens_at, seat if state == READY else None))
    return out


def candidate_tickets(candidate: Candidate, registration_id: int) -> tuple[Registration, list]:
    """The candidate's own registration (404 for anyone else's) and its tickets."""
    registration = registration_of(candidate, registration_id)
    registration.candidate = candidate  # the same row, already loaded
    return registration, part_tickets(registration)


def candidate_ticket(candidate: Candidate, registration_id: int, part: str) -> PartTicket:
    """One part's ticket of the candidate's own registration; 404 for another's or for an
    unknown part."""
    if part not in Part.values:
        raise Http404
    registration = registration_of(candidate, registration_id)
    registration.candidate = candidate
    (ticket,) = part_tickets(registration, only=part)
    return ticket


# --- the PDF ---------------------------------------------------------------------------


def photo_jpeg(registration: Registration) -> bytes | None:
    """The photo submitted with the registration (by its hash, the one the site checked);
    None when there is none or its file is missing (the ticket shows an empty box)."""
    if not registration.photo_sha256:
        return None
    photo = (
        CandidatePhoto.objects.filter(
            candidate_id=registration.candidate_id, sha256=registration.photo_sha256
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if photo is None:
        return None
    try:
        with photo.image.open("rb") as f:
            return f.read()
    except OSError:
        logger.warning("photo file missing for photo %s", photo.pk)
        return None


def _day(value: dt.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local.year}年{local.month}月{local.day}日（星期{WEEKDAYS[local.weekday()]}）"


def _span(start: dt.datetime, end: dt.datetime) -> str:
    return f"{timezone.localtime(start):%H:%M}—{timezone.localtime(end):%H:%M}"


def _units(units: object) -> tuple[tuple[str, str], ...]:
    """The 医学综合's units as "第一单元", "8月22日 09:00—11:30"; a unit whose times do not
    parse prints its name alone rather than stopping the print."""
    out = []
    for unit in units if isinstance(units, list) else ():
        if not isinstance(unit, dict):
            continue
        name = str(unit.get("name") or "")
        try:
            start = dt.datetime.fromisoformat(str(unit["starts_at"]))
            end = dt.datetime.fromisoformat(str(unit["ends_at"]))
            local = timezone.localtime(start)
            when = f"{local.month}月{local.day}日 {_span(start, end)}"
        except (KeyError, ValueError, TypeError):
            when = ""
        out.append((name, when))
    return tuple(out)


def ticket_info(seat: Seat, *, photo: bytes | None) -> TicketInfo:
    """A seat as the ticket prints it (its registration, session, room and exam loaded)."""
    registration, session, room = seat.registration, seat.session, seat.room
    basic = registration.snap.basic
    full_id = snapshots.unseal(basic, "id_number") or registration.candidate.id_number
    exam_name = str(registration.exam.name).removeprefix(f"{registration.exam.year}年")
    return TicketInfo(
        year=registration.exam.year,
        exam_name=exam_name.strip() or "医师资格考试",
        part=seat.part,
        part_label=Part(seat.part).label,
        candidate_name=basic.full_name or registration.candidate.full_name,
        id_type=basic.id_type or "居民身份证",
        id_number_masked=mask_id_number(full_id),
        category=registration.category.label,
        registration_number=registration.number,
        ticket_no=seat.ticket_no,
        session_date=_day(session.starts_at),
        session_time=_span(session.starts_at, session.ends_at),
        units=_units(session.units),
        area=registration.site.area.name,
        site_name=registration.site.name,
        site_address=registration.site.address,
        room_code=room.code,
        room_name=room.name,
        room_place=room.place,
        seat=seat.number,
        qr_payload=ticket_code(seat),
        photo_jpeg=photo,
        generated_at=beijing(timezone.now()),
    )


def ticket_pdf(seat: Seat) -> bytes:
    return render_tickets([ticket_info(seat, photo=photo_jpeg(seat.registration))])


def site_seats(exam: Exam, site: ExamSite, part: str):
    """Every seat of a site's part, in room and seat order (集中打印)."""
    return (
        Seat.objects.filter(session__exam=exam, session__site=site, part=part)
        .select_related(
            "registration__exam",
            "registration__category",
            "registration__site__area",
            "registration__candidate",
            "session__exam",
            "room",
        )
        .order_by("session__number", "room__code", "number")
    )


def site_tickets_pdf(exam: Exam, site: ExamSite, part: str) -> bytes | None:
    """All tickets of a site's part in one PDF, or None when nobody is seated."""
    seats = list(site_seats(exam, site, part))
    if not seats:
        return None
    photos = _photos([s.registration for s in seats])
    infos = [ticket_info(s, photo=photos.get(s.registration_id)) for s in seats]
    title = f"{site.name} {Part(part).label} 准考证（集中打印）"
    return render_tickets(infos, title=title)


def _photos(registrations: list[Registration]) -> dict[int, bytes | None]:
    """Each registration's photo in one query (a site prints hundreds)."""
    wanted = {(r.candidate_id, r.photo_sha256): r.pk for r in registrations if r.photo_sha256}
    found: dict[int, bytes | None] = {}
    rows = CandidatePhoto.objects.filter(
        candidate_id__in={c for c, _ in wanted}, sha256__in={s for _, s in wanted}
    ).order_by("created_at", "id")
    for photo in rows:  # the newest wins, as in photo_jpeg
        pk = wanted.get((photo.candidate_id, photo.sha256))
        if pk is None:
            continue
        try:
            with photo.image.open("rb") as f:
                found[pk] = f.read()
        except OSError:
            logger.warning("photo file missing for photo %s", photo.pk)
    return found
