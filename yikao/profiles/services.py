"""Every change of personal information: the one 提交 of all six groups, and the lock and
verified marks that registration and review set."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.accounts.selectors import mobile_hash
from yikao.core.audit import audit_record, audit_records, diff_fields
from yikao.directory.services import DirectoryError
from yikao.profiles import lookups
from yikao.profiles.models import Certificate, Education, Entry, Profile, Training, WorkRecord


class ProfileError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


READ_ONLY_MESSAGE = "“{entry}”已锁定或已验证，不能修改或删除。如需修改，请先放弃使用它的报名。"

ENTRY_MODELS: dict[str, type[Entry]] = {
    "works": WorkRecord,
    "educations": Education,
    "trainings": Training,
    "certificates": Certificate,
}
CONTACT_FIELDS = ("mobile", "email", "postal_address", "postcode", "id_valid_until")
WORK_FIELDS = (
    "work_unit_code",
    "work_unit_name",
    "work_unit_kind",
    "work_unit_address",
    "work_unit_postcode",
    "unit_nature",
    "position",
    "title",
    "title_date",
    "duty_status",
    "post_category",
    "department",
    "work_start",
    "trial_assessed",
)


@dataclass
class EntryChanges:
    """One group of entries as submitted: new or changed entries (changed ones carry
    their "id"), and the ids to delete. Entries not mentioned stay as they are."""

    save: list[dict[str, Any]] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)


@dataclass
class ProfileSubmission:
    contact: dict[str, str]
    work: dict[str, str]
    works: EntryChanges = field(default_factory=EntryChanges)
    educations: EntryChanges = field(default_factory=EntryChanges)
    trainings: EntryChanges = field(default_factory=EntryChanges)
    certificates: EntryChanges = field(default_factory=EntryChanges)


def profile_submit(*, candidate: Candidate, submission: ProfileSubmission) -> Profile:
    """Saves all six groups together, or nothing (any refusal rolls everything back)."""
    with transaction.atomic():
        # Serialise two tabs submitting at once for the same candidate.
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        profile, _ = Profile.objects.get_or_create(candidate=candidate)
        before = {
            "ethnicity": profile.ethnicity,
            "mobile": candidate.mobile,
            "email": candidate.email,
            "postal_address": profile.postal_address,
            "postcode": profile.postcode,
            "id_valid_until": profile.id_valid_until,
        } | {name: getattr(profile, name) for name in WORK_FIELDS}

        candidate.mobile = submission.contact["mobile"]
        candidate.mobile_hash = mobile_hash(candidate.mobile)
        candidate.email = submission.contact["email"]
        candidate.save(update_fields=["mobile", "mobile_hash", "email"])
        profile.ethnicity = submission.contact.get("ethnicity", "")
        profile.postal_address = submission.contact["postal_address"]
        profile.postcode = submission.contact["postcode"]
        profile.id_valid_until = submission.contact.get("id_valid_until", "")
        for name in WORK_FIELDS:
            setattr(profile, name, submission.work.get(name, ""))
        profile.submitted_at = timezone.now()
        profile.save()

        after = {**submission.contact, **{name: getattr(profile, name) for name in WORK_FIELDS}}
        changes = diff_fields(before, after)
        for item in submission.educations.save:
            _resolve_school_and_major(item, actor=candidate.user)
        for group, model in ENTRY_MODELS.items():
            counts = _apply_entry_changes(candidate, model, getattr(submission, group))
            if any(counts.values()):
                changes[group] = counts
        audit_record(
            actor=candidate.user,
            subject=candidate.user,
            action="profile.submitted",
            target=profile,
            changes=changes,
        )
    return profile


def _resolve_school_and_major(item: dict[str, Any], *, actor) -> None:
    """Directory codes behind the typed names; a school not in the list is recorded as an
    unverified directory entry (in this transaction)."""
    try:
        item["school_code"], item["school_name"], _ = lookups.school(
            item.get("school_code", ""), item["school_name"], actor=actor
        )
    except DirectoryError as exc:
        raise ProfileError(f"毕业学校“{item['school_name']}”：{exc.message}") from None
    item["major_code"] = lookups.major_code(item["major_name"], item.get("major_code", ""))


def _apply_entry_changes(
    candidate: Candidate, model: type[Entry], changes: EntryChanges
) -> dict[str, int]:
    ids = {int(item["id"]) for item in changes.save if item.get("id")} | set(changes.delete)
    existing = {entry.pk: entry for entry in model.objects.filter(candidate=candidate, pk__in=ids)}
    if len(existing) != len(ids):
        raise ProfileError("提交的条目不存在或不属于您，请刷新页面后重新填写。")
    for entry in existing.values():
        if entry.read_only:
            raise ProfileError(READ_ONLY_MESSAGE.format(entry=entry))
    created = updated = 0
    for item in changes.save:
        values = {k: v for k, v in item.items() if k != "id"}
        if item.get("id"):
            entry = existing[int(item["id"])]
            if int(item["id"]) in changes.delete:
                continue
            for name, value in values.items():
                setattr(entry, name, value)
            entry.save()
            updated += 1
        else:
            model.objects.create(candidate=candidate, **values)
            created += 1
    deleted = model.objects.filter(candidate=candidate, pk__in=changes.delete).delete()[0]
    return {"created": created, "updated": updated, "deleted": deleted}


def _set_mark(
    entries: Iterable[Entry], *, mark: str, value: bool, actor, action: str, reason: str = ""
) -> int:
    """Sets the mark on the entries not carrying it yet: one UPDATE per model and one
    INSERT of their audit rows, whatever the number of entries (they may mix models)."""
    changed = [entry for entry in entries if getattr(entry, mark) != value]
    if not changed:
        return 0
    update = {mark: value}
    if mark == "verified":
        update["verified_at"] = timezone.now() if value else None
    by_model: dict[type[Entry], list[Entry]] = {}
    for entry in changed:
        for name, new in update.items():
            setattr(entry, name, new)
        by_model.setdefault(type(entry), []).append(entry)
    for model, group in by_model.items():
        model.objects.filter(pk__in=[entry.pk for entry in group]).update(**update)
        # The audit subject is the candidate's user: read once for the group, and only
        # where not loaded already (callers usually pass it loaded: no query).
        prefetch_related_objects(group, "candidate__user")
    audit_records(
        {
            "actor": actor,
            "subject": entry.candidate.user,
            "action": action,
            "target": entry,
            "changes": {mark: {"old": not value, "new": value}},
            "reason": reason,
        }
        for entry in changed
    )
    return len(changed)


# No savepoint when called inside a transaction (registration submit and abandon, review):
# the caller's transaction is all or nothing anyway, and nobody continues after a failure
# here. Standalone, atomic() still opens a transaction of its own.
def entries_lock(*, entries: Iterable[Entry], actor=None) -> int:
    """Registration uses the entries: they become read-only."""
    with transaction.atomic(savepoint=False):
        return _set_mark(
            entries, mark="locked", value=True, actor=actor, action="profile.entry_locked"
        )


def entries_unlock(*, entries: Iterable[Entry], actor=None) -> int:
    """Called when no active registration uses the entries any more."""
    with transaction.atomic(savepoint=False):
        return _set_mark(
            entries, mark="locked", value=False, actor=actor, action="profile.entry_unlocked"
        )


def entries_verify(*, entries: Iterable[Entry], staff) -> int:
    """Staff confirmed the entries at review: trusted, read-only, for later exams too."""
    with transaction.atomic():
        return _set_mark(
            entries, mark="verified", value=True, actor=staff, action="profile.entry_verified"
        )


def entries_unverify(*, entries: Iterable[Entry], staff, reason: str) -> int:
    if not reason.strip():
        raise ProfileError("请填写撤销验证的原因。")
    with transaction.atomic():
        return _set_mark(
            entries,
            mark="verified",
            value=False,
            actor=staff,
            action="profile.entry_unverified",
            reason=reason,
        )


def profile_work_update(*, candidate: Candidate, work: dict[str, str]) -> Profile:
    """工作情况 changed in the registration wizard is saved to personal information first."""
    with transaction.atomic():
        profile, _ = Profile.objects.select_for_update().get_or_create(candidate=candidate)
        before = {name: getattr(profile, name) for name in WORK_FIELDS}
        for name in WORK_FIELDS:
            setattr(profile, name, work.get(name, ""))
        profile.save()
        changes = diff_fields(before, {name: getattr(profile, name) for name in WORK_FIELDS})
        if changes:
            audit_record(
                actor=candidate.user,
                subject=candidate.user,
                action="profile.work_updated",
                target=profile,
                changes=changes,
            )
    return profile
