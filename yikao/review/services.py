"""Every state change of the back office: decisions, resets, staff accounts, work units.

Each service takes the acting staff member, re-reads its scope from the database and
refuses (ReviewError) what lies outside it, locks the row it changes, checks the status
under the lock, writes, and audits in the same transaction.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from yikao.accounts.lockout import lockout_clear
from yikao.accounts.models import Candidate, User
from yikao.accounts.services import candidate_basic_info_correct
from yikao.core.audit import audit_record
from yikao.directory.models import Institution, InstitutionKey
from yikao.exams.models import ExamArea, ExamSite
from yikao.profiles.models import Profile
from yikao.profiles.services import entries_verify
from yikao.registrations import lifecycle
from yikao.registrations.models import Registration
from yikao.review.models import Decision
from yikao.review.selectors import candidate_in_reach, registrations_in_scope, units_in_scope
from yikao.staff.models import Role, StaffScope


class ReviewError(Exception):
    def __init__(self, message: str, *, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


NOT_FOUND = "找不到该报名，或不在您的审核范围内。"

# Reasons offered in the return form; staff may also type their own.
RETURN_REASONS = [
    "照片不符合要求，请重新上传近期白底免冠证件照。",
    "学历信息与毕业证书不一致，请核对后重新报名。",
    "工作单位填写不规范，请填写单位全称。",
    "试用期考核证明不符合要求，请补充材料。",
    "报考类别与所学专业不符，请核对报考类别。",
    "执业助理医师注册年限不足，不符合报考条件。",
]


def _scope(staff: User) -> StaffScope:
    scope = StaffScope.objects.select_related("site", "area").filter(user=staff).first()
    if scope is None or not staff.is_active:
        raise ReviewError("您没有审核权限。", code="forbidden")
    return scope


def _decide(
    scope: StaffScope, registration_id: int, the_move: lifecycle.Move, *, reason: str = ""
) -> Registration:
    """Lock the registration through the staff member's scope, move it, record the Decision."""
    registration = lifecycle.lock(registrations_in_scope(scope), registration_id)
    if registration is None:
        raise ReviewError(NOT_FOUND, code="not_found")
    old = registration.status
    try:
        lifecycle.move(registration, the_move, actor=scope.user, reason=reason)
    except lifecycle.MoveRefused as exc:
        raise ReviewError(exc.message, code="status") from None
    Decision.objects.create(
        registration=registration,
        staff=scope.user,
        role=scope.role,
        action=Decision.Action(the_move.target),  # the decision is named by where it leads
        old_status=old,
        reason=reason,
    )
    return registration


def _site_approve(scope: StaffScope, registration_id: int) -> Registration:
    if scope.role != Role.SITE:
        raise ReviewError("考点通过只能由报名所在考点的工作人员操作。", code="role")
    return _decide(scope, registration_id, lifecycle.SITE_APPROVE)


def _area_approve(scope: StaffScope, registration_id: int) -> Registration:
    if scope.role not in (Role.AREA, Role.NATIONAL):
        raise ReviewError("审核通过只能由考区工作人员在考点通过后操作。", code="role")
    registration = _decide(scope, registration_id, lifecycle.AREA_APPROVE)
    # The entries the registration used are now trusted, for later exams too.
    for relation in ("educations", "trainings", "certificates"):
        entries = getattr(registration, relation).select_related("candidate__user")
        entries_verify(entries=list(entries), staff=scope.user)
    return registration


def review_site_approve(*, staff: User, registration: Registration) -> Registration:
    """考点通过: site staff accept a submitted (or earlier returned) registration."""
    with transaction.atomic():
        return _site_approve(_scope(staff), registration.pk)


def review_area_approve(*, staff: User, registration: Registration) -> Registration:
    """审核通过: area staff accept after 考点通过; the entries used become verified."""
    with transaction.atomic():
        return _area_approve(_scope(staff), registration.pk)


