"""Registration state changes: drafts, submit, abandon.

Invariants (docs/architecture.md §Registrations): at most one active registration per
candidate and exam (a partial unique constraint); a site's capacity is never exceeded
(lock the site's capacity row, count active rows, insert — in one transaction, in the
fixed order candidate → site); numbers are unique per exam; the entries used are copied
into the registration and locked in the profile.
"""

import secrets
from dataclasses import dataclass, fields

from django.db import IntegrityError, transaction
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.core.audit import audit_record
from yikao.eligibility import Decision
from yikao.eligibility import Status as EligibilityStatus
from yikao.eligibility_web.facts import candidate_facts, decide
from yikao.exams.models import Exam, ExamCategory, SiteCapacity
from yikao.profiles.models import Certificate, Education, Training, WorkRecord
from yikao.profiles.services import entries_lock, entries_unlock
from yikao.registrations import lifecycle, snapshot
from yikao.registrations.models import ACTIVE, Draft, Registration, Status
from yikao.registrations.schema import DraftData


class RegistrationError(Exception):
    def __init__(self, message: str, *, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.code = code


class DraftGone(Exception):
    """The draft was deleted while this request used it: a second 提交 (another tab, or
    the other server) won and registered, or the candidate abandoned it."""


SITE_FULL = "该考点名额已满，请选择其他考点。"


def window_check(exam: Exam) -> None:
    state = exam.window_state()
    if state == "not_open":
        raise RegistrationError(
            f"网上报名尚未开始，开始时间为{timezone.localtime(exam.window_start):%Y年%m月%d日 %H:%M}。",
            code="window",
        )
    if state == "closed":
        raise RegistrationError("网上报名已截止。", code="window")


def exam_open_check(exam: Exam) -> None:
    """The exam takes registrations now: published, and its window open (server time).
    Starting a draft and submitting check it, whatever page the request came through (a
    hidden category's id posted to the 须知 page, a draft of an exam unpublished since)."""
    if not exam.is_published:
        raise RegistrationError("该考试未开放网上报名。", code="unpublished")
    window_check(exam)


def draft_start(*, candidate: Candidate, category: ExamCategory) -> Draft:
    """Agreeing to the 考试须知 starts (or restarts) the wizard for that category."""
    exam_open_check(category.exam)
    if Registration.objects.filter(ACTIVE, candidate=candidate, exam=category.exam).exists():
        raise RegistrationError(
            "您已报名本次考试。如需更改，请先在报名列表中“放弃报考”。", code="exists"
        )
    draft, created = Draft.objects.get_or_create(
        candidate=candidate,
        exam=category.exam,
        defaults={"category": category, "token": secrets.token_hex(16)},
    )
    if not created and draft.category_id != category.pk:
        draft.category, draft.step, draft.data = category, 1, {}
        draft.token = secrets.token_hex(16)
        draft.save()
    return draft


def draft_save(*, draft: Draft, step: int, values: dict) -> Draft:
    """Merges the step's values into the draft. Raises DraftGone when the row is gone."""
    draft.data = draft.fields.merged(values).dump()
    draft.step = max(draft.step, step)
    draft.updated_at = timezone.now()
    saved = Draft.objects.filter(pk=draft.pk).update(
        data=draft.data, step=draft.step, updated_at=draft.updated_at
    )
    if not saved:
        raise DraftGone
    return draft


Entries = tuple[list[Education], list[Training], list[Certificate]]


def draft_entries(draft: Draft, *, educations: list[Education] | None = None) -> Entries:
    """The candidate's own entries ticked in the draft (ids of others are ignored). Pass
    all the candidate's educations when already read: the ticked ones are taken from them
    (same order, the model's), without a query."""
    data, candidate = draft.fields, draft.candidate

    def ticked(model, key):
        entries = list(model.objects.filter(candidate=candidate, pk__in=getattr(data, key)))
        for entry in entries:
            entry.candidate = candidate  # already loaded: no query per entry when audited
        return entries

    if educations is None:
        ticked_educations = ticked(Education, "educations")
    else:
        wanted = set(data.educations)
        ticked_educations = [e for e in educations if e.pk in wanted]
    return (
        ticked_educations,
        ticked(Training, "trainings"),
        ticked(Certificate, "certificates"),
    )


def _all_educations(draft: Draft) -> list[Education]:
    candidate = draft.candidate
    educations = list(Education.objects.filter(candidate=candidate))
    for education in educations:
        education.candidate = candidate
    return educations


def draft_decision(
    draft: Draft,
    entries: Entries | None = None,
    *,
    educations: list[Education] | None = None,
    work_records: list[WorkRecord] | None = None,
) -> Decision:
    """The engine's answer for the draft's category, from the entries ticked (pass them,
    and all the candidate's educations, when already read, as registration_submit does)."""
    ticked, trainings, certificates = entries if entries is not None else draft_entries(draft)
    # The engine sees every education entry (a postgraduate's bachelor counts although it
    # is not ticked); trainings and certificates only as ticked.
    facts = candidate_facts(
        draft.candidate,
        exam_year=draft.exam.year,
        educations=educations
        if educations is not None
        else Education.objects.filter(candidate=draft.candidate),
        trainings=trainings,
        certificates=certificates,
        work_records=work_records,
        military=draft.fields.military,
        category=draft.category,
        shortline=draft.fields.shortline,
    )
    [decision] = [
        d for d in decide(facts, draft.exam)
        if d.category == draft.category.category and str(d.level) == draft.category.level
    ]  # fmt: skip
    return _basis_ticked(decision, facts.education or (), ticked)


@dataclass(frozen=True)
class UntickedBasis(Decision):
    """The engine's decision rests on an education the candidate did not tick at step 3:
    not submittable until it is ticked (the registration must name what it rests on)."""

    unticked_basis: str = ""


def _basis_ticked(decision: Decision, educations, ticked: list[Education]) -> Decision:
    """The decision as is when the education it relies on is ticked; else one that says
    which entry to tick and is not eligible to submit (status 待确认)."""
    chosen = decision.education_id
    if decision.status is not EligibilityStatus.ELIGIBLE or not chosen:
        return decision
    if chosen in {str(e.pk) for e in ticked}:
        return decision
    entry = next((e for e in educations if e.id == chosen), None)
    name = (entry.label if entry else None) or "一条教育经历"
    words = "".join(str(x) for x in (entry.level, entry.major_name) if x) if entry else ""
    text = f"报考依据为{name}{f'（{words}）' if words else ''}，请在第3步勾选它后再提交。"
    plain = {f.name: getattr(decision, f.name) for f in fields(Decision)}
    return UntickedBasis(**{**plain, "status": EligibilityStatus.UNDECIDED}, unticked_basis=text)


def registration_submit(*, draft: Draft, token: str) -> Registration:
    """Submits the draft. A second call with the same token returns the same registration."""
    candidate, exam = draft.candidate, draft.exam
    exam_open_check(exam)
    site_id = draft.fields.site
    if not site_id:
        raise RegistrationError("请选择考区和考点。", code="site")
    try:
        with transaction.atomic():
            # Lock order: candidate, then site (DESIGN.md rule 4). The row read under the
            # lock is the one the snapshot copies (nobody can change it until commit).
            locked = Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
            existing = Registration.objects.filter(ACTIVE, candidate=candidate, exam=exam).first()
            if existing is not None:
                return _same_or_refuse(existing, token)
            if token != draft.token:
                raise RegistrationError("页面已过期，请刷新后重新提交。", code="token")
            # All the educations once: the engine sees them all, the ticked ones are
            # registered.
            educations = _all_educations(draft)
            entries = draft_entries(draft, educations=educations)
            # Read once: the engine counts them, the snapshot copies them.
            work_records = list(WorkRecord.objects.filter(candidate=candidate))
            decision = draft_decision(
                draft, entries, educations=educations, work_records=work_records
            )
            if isinstance(decision, UntickedBasis):
                raise RegistrationError(decision.unticked_basis, code="basis")
            if decision.status is not EligibilityStatus.ELIGIBLE:
                raise RegistrationError(
                    "不符合报考条件：" + "；".join(r.text for r in decision.blocking) if decision.blocking
                    else "报考条件无法确认，请补充：" + "、".join(decision.missing),
                    code="eligibility",
                )  # fmt: skip
            seats = (
                SiteCapacity.objects.select_for_update()
                .filter(exam=exam, site_id=site_id)
                .select_related("site")
                .first()
            )
            if seats is None:
                raise RegistrationError("所选考点不接受本次考试报名。", code="site")
            taken = Registration.objects.filter(ACTIVE, exam=exam, site_id=site_id).count()
            if taken >= seats.capacity:
                raise RegistrationError(SITE_FULL, code="full")
            seats.last_number += 1
            seats.save(update_fields=["last_number"])
            registration = _create(
                draft, entries, decision, seats, token, locked, work_records=work_records
            )
    except IntegrityError:
        # The same candidate submitted twice at once: the constraint let one through.
        existing = Registration.objects.filter(ACTIVE, candidate=candidate, exam=exam).first()
        if existing is None:
            raise
        return _same_or_refuse(existing, token)
    return registration


def _replaced(draft: Draft) -> Registration | None:
    """The candidate's own abandoned registration this draft was started from, if any."""
    pk = draft.fields.redo_of
    if pk is None:
        return None
    return Registration.objects.filter(
        pk=pk, candidate_id=draft.candidate_id, status=Status.ABANDONED
    ).first()


def _same_or_refuse(existing: Registration, token: str) -> Registration:
    if existing.submit_token == token:
        return existing
    raise RegistrationError("您已报名本次考试。如需更改，请先“放弃报考”后重新报名。", code="exists")


def _create(
    draft: Draft,
    entries: Entries,
    decision: Decision,
    seats: SiteCapacity,
    token: str,
    candidate: Candidate | None,
    *,
    work_records: list[WorkRecord],
) -> Registration:
    educations, trainings, certificates = entries
    exam, site = draft.exam, seats.site
    registration = Registration.objects.create(
        exam=exam,
        candidate=draft.candidate,
        category=draft.category,
        site=site,
        number=f"{exam.year}{site.code.ljust(6, '0')}{seats.last_number:06d}",
        snapshot=snapshot.build(
            draft,
            educations,
            trainings,
            certificates,
            candidate=candidate,
            work_records=work_records,
        ),
        eligibility=decision.to_dict(),
        documents=[d.__dict__ for d in decision.documents],
        add_ons=snapshot.add_ons(draft, decision),
        photo_sha256=draft.fields.photo_sha256,
        submit_token=token,
        replaces=_replaced(draft),
    )
    # A new registration has no rows to keep: add (one INSERT each, none when empty)
    # rather than set (which first reads the existing rows).
    registration.educations.add(*educations)
    registration.trainings.add(*trainings)
    registration.certificates.add(*certificates)
    user = draft.candidate.user
    entries_lock(entries=[*educations, *trainings, *certificates], actor=user)
    lifecycle.submitted(
        registration,
        actor=user,
        changes={"number": {"old": None, "new": registration.number},
                 "site": {"old": None, "new": site.name}},
    )  # fmt: skip
    Draft.objects.filter(pk=draft.pk).delete()
    return registration


def registration_abandon(*, candidate: Candidate, registration: Registration) -> Registration:
    """放弃报考: frees the seat, unlocks what no other active registration uses; the
    collection booking is cancelled by appointments, which listens to the move (its seat
    is free at once; the candidate is told)."""
    if registration.candidate_id != candidate.pk:
        raise RegistrationError("找不到该报名。", code="not_found")
    with transaction.atomic():
        registration = lifecycle.lock(
            Registration.objects.filter(candidate=candidate), registration.pk
        )
        window_check(registration.exam)
        if registration.status == Status.ABANDONED:
            return registration
        lifecycle.move(registration, lifecycle.ABANDON, actor=candidate.user)
        active = Registration.objects.filter(ACTIVE)
        unused = []
        for relation in ("educations", "trainings", "certificates"):
            used = getattr(registration, relation)
            still_used = used.model.objects.filter(registrations__in=active).values("pk")
            unused += used.exclude(pk__in=still_used)
        for entry in unused:
            if entry.candidate_id == candidate.pk:
                entry.candidate = candidate  # loaded: no re-read per entry for its audit row
        entries_unlock(entries=unused, actor=candidate.user)
    return registration


def registration_redo(*, candidate: Candidate, registration: Registration) -> Draft:
    """放弃并重新报名 for a returned registration: it is abandoned and a new draft starts
    from it (same category, site and ticked entries, every step open to review), linked
    to it so the new registration records what it replaces. Submitted registrations are
    never edited (the guide's rule); this only makes the way round short."""
    if registration.candidate_id != candidate.pk:
        raise RegistrationError("找不到该报名。", code="not_found")
    if registration.status != Status.RETURNED:
        raise RegistrationError("只有被退回的报名可以放弃并重新报名。", code="state")
    with transaction.atomic():
        registration_abandon(candidate=candidate, registration=registration)
        military = {label: code for code, label in snapshot.MILITARY_LABELS.items()}

        def kept(relation):
            return list(getattr(registration, relation).values_list("pk", flat=True))

        data = {
            "military": military.get(registration.snap.basic.military, "none"),
            "educations": kept("educations"),
            "trainings": kept("trainings"),
            "certificates": kept("certificates"),
            "area": registration.site.area.code,
            "site": registration.site_id,
            "shortline": next(
                (
                    a["label"].removeprefix("短线医学专业加试（").removesuffix("）")
                    for a in registration.add_ons or ()
                    if isinstance(a, dict) and a.get("code") == "shortline"
                ),
                "",
            ),
            "redo_of": registration.pk,
        }
        Draft.objects.filter(candidate=candidate, exam=registration.exam).delete()
        draft = Draft.objects.create(
            candidate=candidate,
            exam=registration.exam,
            category=registration.category,
            step=5,
            data=DraftData().merged(data).dump(),
            token=secrets.token_hex(16),
        )
        audit_record(
            actor=candidate.user,
            subject=candidate.user,
            action="registration.redo_started",
            target=registration,
            changes={"draft": {"old": None, "new": draft.pk}},
        )
    return draft


def on_basic_info_corrected(*, candidate: Candidate, staff, reason: str, **_) -> None:
    """accounts.services.basic_info_corrected: the copies follow the correction."""
    registration_snapshots_correct(staff=staff, candidate=candidate, reason=reason)


def registration_snapshots_correct(*, staff, candidate: Candidate, reason: str) -> None:
    """The basic block of the candidate's active registrations follows a staff correction
    of basic information (the review page, the printed forms and the rosters read it);
    abandoned ones keep what was submitted. Call inside the correction's transaction, the
    candidate row locked. Each change is audited, the ID numbers masked and sealed."""
    registrations = (
        Registration.objects.select_for_update().filter(ACTIVE, candidate=candidate).order_by("pk")
    )
    for registration in registrations:
        changes = snapshot.identity_correct(registration.snapshot, candidate)
        if not changes:
            continue
        registration.save(update_fields=["snapshot"])
        audit_record(
            actor=staff,
            subject=candidate.user,
            action="registration.snapshot_corrected",
            target=registration,
            changes=changes,
            reason=reason,
        )
