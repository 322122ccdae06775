"""The registration life cycle (registrations.lifecycle): every allowed move is walked,
every forbidden one refused, and nothing outside the module assigns a status."""

import re
from pathlib import Path

import pytest
from django.db import transaction
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.core.models import AuditEntry
from yikao.registrations import lifecycle
from yikao.registrations.models import ACTIVE, Registration, Status
from yikao.registrations.services import registration_submit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2] / "yikao"
REVIEW_MOVES = [m for m in lifecycle.MOVES.values() if m is not lifecycle.SUBMIT]


@pytest.fixture
def registration():
    exam = make_exam()
    site = make_site(exam)
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    return registration_submit(draft=draft, token=draft.token)


def _in_status(registration, status):
    # Test set-up only: put the row straight into the state under test.
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.status = status
    return registration


def _move(registration, the_move, *, reason=""):
    with transaction.atomic():
        locked = lifecycle.lock(Registration.objects.all(), registration.pk)
        return lifecycle.move(locked, the_move, actor=locked.candidate.user, reason=reason)


def test_the_moves_and_the_states_agree():
    assert set(lifecycle.MOVES) == {
        "submit", "site_approve", "site_return", "area_approve", "area_return", "abandon",
        "pay", "expire",
    }  # fmt: skip
    every = set(Status.values)
    for m in lifecycle.MOVES.values():
        assert m.sources <= every and m.target in every, m.name
    # The ended states (已放弃, 未缴费) are the end; 已缴费 is kept until the exam.
    assert {s for m in REVIEW_MOVES for s in m.sources} == every - Status.ENDED - {Status.PAID}
    assert every - Status.ENDED == Status.ACTIVE


def test_the_active_filter_is_the_active_group(registration):
    for status in Status.values:
        _in_status(registration, status)
        in_filter = Registration.objects.filter(ACTIVE, pk=registration.pk).exists()
        assert in_filter == (status in Status.ACTIVE), status


@pytest.mark.parametrize(
    ("the_move", "status"),
    [(m, s) for m in REVIEW_MOVES for s in Status.values],
    ids=lambda v: getattr(v, "name", v),
)
def test_every_move_from_every_state(registration, the_move, status):
    _in_status(registration, status)
    sent = []

    def listen(**kwargs):
        sent.append((kwargs["move"].name, kwargs["old"], kwargs["registration"].status))

    lifecycle.moved.connect(listen)
    start = AuditEntry.objects.latest("id").pk
    try:
        if the_move.allowed_from(status):
            moved = _move(registration, the_move, reason="照片不清晰")
            registration.refresh_from_db()
            assert registration.status == moved.status == the_move.target
            assert sent == [(the_move.name, status, the_move.target)]
            audit = AuditEntry.objects.get(pk__gt=start, action=the_move.audit_action)
            assert audit.changes["status"] == {"old": status, "new": the_move.target}
            if the_move.is_decision:
                assert registration.status_reason == "照片不清晰"
            if the_move.target in Status.ENDED:
                assert registration.abandoned_at is not None
        else:
            with pytest.raises(lifecycle.MoveRefused) as refused:
                _move(registration, the_move)
            assert Status(status).label in refused.value.message
            assert the_move.label in refused.value.message
            registration.refresh_from_db()
            assert registration.status == status
            assert sent == []
            assert not AuditEntry.objects.filter(pk__gt=start).exists()
    finally:
        lifecycle.moved.disconnect(listen)


def test_submit_sends_the_event_with_its_audit_row(registration):
    audit = AuditEntry.objects.filter(action="registration.submitted").get()
    assert audit.target_id == str(registration.pk)
    assert registration.status == Status.SUBMITTED


# `x.status = …`, `status=…` in an update(), or save of a status field: the ways a status
# is written. Booking statuses (appointments) are another life cycle and are excluded by
# the module list below.
ASSIGNMENT = re.compile(r"\bregistration\.status\s*=[^=]|update\([^)]*\bstatus\s*=")
BOOKING_MODULES = {"appointments"}


def test_nothing_else_assigns_a_registration_status():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in BOOKING_MODULES or "migrations" in rel.parts:
            continue
        if rel == Path("registrations/lifecycle.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ASSIGNMENT.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
