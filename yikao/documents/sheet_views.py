"""The room papers of a site's session for its staff (issue 21): 考场签到表, 门贴, 桌贴, per
room or for every room of the site in one PDF. Scoped like every staff page (a room or
session outside the login's sites is a 404); each download is audited, as the sign-in
sheet carries the candidates' photos."""

from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_safe

from yikao.core.audit import audit_record
from yikao.core.masking import mask_id_number
from yikao.documents.mapping import id_number
from yikao.documents.pdf.sheets import BUILDERS, SIGNIN, TITLES, SheetRoom, SheetSeat, render_sheets
from yikao.payments import scope as payment_scope
from yikao.photos.models import CandidatePhoto
from yikao.seating.models import Room, Seat, Session
from yikao.staff.access import staff_required


def _session(request, session_id: int) -> Session:
    sites = payment_scope.sites(request.scope)
    found = Session.objects.select_related("site", "exam").filter(site__in=sites)
    return get_object_or_404(found, pk=session_id)


def _photos(seats: list[Seat]) -> dict[int, bytes]:
    """Registration id → the photo submitted with it, read in one query."""
    wanted = {(s.registration.candidate_id, s.registration.photo_sha256): s.registration_id
              for s in seats if s.registration.photo_sha256}  # fmt: skip
    if not wanted:
        return {}
    rows = CandidatePhoto.objects.filter(
        candidate_id__in={c for c, _ in wanted}, sha256__in={h for _, h in wanted}
    ).order_by("created_at", "id")
    out = {}
    for photo in rows:  # the newest of equal hashes wins, as registration_photo picks it
        key = wanted.get((photo.candidate_id, photo.sha256))
        if key is None:
            continue
        try:
            with photo.image.open("rb") as f:
                out[key] = f.read()
        except OSError:
            continue  # a missing file leaves an empty photo box, never a failed print
    return out


def _when(session: Session) -> str:
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return f"{start:%Y}年{start.month}月{start.day}日 {start:%H:%M}–{end:%H:%M}"


def _rooms(session: Session, rooms: list[Room], kind: str) -> list[SheetRoom]:
    seats = list(
        Seat.objects.filter(session=session, room__in=rooms)
        .select_related("registration__candidate")
        .order_by("room__code", "number")
    )
    photos = _photos(seats) if kind == SIGNIN else {}
    by_room: dict[int, list[SheetSeat]] = {room.pk: [] for room in rooms}
    for seat in seats:
        registration = seat.registration
        by_room[seat.room_id].append(SheetSeat(
            number=seat.number,
            name=registration.snap.basic.full_name or registration.candidate.full_name,
            id_number_masked=mask_id_number(id_number(registration)),
            ticket_no=seat.ticket_no,
            photo_jpeg=photos.get(registration.pk),
        ))  # fmt: skip
    return [
        SheetRoom(exam_name=session.exam.name, site_name=session.site.name,
                  room_code=room.code, room_name=room.name, place=room.place,
                  session_label=session.label, session_time=_when(session),
                  seats=by_room[room.pk])
        for room in rooms
    ]  # fmt: skip


def _pdf(request, session: Session, rooms: list[Room], kind: str, name: str) -> HttpResponse:
    if kind not in BUILDERS:
        raise Http404
    pdf = render_sheets(kind, _rooms(session, rooms, kind))
    audit_record(actor=request.user, action="seating.sheet_downloaded", target=session,
                 changes={"sheet": {"old": None, "new": TITLES[kind]},
                          "rooms": {"old": None, "new": len(rooms)}})  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{kind}.pdf"'
    return response


@staff_required
@require_safe
def site_sheet(request, session_id: int, kind: str):
    """Every room of the site in use, or holding seats of the session, in one PDF."""
    session = _session(request, session_id)
    seated = Seat.objects.filter(session=session).values("room_id")
    in_use = Q(site=session.site, is_active=True) | Q(pk__in=seated)
    rooms = list(Room.objects.filter(in_use).order_by("code"))
    return _pdf(request, session, rooms, kind, f"site-{session.site.code}-s{session.number:02d}")


@staff_required
@require_safe
def room_sheet(request, session_id: int, room_id: int, kind: str):
    session = _session(request, session_id)
    room = get_object_or_404(Room.objects.filter(site=session.site), pk=room_id)
    return _pdf(request, session, [room], kind, f"room-{room.code}-s{session.number:02d}")
