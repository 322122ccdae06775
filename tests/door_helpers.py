"""A small seated world for the door check tests (tests/seating/test_door.py and the phone
test): two sessions and two rooms at site 4101, a room and a session at site 4102 of the same
area, seats made directly (the assignment has its own tests), staff of each kind."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from factories import make_exam, make_photo, make_site
from review_helpers import make_registration, make_staff

from yikao.seating import services
from yikao.seating.models import Part, Room, Run, Seat, Session


@dataclass
class DoorWorld:
    exam: object
    site: object
    other_site: object
    morning: object  # session 1 at site
    afternoon: object  # session 2 at site, the next day
    other_session: object  # at other_site
    room1: object
    room2: object
    other_room: object
    seat1: object  # 王小明: morning, room1, seat 3 (with a photo)
    seat2: object  # 李华: morning, room2, seat 5
    seat_pm: object  # 张伟: afternoon, room1, seat 1
    seat_other: object  # 乙保密: other_site
    staff: object  # site staff of site
    area_staff: object
    other_staff: object  # site staff of other_site


def _seat(exam, site, session, room, number, registration):
    run = Run.objects.create(exam=exam, site=site, part=session.part, seed=1)
    return Seat.objects.create(
        registration=registration, part=session.part, session=session, room=room,
        number=number, run=run,
        ticket_no=services.ticket_no(exam, site, session.part, session, room, number),
    )  # fmt: skip


def build_door_world() -> DoorWorld:
    exam = make_exam()
    site = make_site(exam, code="4101", capacity=300)
    other_site = make_site(exam, code="4102", capacity=300)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    hours = datetime.timedelta(hours=2, minutes=30)

    def session(at, number, label, when):
        return Session.objects.create(exam=exam, site=at, part=Part.WRITTEN, number=number,
                                      label=label, starts_at=when, ends_at=when + hours)  # fmt: skip

    morning = session(site, 1, "上午场", start)
    afternoon = session(site, 2, "次日场", start + datetime.timedelta(days=1))
    other_session = session(other_site, 1, "上午场", start)
    room1 = Room.objects.create(site=site, code="001", name="一号楼101", capacity=30)
    room2 = Room.objects.create(site=site, code="002", name="一号楼102", capacity=30)
    other_room = Room.objects.create(site=other_site, code="001", name="实验楼", capacity=30)
    regs = [make_registration(exam, s, full_name=n) for s, n in
            ((site, "王小明"), (site, "李华"), (site, "张伟"), (other_site, "乙保密"))]  # fmt: skip
    photo = make_photo(regs[0].candidate)
    regs[0].photo_sha256 = photo.sha256
    regs[0].save(update_fields=["photo_sha256"])
    return DoorWorld(
        exam=exam, site=site, other_site=other_site, morning=morning, afternoon=afternoon,
        other_session=other_session, room1=room1, room2=room2, other_room=other_room,
        seat1=_seat(exam, site, morning, room1, 3, regs[0]),
        seat2=_seat(exam, site, morning, room2, 5, regs[1]),
        seat_pm=_seat(exam, site, afternoon, room1, 1, regs[2]),
        seat_other=_seat(exam, other_site, other_session, other_room, 1, regs[3]),
        staff=make_staff("kaodian4101", "site", site=site),
        area_staff=make_staff("kaoqu41", "area", area=site.area),
        other_staff=make_staff("kaodian4102", "site", site=other_site),
    )  # fmt: skip
