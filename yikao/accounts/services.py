"""Every state change of accounts: sign-up, passwords, security question, corrections."""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import Candidate, User
from yikao.accounts.otp import ONE_TIME_CODE_ERROR, needs_one_time_code, one_time_code_device
from yikao.accounts.selectors import id_number_hash, mobile_hash
from yikao.core.audit import audit_record, diff_fields


class AccountError(Exception):
    """A refusal with a Chinese sentence for the user, optionally tied to a form field."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# Sent inside the transaction of a staff correction of basic information (candidate row
# locked), with candidate=, staff= and reason=: registrations re-seals the copies in its
# snapshots. A receiver that fails undoes the correction.
basic_info_corrected = Signal()

DUPLICATE_ID_MESSAGE = (
    "该证件号码已注册过账户，每个证件只能注册一个账户。请直接登录；忘记密码可使用“找回密码”；"
    "如该账户不是您本人注册，请携带身份证件原件到报考考点处理。"
)
DUPLICATE_USERNAME_MESSAGE = "该用户名已被使用，请换一个用户名。"


@dataclass(frozen=True)
class SignUp:
    """A validated sign-up (the form normalised every value)."""

    full_name: str
    id_type: IdType
    id_number: str
    gender: Gender
    birth_date: datetime.date
    username: str
    password: str
    security_question: str
    security_answer: str
    email: str
    mobile: str


def candidate_register(*, data: SignUp, ip_address: str | None = None) -> Candidate:
    """Create the login and the candidate's basic information, in one transaction."""
    if User.objects.with_username(data.username).exists():
        raise AccountError(DUPLICATE_USERNAME_MESSAGE, field="username")
    id_hash = id_number_hash(data.id_number)
    if Candidate.objects.filter(id_number_hash=id_hash).exists():
        raise AccountError(DUPLICATE_ID_MESSAGE, field="id_number")
    try:
        with transaction.atomic():
            user = User.objects.create_user(data.username, data.password)
            candidate = Candidate.objects.create(
                user=user,
                full_name=data.full_name,
                id_type=data.id_type.value,
                id_number=data.id_number,
                id_number_hash=id_hash,
                gender=data.gender.value,
                birth_date=data.birth_date,
                mobile=data.mobile,
                mobile_hash=mobile_hash(data.mobile),
                email=data.email,
                security_question=data.security_question,
                security_answer_hash=make_password(data.security_answer),
                accepted_terms_at=timezone.now(),
            )
            audit_record(
                actor=user,
                subject=user,
                action="account.registered",
                target=candidate,
                ip_address=ip_address,
            )
    except IntegrityError:
        # Two sign-ups raced past the checks above; the constraints decided.
        if Candidate.objects.filter(id_number_hash=id_hash).exists():
            raise AccountError(DUPLICATE_ID_MESSAGE, field="id_number") from None
        raise AccountError(DUPLICATE_USERNAME_MESSAGE, field="username") from None
    return candidate


def user_mark_profile_seen(*, user: User) -> None:
    if not user.has_seen_profile:
        User.objects.filter(pk=user.pk).update(has_seen_profile=True)
        user.has_seen_profile = True


def password_change(
    *,
    user: User,
    old_password: str,
    new_password: str,
    otp_token: str = "",
    ip_address: str | None = None,
) -> None:
    """Changes the password. Other sessions of the account end (their auth hash differs).

    Staff also give a one-time code, as at every staff authentication."""
    if not user.check_password(old_password):
        raise AccountError("原密码不正确。", field="old_password")
    if needs_one_time_code(user) and one_time_code_device(user, otp_token) is None:
        raise AccountError(ONE_TIME_CODE_ERROR, field="otp_token")
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=user, subject=user, action="account.password_changed", ip_address=ip_address
        )


def security_question_change(
    *, user: User, password: str, question: str, answer: str, ip_address: str | None = None
) -> None:
    if not user.check_password(password):
        raise AccountError("登录密码不正确。", field="password")
    candidate = user.candidate
    with transaction.atomic():
        changes = diff_fields(
            {"security_question": candidate.security_question}, {"security_question": question}
        )
        candidate.security_question = question
        candidate.security_answer_hash = make_password(answer)
        candidate.save(update_fields=["security_question", "security_answer_hash"])
        audit_record(
            actor=user,
            subject=user,
            action="account.security_question_changed",
            target=candidate,
            changes=changes,
            ip_address=ip_address,
        )


def security_answer_matches(*, candidate: Candidate | None, answer: str) -> bool:
    """Constant work whether or not the candidate exists, so timing tells nothing: one
    Argon2 computation either way (hashing costs what checking a hash costs)."""
    if candidate is None:
        make_password(answer)
        return False
    return check_password(answer, candidate.security_answer_hash)


def password_recover(
    *, candidate: Candidate, new_password: str, ip_address: str | None = None
) -> None:
    """Sets a new password after the recovery checks passed (see recovery.py)."""
    user = candidate.user
    with transaction.atomic():
        user.set_password(new_password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            actor=user, subject=user, action="account.password_recovered", ip_address=ip_address
        )


BASIC_FIELDS = ("full_name", "id_type", "id_number", "gender", "birth_date")


def candidate_basic_info_correct(
    *,
    staff: User,
    candidate: Candidate,
    reason: str,
    full_name: str,
    id_type: IdType,
    id_number: str,
    gender: Gender,
    birth_date: datetime.date,
) -> Candidate:
    """Staff correct basic information; the reason and old/new values go to the audit log.

    Values arrive validated by the staff form (the same identity rules as sign-up).
    """
    if not reason.strip():
        raise AccountError("请填写更正原因。", field="reason")
    before = {field: getattr(candidate, field) for field in BASIC_FIELDS}
    after = {
        "full_name": full_name,
        "id_type": id_type.value,
        "id_number": id_number,
        "gender": gender.value,
        "birth_date": birth_date,
    }
    changes = diff_fields(
        {k: str(v) for k, v in before.items()}, {k: str(v) for k, v in after.items()}
    )
    if not changes:
        raise AccountError("更正后的信息与原信息相同。")
    new_hash = id_number_hash(id_number)
    if (
        new_hash != candidate.id_number_hash
        and Candidate.objects.filter(id_number_hash=new_hash).exists()
    ):
        raise AccountError("该证件号码已属于另一个账户，请核实后处理。", field="id_number")
    with transaction.atomic():
        # Lock order: candidate, then its registrations (as registration_submit does), so a
        # registration submitted meanwhile is either corrected here or built afterwards.
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()
        for field, value in after.items():
            setattr(candidate, field, value)
        candidate.id_number_hash = new_hash
        candidate.corrected_at = timezone.now()
        candidate.save()
        audit_record(
            actor=staff,
            subject=candidate.user,
            action="account.basic_info_corrected",
            target=candidate,
            changes=changes,
            reason=reason.strip(),
        )
        # The apps that copied the basic information follow, in this transaction.
        basic_info_corrected.send(
            sender=Candidate, candidate=candidate, staff=staff, reason=reason.strip()
        )
    return candidate
