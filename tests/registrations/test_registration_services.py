import datetime

import pytest
from django.utils import timezone
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.appointments.models import ACTIVE as BOOKING_ACTIVE
from yikao.appointments.models import Booking, BookingStatus, Slot
from yikao.appointments.services import booking_create
from yikao.core.models import AuditEntry
from yikao.inbox.senders import MemorySender
from yikao.profiles.models import Education
from yikao.registrations.models import Registration, Status
from yikao.registrations.services import (
    SITE_FULL,
    RegistrationError,
    draft_decision,
    draft_start,
    registration_abandon,
    registration_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def site(exam):
    return make_site(exam, capacity=2)


@pytest.fixture
def ready(exam, site):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    return make_draft(candidate, exam, site)


def test_submit_creates_registration_snapshot_and_locks_entries(ready, site):
    registration = registration_submit(draft=ready, token=ready.token)
    assert registration.status == Status.SUBMITTED
    assert registration.site == site
    assert registration.number == f"2027{site.code.ljust(6, '0')}000001"
    snapshot = registration.snapshot
    assert snapshot["basic"]["full_name"] == "张三"
    assert registration.candidate.id_number not in str(snapshot)  # encrypted, masked
    assert snapshot["educations"][0]["school_name"] == "郑州大学"
    assert registration.eligibility["status"] == "eligible"
    assert [d["code"] for d in registration.documents if d["code"]]
    education = Education.objects.get(candidate=registration.candidate)
    assert education.locked
    assert list(registration.educations.all()) == [education]
    assert AuditEntry.objects.filter(action="registration.submitted").count() == 1


def test_snapshot_does_not_change_with_later_profile_edits(ready):
    registration = registration_submit(draft=ready, token=ready.token)
    Education.objects.filter(candidate=registration.candidate).update(school_name="改名大学")
    registration.refresh_from_db()
    assert registration.snapshot["educations"][0]["school_name"] == "郑州大学"


def test_same_token_twice_gives_the_same_registration(ready):
    first = registration_submit(draft=ready, token=ready.token)
    second = registration_submit(draft=ready, token=ready.token)
    assert first.pk == second.pk
    assert Registration.objects.count() == 1


def test_second_registration_for_the_same_exam_is_refused(ready, exam, site):
    registration_submit(draft=ready, token=ready.token)
    with pytest.raises(RegistrationError, match="已报名"):
        draft_start(candidate=ready.candidate, category=ready.category)


def test_site_capacity_is_never_exceeded(exam, site):
    drafts = []
    for _ in range(3):
        candidate = make_candidate()
        make_bachelor_profile(candidate)
        drafts.append(make_draft(candidate, exam, site))
    registration_submit(draft=drafts[0], token=drafts[0].token)
    registration_submit(draft=drafts[1], token=drafts[1].token)
    with pytest.raises(RegistrationError, match=SITE_FULL):
        registration_submit(draft=drafts[2], token=drafts[2].token)
    assert Registration.objects.filter(site=site).count() == 2


def test_abandon_frees_seat_unlocks_entries_and_allows_a_new_registration(exam, site):
    candidates = [make_candidate() for _ in range(3)]
    drafts = []
    for candidate in candidates:
        make_bachelor_profile(candidate)
        drafts.append(make_draft(candidate, exam, site))
    first = registration_submit(draft=drafts[0], token=drafts[0].token)
    registration_submit(draft=drafts[1], token=drafts[1].token)
    registration_abandon(candidate=candidates[0], registration=first)
    first.refresh_from_db()
    assert first.status == Status.ABANDONED and first.abandoned_at
    assert not Education.objects.get(candidate=candidates[0]).locked
    # The freed seat is free at once.
    registration_submit(draft=drafts[2], token=drafts[2].token)
    # And the first candidate may start again.
    again = make_draft(candidates[0], exam, make_site(exam, capacity=5))
    assert registration_submit(draft=again, token=again.token).status == Status.SUBMITTED
    assert Registration.objects.filter(candidate=candidates[0]).count() == 2


def test_abandon_cancels_the_booking_frees_its_seat_and_tells_the_candidate(
    ready, exam, site, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_SENDERS = ["yikao.inbox.senders.MemorySender"]
    MemorySender.outbox.clear()
    registration = registration_submit(draft=ready, token=ready.token)
    Registration.objects.filter(pk=registration.pk).update(status=Status.SITE_APPROVED)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    slot = Slot.objects.create(exam=exam, site=site, starts_at=starts_at, capacity=1,
                               ends_at=starts_at + datetime.timedelta(hours=3))  # fmt: skip
    booking = booking_create(candidate=ready.candidate, slot=slot)
    MemorySender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_abandon(candidate=ready.candidate, registration=registration)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_at
    assert booking.cancel_reason == "报名已放弃"
    assert not Booking.objects.filter(BOOKING_ACTIVE, slot=slot).exists()
    audit = AuditEntry.objects.get(action="appointment.cancelled_with_registration")
    assert audit.reason == "报名已放弃" and audit.actor == ready.candidate.user
    # One SMS: the registration's message says the booking went with it; the booking's
    # own notice is kept in the candidate's list only.
    [notice] = MemorySender.outbox
    assert notice.kind == "registration.abandon" and "预约已随之取消" in notice.body
    kinds = set(ready.candidate.messages.values_list("kind", flat=True))
    assert {"registration.abandon", "registration_abandoned"} <= kinds
    MemorySender.outbox.clear()


def test_abandon_keeps_entries_locked_that_another_active_registration_uses(exam, site):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    first = registration_submit(draft=draft, token=draft.token)
    other_exam = make_exam(year=2028)
    other_site = make_site(other_exam)
    other = make_draft(candidate, other_exam, other_site)
    registration_submit(draft=other, token=other.token)
    registration_abandon(candidate=candidate, registration=first)
    assert Education.objects.get(candidate=candidate).locked


def test_only_the_owner_may_abandon(ready):
    registration = registration_submit(draft=ready, token=ready.token)
    with pytest.raises(RegistrationError):
        registration_abandon(candidate=make_candidate(), registration=registration)


def test_window_closed_refuses_submit_and_abandon(ready, exam):
    registration = registration_submit(draft=ready, token=ready.token)
    exam.window_end = exam.window_start
    exam.save()
    with pytest.raises(RegistrationError, match="已截止"):
        registration_abandon(candidate=ready.candidate, registration=registration)
    ready.category.refresh_from_db()
    with pytest.raises(RegistrationError, match="已截止"):
        draft_start(candidate=make_candidate(), category=ready.category)


def test_ineligible_candidate_cannot_submit(exam, site):
    candidate = make_candidate()
    education = make_bachelor_profile(candidate)
    education.major_name, education.major_code = "护理学", "101101"
    education.save()
    draft = make_draft(candidate, exam, site)
    assert draft_decision(draft).status == "not_eligible"
    with pytest.raises(RegistrationError, match="不符合报考条件"):
        registration_submit(draft=draft, token=draft.token)
    assert not Registration.objects.exists()
    assert not Education.objects.get(candidate=candidate).locked


def test_stale_token_is_refused(ready):
    with pytest.raises(RegistrationError, match="过期"):
        registration_submit(draft=ready, token="x" * 32)


def test_submit_and_abandon_lock_and_unlock_every_entry_with_its_audit_row(exam, site):
    from yikao.profiles.models import Certificate, Training
    from yikao.registrations.services import draft_save

    candidate = make_candidate()
    bachelor = make_bachelor_profile(candidate)
    older = Education.objects.create(
        candidate=candidate, level="专科", length_years=3, study_form="全日制", entry_date="2012-09",
        graduation_date="2015-06", school_name="某卫生学校", major_name="护理", major_code="520201",
    )  # fmt: skip
    training = Training.objects.create(candidate=candidate, kind="住院医师规范化培训", base_name="郑大一附院",
                                       major_name="内科", start_date="2024-08", end_date="2027-07")  # fmt: skip
    certificate = Certificate.objects.create(candidate=candidate, cert_type="护士执业证书",
                                             issue_date="2018-01", number="N1")  # fmt: skip
    draft = make_draft(candidate, exam, site)
    draft = draft_save(draft=draft, step=5, values={"trainings": [training.pk], "certificates": [certificate.pk]})  # fmt: skip
    first = registration_submit(draft=draft, token=draft.token)
    # The model's order (latest graduation first), as before.
    assert [e["id"] for e in first.snapshot["educations"]] == [bachelor.pk, older.pk]
    assert [e["id"] for e in first.snapshot["trainings"]] == [training.pk]
    assert [e["id"] for e in first.snapshot["certificates"]] == [certificate.pk]
    assert set(first.educations.all()) == {bachelor, older}
    assert list(first.trainings.all()) == [training]
    assert list(first.certificates.all()) == [certificate]
    entries = [bachelor, older, training, certificate]
    for entry in entries:
        entry.refresh_from_db()
        assert entry.locked
    rows = list(AuditEntry.objects.filter(subject=candidate.user).exclude(action="account.registered").order_by("id"))  # fmt: skip
    assert [(r.action, r.target_type, r.target_id) for r in rows] == [
        *(("profile.entry_locked", e._meta.label_lower, str(e.pk)) for e in entries),
        ("registration.submitted", "registrations.registration", str(first.pk)),
    ]
    assert {(r.actor, r.subject) for r in rows} == {(candidate.user, candidate.user)}
    assert [r.changes for r in rows[:4]] == [{"locked": {"old": False, "new": True}}] * 4

    # A second exam uses the bachelor only: abandoning the first unlocks the other three.
    other_exam = make_exam(year=2028)
    other = make_draft(candidate, other_exam, make_site(other_exam))
    other = draft_save(draft=other, step=5, values={"educations": [bachelor.pk]})
    second = registration_submit(draft=other, token=other.token)
    assert list(second.educations.all()) == [bachelor]
    start = AuditEntry.objects.latest("id").pk
    registration_abandon(candidate=candidate, registration=first)
    for entry in entries:
        entry.refresh_from_db()
    assert [e.locked for e in entries] == [True, False, False, False]
    rows = list(AuditEntry.objects.filter(pk__gt=start).order_by("id"))
    # The move first (registrations.lifecycle), then what it releases.
    assert [(r.action, r.target_id) for r in rows] == [
        ("registration.abandoned", str(first.pk)),
        *(("profile.entry_unlocked", str(e.pk)) for e in entries[1:]),
    ]
    assert {(r.actor, r.subject) for r in rows} == {(candidate.user, candidate.user)}
    assert rows[1].changes == {"locked": {"old": True, "new": False}}
