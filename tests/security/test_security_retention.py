"""purge_stale_data: what is old goes, what is recent or still active stays, the audit trail
stays, --dry-run changes nothing, and the limits come from settings or the environment."""

import datetime
import io

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.appointments.models import Booking
from yikao.core.models import AuditEntry
from yikao.registrations.models import Draft, Registration, Status
from yikao.registrations.services import registration_abandon, registration_submit

DAY = datetime.timedelta(days=1)


def _registration(exam, site):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    return registration_submit(draft=draft, token=draft.token)


@pytest.fixture
def stale(db):
    """Two of each: one past its retention limit, one within it."""
    now = timezone.now()
    exam = make_exam()
    site = make_site(exam)
    old_draft = make_draft(make_candidate(), exam, site)
    new_draft = make_draft(make_candidate(), exam, site)
    Draft.objects.filter(pk=old_draft.pk).update(updated_at=now - 181 * DAY)
    Draft.objects.filter(pk=new_draft.pk).update(updated_at=now - 179 * DAY)
    old_abandoned, new_abandoned, active = (_registration(exam, site) for _ in range(3))
    for registration in (old_abandoned, new_abandoned):
        registration_abandon(candidate=registration.candidate, registration=registration)
    Registration.objects.filter(pk=old_abandoned.pk).update(abandoned_at=now - 400 * DAY)
    Registration.objects.filter(pk=active.pk).update(submitted_at=now - 900 * DAY)
    from yikao.appointments.models import Slot

    slot = Slot.objects.create(exam=exam, site=site, starts_at=now - 500 * DAY,
                               ends_at=now - 500 * DAY + DAY / 8, capacity=5)  # fmt: skip
    Booking.objects.create(registration=old_abandoned, candidate=old_abandoned.candidate,
                           slot=slot, code="OLD1-BOOK", status="cancelled")  # fmt: skip
    old_attempt = AccessAttempt.objects.create(
        username="unknown:x", ip_address="10.0.0.1", user_agent="t", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=old_attempt.pk).update(attempt_time=now - 100 * DAY)
    AccessAttempt.objects.create(username="unknown:y", ip_address="10.0.0.2", user_agent="t",
                                 failures_since_start=1)  # fmt: skip
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=now - DAY)
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=now + DAY)
    return {
        "old_draft": old_draft, "new_draft": new_draft, "old_abandoned": old_abandoned,
        "new_abandoned": new_abandoned, "active": active,
    }  # fmt: skip


def _run(*args) -> str:
    out = io.StringIO()
    call_command("purge_stale_data", *args, stdout=out)
    return out.getvalue()


def _snapshot():
    return (
        Draft.objects.count(), Registration.objects.count(), Booking.objects.count(),
        AccessAttempt.objects.count(), Session.objects.count(), AuditEntry.objects.count(),
    )  # fmt: skip


def test_dry_run_counts_and_changes_nothing(stale):
    before = _snapshot()
    out = _run("--dry-run")
    assert _snapshot() == before
    for line in ("would delete 1 drafts", "would delete 1 abandoned_registrations",
                 "would delete 1 bookings_of_abandoned", "would delete 1 login_attempts",
                 "would delete 1 expired_sessions"):  # fmt: skip
        assert line in out, out


def test_purge_deletes_only_what_is_past_its_limit_and_keeps_the_audit_trail(stale):
    old = stale["old_abandoned"]
    trail = AuditEntry.objects.filter(target_type="registrations.registration",
                                      target_id=str(old.pk)).count()  # fmt: skip
    assert trail >= 2  # submitted, abandoned
    out = _run()
    assert "deleted 1 abandoned_registrations" in out and "deleted 1 drafts" in out
    assert not Draft.objects.filter(pk=stale["old_draft"].pk).exists()
    assert Draft.objects.filter(pk=stale["new_draft"].pk).exists()
    assert not Registration.objects.filter(pk=old.pk).exists()
    assert Registration.objects.filter(pk=stale["new_abandoned"].pk).exists()
    active = Registration.objects.get(pk=stale["active"].pk)
    assert active.status == Status.SUBMITTED and active.educations.count() == 1
    assert AccessAttempt.objects.count() == 1 and Session.objects.count() == 1
    assert AuditEntry.objects.filter(target_type="registrations.registration",
                                     target_id=str(old.pk)).count() == trail  # fmt: skip
    purged = AuditEntry.objects.get(action="data.purged")
    assert purged.changes["abandoned_registrations"] == {"old": 1, "new": 0}
    # A second run finds nothing and writes no audit row.
    assert "deleted 0 drafts" in _run()
    assert AuditEntry.objects.filter(action="data.purged").count() == 1


def test_limits_come_from_settings_then_environment(stale, settings, monkeypatch):
    settings.RETENTION_DRAFT_DAYS = 10
    assert "would delete 2 drafts" in _run("--dry-run")
    del settings.RETENTION_DRAFT_DAYS
    monkeypatch.setenv("RETENTION_DRAFT_DAYS", "1000")
    assert "would delete 0 drafts" in _run("--dry-run")
    monkeypatch.setenv("RETENTION_DRAFT_DAYS", "soon")
    with pytest.raises(CommandError, match="RETENTION_DRAFT_DAYS"):
        _run("--dry-run")
    monkeypatch.setenv("RETENTION_DRAFT_DAYS", "0")
    with pytest.raises(CommandError, match="at least 1 day"):
        _run("--dry-run")
