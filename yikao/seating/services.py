"""The Django side of seat assignment: who sits (the paid registrations of a site), where
(every session × active room of the site for the part), the run that records the seed,
and the 准考证号 of each seat. The placement itself is `seating.assign` (pure Python)."""

from __future__ import annotations

import secrets

from django.db import transaction

from yikao.core.audit import audit_record
from yikao.exams.models import Exam, ExamSite, SiteCapacity
from yikao.registrations.models import Registration, Status
from yikao.seating import assign
from yikao.seating.models import PART_DIGITS, Room, Run, Seat, Session


class SeatingError(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def ticket_no(
    exam: Exam, site: ExamSite, part: str, session: Session, room: Room, number: int
) -> str:
    """准考证号 (docs/seating.md): year 4 + site 6 + part 1 + session 2 + room 3 + seat 2 =
    18 digits. Unique by construction within an exam (and by constraint)."""
    return (
        f"{exam.year}{site.code.ljust(6, '0')}{PART_DIGITS[part]}"
        f"{session.number:02d}{room.code.zfill(3)}{number:02d}"
    )


def slots(exam: Exam, site: ExamSite, part: str) -> list[tuple[Session, Room]]:
    """Every (session, room) of the site for the part, in a fixed order: the seats a run
    fills. The order is part of what a seed reproduces."""
    sessions = Session.objects.filter(exam=exam, site=site, part=part).order_by("number")
    rooms = list(Room.objects.filter(site=site, is_active=True).order_by("code"))
    return [(session, room) for session in sessions for room in rooms]


def unit_key(registration: Registration) -> str:
    """Whom a candidate must not sit next to: the same work unit, by its directory code,
    else by the exact unit name the candidate entered (never by a guess from wording)."""
    work = registration.snap.work
    if work.work_unit_code:
        return f"code:{work.work_unit_code}"
    name = " ".join(work.work_unit_name.split())
    return f"name:{name}" if name else ""


def seatees(exam: Exam, site: ExamSite) -> list[assign.Seatee]:
    """The registrations that sit: paid (已缴费) at the site."""
    registrations = (
        Registration.objects.filter(exam=exam, site=site, status=Status.PAID)
        .select_related("access_need")
        .only("pk", "snapshot", "access_need__id")
        .order_by("pk")
    )
    return [
        assign.Seatee(
            key=r.pk,
            unit=unit_key(r),
            needs_access=hasattr(r, "access_need"),
        )
        for r in registrations
    ]


def assign_site(*, exam: Exam, site: ExamSite, part: str, actor, seed: int | None = None) -> Run:
    """Seat every paid registration of the site in the part. Seats still valid are kept
    (seating.assign), so a re-run after a late change moves as few as it must, and the
    run lists whom it moved. Audited; reproducible from the run's seed."""
    with transaction.atomic():
        # The site's seat row serialises runs of one site (two staff pressing at once).
        SiteCapacity.objects.select_for_update().filter(exam=exam, site=site).first()
        slot_list = slots(exam, site, part)
        if not slot_list:
            raise SeatingError("请先为本考点设置考试场次和考场。", "no_rooms")
        index = {(s.pk, r.pk): i for i, (s, r) in enumerate(slot_list)}
        specs = [
            assign.RoomSpec(
                key=i,
                capacity=room.capacity,
                columns=room.columns,
                accessible=frozenset(n for n in room.accessible_seats if 1 <= n <= room.capacity),
            )
            for i, (_, room) in enumerate(slot_list)
        ]
        existing = {
            seat.registration_id: seat
            for seat in Seat.objects.filter(session__exam=exam, session__site=site, part=part)
        }
        previous = {
            key: assign.Seat(index[(seat.session_id, seat.room_id)], seat.number)
            for key, seat in existing.items()
            if (seat.session_id, seat.room_id) in index
        }
        seed = secrets.randbits(48) if seed is None else seed
        plan = assign.assign(seatees(exam, site), specs, seed=seed, previous=previous)
        # Seated before but whose room or session is gone: they move too.
        lost = sorted(k for k in existing if k not in previous and k in plan.seats)
        moved = sorted({*plan.moved, *lost})
        run = Run.objects.create(
            exam=exam, site=site, part=part, seed=seed, created_by=actor,
            placed=len(plan.seats), moved=moved, unplaced=plan.unplaced,
            conflicts=plan.conflicts,
        )  # fmt: skip
        kept = {k for k, seat in plan.seats.items() if previous.get(k) == seat}
        Seat.objects.filter(pk__in=[s.pk for k, s in existing.items() if k not in kept]).delete()
        Seat.objects.bulk_create(
            Seat(
                registration_id=key,
                part=part,
                session=slot_list[seat.room][0],
                room=slot_list[seat.room][1],
                number=seat.seat,
                ticket_no=ticket_no(exam, site, part, *slot_list[seat.room], seat.seat),
                run=run,
            )
            for key, seat in sorted(plan.seats.items())
            if key not in kept
        )
        audit_record(
            actor=actor,
            action="seating.assigned",
            target=run,
            changes={"site": {"old": None, "new": site.name},
                     "part": {"old": None, "new": part},
                     "seed": {"old": None, "new": seed},
                     "placed": {"old": None, "new": run.placed},
                     "moved": {"old": None, "new": len(moved)},
                     "unplaced": {"old": None, "new": len(plan.unplaced)}},
        )  # fmt: skip
        return run
