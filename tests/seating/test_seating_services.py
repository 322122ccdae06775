"""assign_site on the real database (SQLite and PostgreSQL): paid registrations of a site
seated in its rooms, capacity never exceeded, reproducible from the run's seed, minimal
moves on a re-run after a late change, 准考证号 by the documented scheme."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from payment_helpers import approve, fee_schedule
from review_helpers import make_registration

from yikao.core.models import AuditEntry
from yikao.payments import services as payments
from yikao.seating import services
from yikao.seating.models import AccessNeed, Part, Room, Run, Seat, Session

pytestmark = pytest.mark.django_db


def paid(exam, site, count):
    fee_schedule(exam, site.area)
    made = []
    for i in range(count):
        registration = approve(make_registration(exam, site))
        order = payments.order_open(
            candidate=registration.candidate, registration_pk=registration.pk
        )
        payments.settle(
            order_no=order.order_no, channel="counter", reference=f"PJ{registration.pk}-{i}",
            amount_fen=order.amount_fen, paid_at=timezone.now(), source="counter",
        )  # fmt: skip
        made.append(registration)
    return made


@pytest.fixture
def exam(db):
    from factories import make_exam

    exam = make_exam()
    exam.payment_deadline = timezone.now() + datetime.timedelta(days=3)
    exam.save()
    return exam


@pytest.fixture
def site(exam):
    from factories import make_site

    return make_site(exam, code="4101", capacity=500)


@pytest.fixture
def rooms(site):
    return [
        Room.objects.create(site=site, code="001", name="第一考场", capacity=5, columns=3,
                            accessible_seats=[1]),
        Room.objects.create(site=site, code="002", name="第二考场", capacity=5, columns=3),
    ]  # fmt: skip


@pytest.fixture
def session(exam, site):
    start = timezone.now() + datetime.timedelta(days=20)
    return Session.objects.create(
        exam=exam, site=site, part=Part.WRITTEN, number=1, label="医学综合",
        starts_at=start, ends_at=start + datetime.timedelta(hours=8),
    )  # fmt: skip


def seats_of(exam, site):
    return {
        s.registration_id: (s.room.code, s.number, s.ticket_no)
        for s in Seat.objects.filter(session__exam=exam, session__site=site).select_related("room")
    }


def test_every_paid_registration_is_seated_within_capacity(exam, site, rooms, session):
    people = paid(exam, site, 8)
    unpaid = approve(make_registration(exam, site))  # 审核通过 but not paid: no seat
    run = services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=7)
    seats = seats_of(exam, site)
    assert set(seats) == {r.pk for r in people} and unpaid.pk not in seats
    assert run.placed == 8 and run.unplaced == [] and run.moved == []
    for room in rooms:
        taken = [n for code, n, _ in seats.values() if code == room.code]
        assert len(taken) <= room.capacity and len(set(taken)) == len(taken)
        assert all(1 <= n <= room.capacity for n in taken)
    # Balanced: 4 and 4.
    assert sorted(sum(1 for c, _, _ in seats.values() if c == r.code) for r in rooms) == [4, 4]
    code, number, ticket = seats[people[0].pk]
    assert ticket == f"{exam.year}410100201{code}{number:02d}" and len(ticket) == 18
    assert AuditEntry.objects.filter(action="seating.assigned").count() == 1


def test_over_capacity_is_reported_not_squeezed(exam, site, rooms, session):
    people = paid(exam, site, 12)
    run = services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=1)
    assert run.placed == 10 and len(run.unplaced) == 2
    assert set(run.unplaced) < {r.pk for r in people}
    assert Seat.objects.count() == 10


def test_the_same_seed_reproduces_the_run(exam, site, rooms, session):
    paid(exam, site, 9)
    first = services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=42)
    before = seats_of(exam, site)
    Seat.objects.all().delete()
    services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=first.seed)
    assert seats_of(exam, site) == before


def test_a_rerun_after_a_late_change_moves_as_few_as_it_must(exam, site, rooms, session):
    people = paid(exam, site, 8)
    services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=3)
    before = seats_of(exam, site)
    late = paid(exam, site, 1)[0]  # a late payment
    run = services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=4)
    after = seats_of(exam, site)
    assert run.moved == [] and late.pk in after
    assert {k: v for k, v in after.items() if k != late.pk} == before
    # A room shrinks to 2 seats (a third room has space): only those beyond seat 2 there
    # move, and the run says who.
    Room.objects.create(site=site, code="003", name="第三考场", capacity=5, columns=3)
    Room.objects.filter(code="001").update(capacity=2)
    beyond = sorted(k for k, (code, n, _) in after.items() if code == "001" and n > 2)
    run = services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=5)
    assert run.moved == beyond
    out = io.StringIO()
    call_command("assign_seats", "--exam", exam.code, "--site", site.code, "--part", "written",
                 "--seed", "6", stdout=out)  # fmt: skip
    assert "调整 0 人" in out.getvalue()
    assert len(people) == 8


def test_an_access_need_gets_the_accessible_seat(exam, site, rooms, session):
    people = paid(exam, site, 6)
    AccessNeed.objects.create(registration=people[4], note="轮椅")
    services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=11)
    assert seats_of(exam, site)[people[4].pk][:2] == ("001", 1)


def test_without_rooms_or_sessions_the_run_is_refused(exam, site):
    paid(exam, site, 1)
    with pytest.raises(services.SeatingError) as refused:
        services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None)
    assert "场次和考场" in refused.value.message
    assert not Run.objects.exists()


def test_a_seat_holds_one_candidate_by_constraint(exam, site, rooms, session):
    a, b = paid(exam, site, 2)
    services.assign_site(exam=exam, site=site, part=Part.WRITTEN, actor=None, seed=2)
    taken = Seat.objects.get(registration=a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Seat.objects.filter(registration=b).update(room=taken.room, number=taken.number)