def review_return(*, staff: User, registration: Registration, reason: str) -> Registration:
    """退回 with a reason the candidate reads on their registration page.

    Site staff return what awaits the site; area staff return what the site passed. The
    registration's collection booking is cancelled with it (appointments listens to the
    move; the candidate books again once the registration is passed again).
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("请选择或填写退回原因。", code="reason", field="reason")
    if len(reason) > 500:
        raise ReviewError("退回原因请不要超过500字。", code="reason", field="reason")
    with transaction.atomic():
        scope = _scope(staff)
        the_move = (
            lifecycle.AREA_RETURN
            if scope.role in (Role.AREA, Role.NATIONAL)
            else lifecycle.SITE_RETURN
        )
        return _decide(scope, registration.pk, the_move, reason=reason)


@dataclass(frozen=True)
class BulkResult:
    approved: list[int]
    refused: dict[int, str]


def _bulk(staff: User, registration_ids: list[int], decide) -> BulkResult:
    scope = _scope(staff)
    approved, refused = [], {}
    # One transaction per registration, in id order (a fixed lock order): one refusal
    # does not undo the others.
    for pk in sorted({int(i) for i in registration_ids})[:500]:
        try:
            with transaction.atomic():
                decide(scope, pk)
        except ReviewError as exc:
            refused[pk] = exc.message
        else:
            approved.append(pk)
    return BulkResult(approved=approved, refused=refused)


def review_bulk_site_approve(*, staff: User, registration_ids: list[int]) -> BulkResult:
    return _bulk(staff, registration_ids, _site_approve)


def review_bulk_area_approve(*, staff: User, registration_ids: list[int]) -> BulkResult:
    return _bulk(staff, registration_ids, _area_approve)


# --- Candidates ---------------------------------------------------------------------------------


def candidate_in_scope(*, staff: User, candidate: Candidate) -> None:
    """Refuses unless the candidate has an active registration in the staff member's scope
    (selectors.candidate_in_reach): a registration abandoned here gives no power over a
    candidate who registered elsewhere."""
    if not candidate_in_reach(_scope(staff), candidate.pk):
        raise ReviewError("该考生不在您的审核范围内。", code="not_found")


def candidate_password_reset(
    *, staff: User, candidate: Candidate, reason: str, ip_address: str
) -> str:
    """A one-time password after staff checked the ID proof in person; it must be changed
    at the next login. Clears the login lock. Returns the password to hand over."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("请填写核验情况（如“已核验身份证原件”）。", field="reason")
    candidate_in_scope(staff=staff, candidate=candidate)
    # Letters and digits, without look-alikes, so that it can be read out or written down.
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    password = "".join(secrets.choice(alphabet) for _ in range(8)) + secrets.choice("23456789")
    password = password[:4] + "A" + password[4:]
    user = candidate.user
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=staff,
            subject=user,
            action="account.password_reset_by_staff",
            target=candidate,
            changes={"must_change_password": {"old": False, "new": True}},
            reason=reason,
            ip_address=ip_address or None,
        )
    # An empty address would make axes reset every lock; the staff member's own address
    # is harmless, and the account's lock is what matters.
    lockout_clear(user=user, ip_address=ip_address or "0.0.0.0")  # noqa: S104
    return password


# --- Staff accounts ---------------------------------------------------------------------------


def staff_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    role: str,
    site: ExamSite | None = None,
    area: ExamArea | None = None,
    full_id_export: bool = False,
    totp_key: str | None = None,
) -> tuple[User, TOTPDevice]:
    """A staff login with its scope and a confirmed TOTP device (print device.config_url)."""
    if role not in Role.values:
        raise ReviewError("角色应为 site、area 或 national。", field="role")
    if role == Role.SITE and site is None:
        raise ReviewError("考点工作人员须指定考点。", field="site")
    if role == Role.AREA and area is None:
        raise ReviewError("考区工作人员须指定考区。", field="area")
    if User.objects.with_username(username).exists():
        raise ReviewError("该用户名已被使用。", field="username")
    with transaction.atomic():
        user = User.objects.create_user(username, password, is_staff=True)
        StaffScope.objects.create(
            user=user,
            role=role,
            site=site if role == Role.SITE else None,
            area=area if role == Role.AREA else None,
            full_id_export=full_id_export,
        )
        if role == Role.NATIONAL:
            user.groups.add(national_admin_group())
        extra = {"key": totp_key} if totp_key else {}
        device = TOTPDevice.objects.create(user=user, name="审核系统", confirmed=True, **extra)
        audit_record(
            actor=actor,
            action="review.staff_created",
            target=user,
            changes={
                "role": {"old": None, "new": role},
                "site": {"old": None, "new": site.code if site and role == Role.SITE else None},
                "area": {"old": None, "new": area.code if area and role == Role.AREA else None},
            },
        )
    return user, device


