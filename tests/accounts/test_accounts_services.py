"""Staff corrections of basic information reach the active registrations' snapshots."""

import datetime
import io

import pytest
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_site,
    resident_id,
)
from pypdf import PdfReader

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import User
from yikao.accounts.services import candidate_basic_info_correct
from yikao.core import crypto
from yikao.core.models import AuditEntry
from yikao.documents.services import registration_pdf
from yikao.registrations.services import registration_abandon, registration_submit

pytestmark = pytest.mark.django_db

NEW_NUMBER = resident_id(birth="19980521", seq=41)


@pytest.fixture
def staff():
    return User.objects.create_user("staff01", "Staff2026pass", is_staff=True)


@pytest.fixture
def candidate():
    candidate = make_candidate(full_name="张三")
    make_bachelor_profile(candidate)
    return candidate


def _submit(candidate, exam):
    draft = make_draft(candidate, exam, make_site(exam))
    return registration_submit(draft=draft, token=draft.token)


def _correct(staff, candidate, **overrides):
    values = dict(
        full_name="张叁", id_type=IdType.RESIDENT_ID, id_number=NEW_NUMBER,
        gender=Gender.MALE, birth_date=datetime.date(1998, 5, 21),
    )  # fmt: skip
    values.update(overrides)
    return candidate_basic_info_correct(
        staff=staff, candidate=candidate, reason="身份证原件核对", **values
    )


def _printed_text(registration) -> str:
    pdf = registration_pdf(
        registration=registration,
        code="registration_form",
        base_url="https://yikao.example.cn/",
        actor=registration.candidate.user,
    )
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_correction_updates_the_active_registrations_snapshot_and_the_printed_form(
    staff, candidate
):
    old_number = candidate.id_number
    registration = _submit(candidate, make_exam())
    _correct(staff, candidate)
    registration.refresh_from_db()
    basic = registration.snapshot["basic"]
    assert (basic["full_name"], basic["birth_date"]) == ("张叁", "1998-05-21")
    assert basic["id_number_masked"] == NEW_NUMBER[:4] + "*" * 10 + NEW_NUMBER[-4:]
    assert crypto.decrypt(basic["id_number_sealed"], purpose="snapshot.id_number") == NEW_NUMBER
    assert NEW_NUMBER not in str(registration.snapshot)  # sealed and masked, never in clear
    # What was submitted besides the basic information stays as it was.
    assert basic["mobile_masked"] and basic["military"] == "无"
    assert registration.snapshot["educations"][0]["school_name"] == "郑州大学"

    text = _printed_text(registration)
    assert "张叁" in text and NEW_NUMBER in text
    assert "张三" not in text and old_number not in text

    entry = AuditEntry.objects.get(action="registration.snapshot_corrected")
    assert (entry.actor, entry.subject) == (staff, candidate.user)
    assert entry.target_id == str(registration.pk) and entry.reason == "身份证原件核对"
    assert set(entry.changes) == {"full_name", "id_number", "birth_date"}
    assert entry.changes["full_name"] == {"old": "张三", "new": "张叁"}
    assert old_number not in str(entry.changes) and NEW_NUMBER not in str(entry.changes)
    sealed = entry.changes["id_number"]["old"]["sealed"]
    assert crypto.decrypt(sealed, purpose="audit") == old_number


def test_abandoned_registrations_keep_what_was_submitted(staff, candidate):
    exam = make_exam()
    abandoned = _submit(candidate, exam)
    registration_abandon(candidate=candidate, registration=abandoned)
    abandoned.refresh_from_db()
    history = abandoned.snapshot
    active = _submit(candidate, exam)
    _correct(staff, candidate)
    abandoned.refresh_from_db()
    active.refresh_from_db()
    assert abandoned.snapshot == history and history["basic"]["full_name"] == "张三"
    assert active.snapshot["basic"]["full_name"] == "张叁"
    corrected = AuditEntry.objects.filter(action="registration.snapshot_corrected")
    assert [e.target_id for e in corrected] == [str(active.pk)]


def test_every_active_registration_is_corrected(staff, candidate):
    first, second = _submit(candidate, make_exam()), _submit(candidate, make_exam(year=2028))
    _correct(staff, candidate, id_number=candidate.id_number, birth_date=candidate.birth_date)
    for registration in (first, second):
        registration.refresh_from_db()
        assert registration.snapshot["basic"]["full_name"] == "张叁"
    entries = AuditEntry.objects.filter(action="registration.snapshot_corrected")
    assert sorted(e.target_id for e in entries) == sorted([str(first.pk), str(second.pk)])
    assert all(set(e.changes) == {"full_name"} for e in entries)


def test_a_snapshot_that_already_says_the_same_is_left_alone(staff, candidate):
    """A registration submitted after a first correction already carries it; a second
    correction of another field audits only what changed in the snapshot."""
    _correct(staff, candidate, id_number=candidate.id_number, birth_date=candidate.birth_date)
    registration = _submit(candidate, make_exam())
    assert registration.snapshot["basic"]["full_name"] == "张叁"
    assert not AuditEntry.objects.filter(action="registration.snapshot_corrected").exists()
    _correct(staff, candidate, full_name="张叁", id_number=NEW_NUMBER)
    entry = AuditEntry.objects.get(action="registration.snapshot_corrected")
    assert set(entry.changes) == {"id_number", "birth_date"}


def test_a_failed_correction_changes_no_snapshot(staff, candidate, monkeypatch):
    from yikao.registrations import snapshot

    registration = _submit(candidate, make_exam())
    before = registration.snapshot

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(snapshot, "identity_correct", broken)
    with pytest.raises(RuntimeError):
        _correct(staff, candidate)
    registration.refresh_from_db()
    candidate.refresh_from_db()
    assert registration.snapshot == before and candidate.full_name == "张三"
    assert not AuditEntry.objects.filter(action="account.basic_info_corrected").exists()


def test_a_username_can_never_be_changed():
    from yikao.accounts.models import User

    user = make_candidate().user
    user.username = "another_name"
    with pytest.raises(ValueError, match="用户名注册后不能修改"):
        user.save()
    loaded = User.objects.get(pk=user.pk)
    assert loaded.username != "another_name"
    loaded.has_seen_profile = True
    loaded.save()  # other fields still save
    assert User.objects.get(pk=user.pk).has_seen_profile
