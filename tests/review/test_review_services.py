import datetime

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from review_helpers import make_registration

from yikao.accounts.identity import Gender, IdType
from yikao.appointments.models import ACTIVE as BOOKING_ACTIVE
from yikao.appointments.models import Booking, BookingStatus, Slot
from yikao.appointments.services import booking_create
from yikao.core.models import AuditEntry
from yikao.inbox.senders import MemorySender
from yikao.profiles.models import Education, Profile
from yikao.registrations.models import Status
from yikao.review.models import Decision
from yikao.review.services import (
    ReviewError,
    candidate_correct,
    candidate_full_id_reveal,
    candidate_password_reset,
    review_area_approve,
    review_bulk_area_approve,
    review_bulk_site_approve,
    review_return,
    review_site_approve,
)

pytestmark = pytest.mark.django_db


def test_site_approve_moves_status_audits_and_records_decision(staff_a, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    reg_a.refresh_from_db()
    assert reg_a.status == Status.SITE_APPROVED
    entry = AuditEntry.objects.get(action="review.site_approved")
    assert entry.actor == staff_a
    assert entry.subject == reg_a.candidate.user
    assert entry.changes == {"status": {"old": "submitted", "new": "site_approved"}}
    assert Decision.objects.get().action == "site_approved"


def test_site_approve_refuses_other_site(staff_b, reg_a):
    with pytest.raises(ReviewError) as exc:
        review_site_approve(staff=staff_b, registration=reg_a)
    assert exc.value.code == "not_found"
    reg_a.refresh_from_db()
    assert reg_a.status == Status.SUBMITTED
    assert not AuditEntry.objects.filter(action="review.site_approved").exists()


def test_site_approve_refuses_wrong_status(staff_a, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    with pytest.raises(ReviewError) as exc:
        review_site_approve(staff=staff_a, registration=reg_a)
    assert exc.value.code == "status"


def test_site_approve_refuses_area_staff(area41, reg_a):
    with pytest.raises(ReviewError) as exc:
        review_site_approve(staff=area41, registration=reg_a)
    assert exc.value.code == "role"


def test_area_approve_requires_site_approval(area41, reg_a):
    with pytest.raises(ReviewError) as exc:
        review_area_approve(staff=area41, registration=reg_a)
    assert exc.value.code == "status"


def test_area_approve_refuses_other_area(staff_a, area42, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    with pytest.raises(ReviewError) as exc:
        review_area_approve(staff=area42, registration=reg_a)
    assert exc.value.code == "not_found"


def test_area_approve_refuses_site_staff(staff_a, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    with pytest.raises(ReviewError) as exc:
        review_area_approve(staff=staff_a, registration=reg_a)
    assert exc.value.code == "role"


def test_area_approve_marks_entries_used_verified(staff_a, area41, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    assert not Education.objects.get(candidate=reg_a.candidate).verified
    review_area_approve(staff=area41, registration=reg_a)
    reg_a.refresh_from_db()
    assert reg_a.status == Status.APPROVED
    education = Education.objects.get(candidate=reg_a.candidate)
    assert education.verified and education.verified_at is not None
    assert AuditEntry.objects.filter(action="profile.entry_verified", actor=area41).count() == 1


def test_national_admin_approves_in_any_area(staff_a, national, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    review_area_approve(staff=national, registration=reg_a)
    reg_a.refresh_from_db()
    assert reg_a.status == Status.APPROVED


def test_return_by_site_sets_reason_the_candidate_sees(staff_a, reg_a):
    review_return(staff=staff_a, registration=reg_a, reason="  照片不符合要求， 请重新上传。 ")
    reg_a.refresh_from_db()
    assert reg_a.status == Status.RETURNED
    assert reg_a.status_reason == "照片不符合要求， 请重新上传。"
    assert AuditEntry.objects.get(action="review.returned").reason == reg_a.status_reason


def test_return_requires_a_reason(staff_a, reg_a):
    with pytest.raises(ReviewError) as exc:
        review_return(staff=staff_a, registration=reg_a, reason="  ")
    assert exc.value.field == "reason"


def test_site_cannot_return_after_site_approval_but_area_can(staff_a, area41, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    with pytest.raises(ReviewError) as exc:
        review_return(staff=staff_a, registration=reg_a, reason="再看看")
    assert exc.value.code == "status"
    review_return(staff=area41, registration=reg_a, reason="学历信息与证书不一致。")
    reg_a.refresh_from_db()
    assert (reg_a.status, reg_a.status_reason) == (Status.RETURNED, "学历信息与证书不一致。")


def test_return_cancels_the_booking_and_tells_the_candidate(
    exam, site_a, staff_a, area41, reg_a, settings, django_capture_on_commit_callbacks
):
    settings.NOTICE_SENDERS = ["yikao.inbox.senders.MemorySender"]
    MemorySender.outbox.clear()
    review_site_approve(staff=staff_a, registration=reg_a)
    starts_at = timezone.now() + datetime.timedelta(days=3)
    slot = Slot.objects.create(exam=exam, site=site_a, starts_at=starts_at, capacity=1,
                               ends_at=starts_at + datetime.timedelta(hours=3))  # fmt: skip
    booking = booking_create(candidate=reg_a.candidate, slot=slot)
    MemorySender.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review_return(staff=area41, registration=reg_a, reason="学历信息与证书不一致。")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancel_reason == "报名被退回"
    assert not Booking.objects.filter(BOOKING_ACTIVE, slot=slot).exists()
    audit = AuditEntry.objects.get(action="appointment.cancelled_with_registration")
    assert audit.reason == "报名被退回" and audit.actor == area41
    [notice] = MemorySender.outbox  # one SMS, which covers the booking
    assert notice.kind == "registration.area_return" and "预约已随之取消" in notice.body
    kinds = set(reg_a.candidate.messages.values_list("kind", flat=True))
    assert {"registration.area_return", "registration_returned"} <= kinds
    MemorySender.outbox.clear()
    # Passed again, the candidate books again.
    review_site_approve(staff=staff_a, registration=reg_a)
    assert booking_create(candidate=reg_a.candidate, slot=slot).pk != booking.pk


def test_area_cannot_return_what_the_site_has_not_passed(area41, reg_a):
    with pytest.raises(ReviewError) as exc:
        review_return(staff=area41, registration=reg_a, reason="x")
    assert exc.value.code == "status"


def test_site_may_pass_a_returned_registration_again_clearing_the_reason(staff_a, reg_a):
    review_return(staff=staff_a, registration=reg_a, reason="请带毕业证原件")
    review_site_approve(staff=staff_a, registration=reg_a)
    reg_a.refresh_from_db()
    assert (reg_a.status, reg_a.status_reason) == (Status.SITE_APPROVED, "")


def test_bulk_site_approve_passes_own_and_refuses_others(exam, site_a, site_b, staff_a):
    own = [make_registration(exam, site_a) for _ in range(3)]
    other = make_registration(exam, site_b)
    review_site_approve(staff=staff_a, registration=own[0])
    result = review_bulk_site_approve(
        staff=staff_a, registration_ids=[r.pk for r in own] + [other.pk]
    )
    assert result.approved == [own[1].pk, own[2].pk]
    assert set(result.refused) == {own[0].pk, other.pk}
    other.refresh_from_db()
    assert other.status == Status.SUBMITTED
    assert AuditEntry.objects.filter(action="review.site_approved").count() == 3


def test_bulk_area_approve(exam, site_a, staff_a, area41):
    regs = [make_registration(exam, site_a) for _ in range(2)]
    review_bulk_site_approve(staff=staff_a, registration_ids=[r.pk for r in regs])
    result = review_bulk_area_approve(staff=area41, registration_ids=[r.pk for r in regs])
    assert sorted(result.approved) == sorted(r.pk for r in regs)
    assert Education.objects.filter(verified=True).count() == 2


def test_password_reset_one_time_password_must_change_and_lock_cleared(staff_a, reg_a):
    user = reg_a.candidate.user
    AccessAttempt.objects.create(
        username=f"user:{user.pk}", ip_address="10.0.0.9", user_agent="x", failures_since_start=5
    )
    password = candidate_password_reset(
        staff=staff_a, candidate=reg_a.candidate, reason="已核验身份证原件", ip_address="10.0.0.1"
    )
    user.refresh_from_db()
    assert user.check_password(password)
    assert user.must_change_password
    assert not AccessAttempt.objects.filter(username=f"user:{user.pk}").exists()
    entry = AuditEntry.objects.get(action="account.password_reset_by_staff")
    assert (entry.actor, entry.subject, entry.reason) == (staff_a, user, "已核验身份证原件")
    assert password not in str(entry.changes)


def test_password_reset_refuses_out_of_scope(staff_b, reg_a):
    with pytest.raises(ReviewError):
        candidate_password_reset(
            staff=staff_b, candidate=reg_a.candidate, reason="已核验", ip_address="10.0.0.1"
        )
    reg_a.candidate.user.refresh_from_db()
    assert not reg_a.candidate.user.must_change_password


def _correction(candidate, **changes):
    values = dict(
        full_name=candidate.full_name, id_type=IdType(candidate.id_type),
        id_number=candidate.id_number, gender=Gender(candidate.gender),
        birth_date=candidate.birth_date, reason="按身份证原件更正",
    )  # fmt: skip
    values.update(changes)
    return values


def test_correction_in_scope_sets_corrected_and_audits(staff_a, reg_a):
    candidate = candidate_correct(
        staff=staff_a, candidate=reg_a.candidate, **_correction(reg_a.candidate, full_name="张叁")
    )
    assert candidate.full_name == "张叁"
    assert candidate.corrected_at is not None
    entry = AuditEntry.objects.get(action="account.basic_info_corrected")
    assert entry.actor == staff_a
    assert entry.changes["full_name"] == {"old": "张三", "new": "张叁"}


def test_correction_refuses_out_of_scope(staff_b, area42, reg_a):
    for staff in (staff_b, area42):
        with pytest.raises(ReviewError):
            candidate_correct(
                staff=staff,
                candidate=reg_a.candidate,
                **_correction(reg_a.candidate, full_name="李四"),
            )
    reg_a.candidate.refresh_from_db()
    assert reg_a.candidate.full_name == "张三"


def test_unit_services_scope_and_effects(area41, area42, national, db):
    from yikao.directory.models import Institution, Region
    from yikao.review.services import unit_approve, unit_merge, unit_reject

    province = Region.objects.create(code="41", name="河南省", level=1, path="河南省")
    county = Region.objects.create(
        code="410102", name="中原区", level=3, parent=province, path="河南省/郑州市/中原区"
    )

    def unit(code, verified=False):
        return Institution.objects.create(
            code=code, name=f"单位{code}", region=county, region_path=county.path,
            area=410102, kind="其他", verified=verified,
        )  # fmt: skip

    real, typo, fake, known = unit("U1"), unit("U2"), unit("U3"), unit("H1", verified=True)
    Profile.objects.create(candidate=_candidate(), work_unit_code="U2", work_unit_name="单位U2")
    with pytest.raises(ReviewError):
        unit_approve(staff=area42, institution=real)
    unit_approve(staff=area41, institution=real)
    assert Institution.objects.get(pk=real.pk).verified
    assert unit_merge(staff=area41, institution=typo, into=known) == 1
    assert Profile.objects.get().work_unit_code == "H1"
    assert not Institution.objects.filter(pk=typo.pk).exists()
    with pytest.raises(ReviewError):
        unit_reject(staff=national, institution=fake, reason="")
    unit_reject(staff=national, institution=fake, reason="查无此单位")
    assert not Institution.objects.filter(pk=fake.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"directory.institution_verified", "directory.institution_merged",
            "directory.institution_rejected"} <= actions  # fmt: skip


def _candidate():
    from factories import make_candidate

    return make_candidate()


def test_staff_create_makes_scope_and_device(site_a):
    from yikao.review.services import staff_create
    from yikao.staff.models import StaffScope

    user, device = staff_create(
        actor=None, username="kd4101", password="Staff2026pass", role="site", site=site_a
    )
    assert user.is_staff and user.check_password("Staff2026pass")
    assert StaffScope.objects.get(user=user).site == site_a
    assert device.confirmed and device.config_url.startswith("otpauth://totp/")
    with pytest.raises(ReviewError):
        staff_create(actor=None, username="KD4101", password="x", role="site", site=site_a)
    with pytest.raises(ReviewError):
        staff_create(actor=None, username="kd2", password="x", role="area")


def test_decision_dates_are_today(staff_a, reg_a):
    review_site_approve(staff=staff_a, registration=reg_a)
    assert Decision.objects.get().created_at.date() >= datetime.date.today() - datetime.timedelta(1)


def test_full_id_reveal_audits_who_saw_whose_without_the_number(staff_a, reg_a):
    candidate = reg_a.candidate
    candidate_full_id_reveal(staff=staff_a, candidate=candidate, ip_address="10.0.0.9")
    (entry,) = AuditEntry.objects.filter(action="review.full_id_viewed")
    assert (entry.actor, entry.subject) == (staff_a, candidate.user)
    assert (entry.target_type, entry.target_id) == ("accounts.candidate", str(candidate.pk))
    assert entry.ip_address == "10.0.0.9"
    row = f"{entry.changes} {entry.reason} {entry.target_id}"
    assert candidate.id_number not in row and candidate.masked_id_number not in row