NATIONAL_ADMIN_GROUP = "国家级管理员（考试、考区、考点与名额）"


def national_admin_group() -> Group:
    """What national staff edit in the Django admin: exams (window, categories, add-ons,
    须知, photo rules), exam areas, sites and their seats. No delete: exams and sites are
    PROTECTed by the registrations that use them, and an exam is closed by its window."""
    group, _ = Group.objects.get_or_create(name=NATIONAL_ADMIN_GROUP)
    wanted = Permission.objects.filter(
        content_type__app_label="exams", codename__regex=r"^(add|change|view)_"
    )
    group.permissions.add(*wanted)
    return group


# --- Work units entered by hand (未找到单位) ----------------------------------------------------


def _unit(scope: StaffScope, pk: int) -> Institution:
    unit = units_in_scope(scope).select_for_update().filter(pk=pk).first()
    if unit is None:
        raise ReviewError("找不到该单位，或不在您的管理范围内。", code="not_found")
    return unit


def unit_approve(*, staff: User, institution: Institution) -> Institution:
    """The hand-entered unit is real: it joins the directory as verified."""
    with transaction.atomic():
        unit = _unit(_scope(staff), institution.pk)
        unit.verified = True
        unit.save(update_fields=["verified"])
        audit_record(
            actor=staff,
            action="directory.institution_verified",
            target=unit,
            changes={"verified": {"old": False, "new": True}},
        )
    return unit


def _remove_unit(unit: Institution) -> None:
    InstitutionKey.objects.filter(institution_id=unit.pk).delete()
    unit.delete()


def unit_merge(*, staff: User, institution: Institution, into: Institution) -> int:
    """The unit duplicates a directory entry: profiles naming it now name that entry (the
    submitted registrations keep their snapshot). Returns the profiles moved."""
    if into.pk == institution.pk or not into.verified:
        raise ReviewError("请选择目录中已核实的另一家单位。", field="into")
    with transaction.atomic():
        unit = _unit(_scope(staff), institution.pk)
        moved = Profile.objects.filter(work_unit_code=unit.code).update(
            work_unit_code=into.code, work_unit_name=into.name
        )
        audit_record(
            actor=staff,
            action="directory.institution_merged",
            target=into,
            changes={"merged": {"old": f"{unit.code} {unit.name}", "new": into.code}},
            reason=f"{moved}份个人信息改为{into.name}",
        )
        _remove_unit(unit)
    return moved


def unit_reject(*, staff: User, institution: Institution, reason: str) -> None:
    """Not a real unit: it leaves the directory; profiles keep the typed name, without a code,
    so the candidate is asked to pick their unit again."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("请填写驳回原因。", field="reason")
    with transaction.atomic():
        unit = _unit(_scope(staff), institution.pk)
        Profile.objects.filter(work_unit_code=unit.code).update(
            work_unit_code="", updated_at=timezone.now()
        )
        audit_record(
            actor=staff,
            action="directory.institution_rejected",
            target=unit,
            changes={"name": {"old": unit.name, "new": None}},
            reason=reason,
        )
        _remove_unit(unit)


def candidate_full_id_reveal(
    *, staff: User, candidate: Candidate, ip_address: str | None = None
) -> None:
    """Audits that a page showed staff a candidate's full ID number (the correction form is
    pre-filled with it): who saw whose, never the number. The caller has checked the
    scope (the page is reached through registration_for_staff)."""
    audit_record(
        actor=staff,
        subject=candidate.user,
        action="review.full_id_viewed",
        target=candidate,
        ip_address=ip_address or None,
    )


def candidate_correct(*, staff: User, candidate: Candidate, **values) -> Candidate:
    """Basic-information correction by staff in scope (accounts.candidate_basic_info_correct
    records the reason and the old/new values; the candidate sees 已更正 on the profile)."""
    candidate_in_scope(staff=staff, candidate=candidate)
    return candidate_basic_info_correct(staff=staff, candidate=candidate, **values)
