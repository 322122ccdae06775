"""The door check (入场核验): a ticket scanned or typed at a room's door. One function for
the phone page (door_views) and the API (door_api), so the two cannot disagree.

What the staff member is shown decides who enters: the candidate's photo, name, room and
seat, and an outcome — 核验通过, 考场不符, 场次不符, or red for a forged code, an unknown
number or another site's ticket. Every check of a real ticket of the site writes a CheckIn
(who, when, where, outcome): the CheckIn is the record, so no audit row is written besides.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from yikao.core.text import to_half_width
from yikao.photos.models import CandidatePhoto
from yikao.seating.models import CheckIn, CheckOutcome, Room, Seat, Session
from yikao.seating.ticket_code import ForgedTicket, read_ticket_code
from yikao.staff.access import sites_in_scope
from yikao.staff.models import StaffScope

TICKET_NO = re.compile(r"[0-9]{18}")
DIGITS = re.compile(r"[0-9]+")
# A QR payload is short; anything longer is not ours and is not parsed at all.
MAX_CODE = 512

# Outcomes beyond CheckOutcome (ok, wrong_room, wrong_session): no seat of the site to record.
FORGED, UNKNOWN, OTHER_SITE, STALE = "forged", "unknown", "other_site", "stale"
MESSAGES = {
    FORGED: "伪造或无效的准考证",
    UNKNOWN: "查无此准考证号",
    OTHER_SITE: "不是本考点的准考证",
    STALE: "准考证已失效（座位已重新编排，请考生重新打印准考证）",
}


class DoorInputError(Exception):
    """The typed text is not a 准考证号 or a code: said next to the field, nothing stored."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DoorResult:
    outcome: str  # CheckOutcome value, or FORGED / UNKNOWN / OTHER_SITE
    message: str
    seat: Seat | None = None  # only a seat of the door's site: its candidate may be shown
    checked_before_at: datetime.datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == CheckOutcome.OK

    @property
    def tone(self) -> str:
        """green (pass), amber (a real ticket at the wrong door), red (do not let in)."""
        if self.ok:
            return "warn" if self.checked_before_at else "ok"
        return "warn" if self.seat is not None else "bad"


# --- Scope -------------------------------------------------------------------------------------


def sessions(scope: StaffScope) -> QuerySet[Session]:
    return Session.objects.filter(site__in=sites_in_scope(scope)).select_related("site", "exam")


def rooms(scope: StaffScope) -> QuerySet[Room]:
    return Room.objects.filter(site__in=sites_in_scope(scope), is_active=True).select_related(
        "site"
    )


def seats(scope: StaffScope) -> QuerySet[Seat]:
    return Seat.objects.filter(session__site__in=sites_in_scope(scope))


def door_of(scope: StaffScope, session_id, room_id) -> tuple[Session, Room] | None:
    """The (session, room) a door stands for, if both are in the scope and of one site."""
    if not (isinstance(session_id, int) and isinstance(room_id, int)):
        return None
    session = sessions(scope).filter(pk=session_id).first()
    room = rooms(scope).filter(pk=room_id).first()
    if session is None or room is None or session.site_id != room.site_id:
        return None
    return session, room


# --- The check ---------------------------------------------------------------------------------


def _read(code: str) -> tuple[str, int | None] | None:
    """(准考证号, registration id the signed code names, or None when typed) of a scanned or
    typed text; None for a code that is not ours (forged, altered, garbage). Raises
    DoorInputError for text that is neither (empty, a number of the wrong length)."""
    text = "".join(to_half_width(code or "").split())
    if not text:
        raise DoorInputError("请输入准考证号或扫描准考证上的二维码。")
    if len(text) > MAX_CODE:
        return None
    if TICKET_NO.fullmatch(text):
        return text, None
    if DIGITS.fullmatch(text):
        raise DoorInputError(f"准考证号为 18 位数字，这里是 {len(text)} 位。")
    try:
        claim = read_ticket_code(code.strip())  # the signature is checked here
    except ForgedTicket:
        return None
    return claim.ticket_no, claim.registration_id


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def check(*, scope: StaffScope, session: Session, room: Room, code: str, actor) -> DoorResult:
    """Check one ticket at the door of `room` in `session` (both already in the scope)."""
    read = _read(code)
    if read is None:
        return DoorResult(FORGED, MESSAGES[FORGED])
    ticket_no, registration_id = read
    seat = (
        Seat.objects.filter(ticket_no=ticket_no)
        .select_related("session", "room", "registration__candidate")
        .first()
    )
    if seat is None:
        return DoorResult(UNKNOWN, MESSAGES[UNKNOWN])
    if seat.session.site_id != session.site_id:
        # Not ours to show: neither the person nor where they should be.
        return DoorResult(OTHER_SITE, MESSAGES[OTHER_SITE])
    if registration_id is not None and registration_id != seat.registration_id:
        # A genuine code of a seat a re-run gave to someone else: the number is reused.
        return DoorResult(STALE, MESSAGES[STALE])
    if seat.session_id != session.pk:
        outcome = CheckOutcome.WRONG_SESSION
        message = f"场次不符（应于 {_when(seat.session.starts_at)} {seat.session.label} 参加）"
    elif seat.room_id != room.pk:
        outcome = CheckOutcome.WRONG_ROOM
        message = f"考场不符（应在 {seat.room.code} 考场 {seat.number} 号座位）"
    else:
        outcome, message = CheckOutcome.OK, CheckOutcome.OK.label
    before = (
        CheckIn.objects.filter(seat=seat, session=session, outcome=CheckOutcome.OK)
        .order_by("checked_at")
        .values_list("checked_at", flat=True)
        .first()
    )
    if outcome == CheckOutcome.OK and before is not None:
        message = f"已于 {timezone.localtime(before):%H:%M} 核验"
    CheckIn.objects.create(seat=seat, room=room, session=session, outcome=outcome, checked_by=actor)
    return DoorResult(outcome, message, seat, before)


def counts(session: Session, room: Room) -> tuple[int, int]:
    """(checked in, expected) at a room in a session: distinct seats with a pass."""
    here = Seat.objects.filter(session=session, room=room)
    checked = (
        here.filter(check_ins__outcome=CheckOutcome.OK, check_ins__session=session)
        .distinct()
        .count()
    )
    return checked, here.count()


def seat_photo(seat: Seat) -> CandidatePhoto | None:
    """The photo the registration was submitted with (by its hash), else the current one:
    the same choice as the review page's photo, so the door shows what was approved."""
    registration = seat.registration
    photos = CandidatePhoto.objects.filter(candidate_id=registration.candidate_id)
    if registration.photo_sha256:
        photo = photos.filter(sha256=registration.photo_sha256).first()
        if photo is not None:
            return photo
    return photos.filter(is_current=True).first()


def photo_url(seat: Seat) -> str | None:
    """The staff route of the seat's photo (door_views.door_photo), None without a photo."""
    return reverse("seating:door_photo", args=[seat.pk]) if seat_photo(seat) else None


def answer(result: DoorResult) -> dict:
    """What the page shows and the API returns about one check (the same fields)."""
    seat = result.seat
    return {
        "outcome": result.outcome,
        "message": result.message,
        "ticket_no": seat.ticket_no if seat else "",
        "name": seat.registration.candidate.full_name if seat else "",
        "room": f"{seat.room.code} 考场" if seat else "",
        "seat": seat.number if seat else None,
        "photo_url": photo_url(seat) if seat else None,
        "checked_before_at": result.checked_before_at,
    }
