"""A small world for the security tests: two candidates with everything a candidate can
own (registration, photo, draft, booking), staff of candidate B's site and area, staff of
candidate A's site and of another area (who must see nothing of B's), and an OTP-verified
superuser. Candidate B's name is a marker that must never leak to A."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)

from yikao.registrations.models import Registration
from yikao.registrations.services import registration_submit

STAFF_PASSWORD = "Staff2026pass"
B_NAME = "乙保密"


@dataclass
class World:
    exam: object
    site_a: object
    site_b: object
    cand_a: object
    cand_b: object
    reg_a: object
    reg_b: object
    photo_b: object
    draft_b: object
    slot_b: object
    booking_b: object
    unit: object
    staff_b: object
    area_staff: object
    staff_a: object  # site A's staff: same area as site B, another site
    other_area_staff: object  # staff of 湖北考区, which holds neither site
    superuser: object
    extra: dict = field(default_factory=dict)


def submitted(candidate, exam, site, *, status="site_approved"):
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    Registration.objects.filter(pk=registration.pk).update(status=status)
    registration.refresh_from_db()
    return registration


def make_staff(username, role, *, site=None, area=None):
    from yikao.review.services import staff_create

    user, device = staff_create(
        actor=None, username=username, password=STAFF_PASSWORD, role=role, site=site, area=area
    )
    user.device = device
    return user


def make_superuser():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from yikao.accounts.models import User

    user = User.objects.create_superuser("rootadmin", STAFF_PASSWORD)
    user.device = TOTPDevice.objects.create(user=user, name="root", confirmed=True)
    return user


def verified_login(client, user):
    """A logged-in session whose OTP device is verified (the login pages are tested apart)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    client.force_login(user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    device = getattr(user, "device", None)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def candidate_login(client, candidate):
    client.force_login(candidate.user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    return client


def build_world() -> World:
    from yikao.appointments.models import Slot
    from yikao.appointments.services import booking_create
    from yikao.directory.models import Institution, Region
    from yikao.exams.models import ExamArea

    exam = make_exam()
    site_a = make_site(exam, code="4101")
    site_b = make_site(exam, code="4102")
    cand_a = make_candidate(full_name="甲考生")
    cand_b = make_candidate(full_name=B_NAME)
    reg_a = submitted(cand_a, exam, site_a)
    reg_b = submitted(cand_b, exam, site_b)
    photo_b = make_photo(cand_b)
    make_photo(cand_a)
    # A second exam for an open wizard draft of B's.
    exam2 = make_exam()
    site2 = make_site(exam2, code="4103")
    draft_b = make_draft(cand_b, exam2, site2)
    starts = timezone.now() + datetime.timedelta(days=3)
    slot_b = Slot.objects.create(
        exam=exam, site=site_b, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3), capacity=10,
    )  # fmt: skip
    booking_b = booking_create(candidate=cand_b, slot=slot_b)
    province, _ = Region.objects.get_or_create(
        code="41", defaults={"name": "河南省", "level": 1, "path": "河南省"}
    )
    unit = Institution.objects.create(
        code="SECTEST0001", name="安全测试诊所", region=province, region_path="河南省",
        area=410102, kind="诊所", verified=False,
    )  # fmt: skip
    other_area = ExamArea.objects.create(code="42", name="湖北考区")
    return World(
        exam=exam, site_a=site_a, site_b=site_b, cand_a=cand_a, cand_b=cand_b,
        reg_a=reg_a, reg_b=reg_b, photo_b=photo_b, draft_b=draft_b, slot_b=slot_b,
        booking_b=booking_b, unit=unit,
        staff_b=make_staff("kaodian_sec", "site", site=site_b),
        area_staff=make_staff("kaoqu_sec", "area", area=site_b.area),
        staff_a=make_staff("kaodian_a_sec", "site", site=site_a),
        other_area_staff=make_staff("kaoqu_hubei_sec", "area", area=other_area),
        superuser=make_superuser(),
    )  # fmt: skip


# --- Candidates across sites (the access matrix and tests/security/test_cross_site_scope.py) ---

C_NAME = "丙跨点"
C_RENAMED = "丙改名"
RETURN_MARK = "退回标记：毕业证书照片不清晰"
RESET_MARK = "已核验身份证原件（乙考点）"


def add_cross_site(w: World) -> World:
    """More of what candidates and staff do across sites, in w.extra:

    cand_c   registered at site A, abandoned there, then registered at site B, where B's
             staff returned it (RETURN_MARK) and reset C's password (RESET_MARK): site A's
             staff keep an abandoned registration of C's and must not act on C or read
             what happened at B.
    cand_d   approved at site B (area approval: its entries are verified).
    cand_e   at a site of 湖北考区 (the other area staff's), active.
    cand_f   active at site A in the first exam and at the second exam's site (4103).
    staff_n  staff of a neighbouring site of the same area (4104), which holds nothing.
    """
    from factories import make_draft, make_photo, make_site

    from yikao.exams.models import ExamArea, ExamSite, SiteCapacity
    from yikao.registrations.services import registration_abandon
    from yikao.review.services import candidate_password_reset, review_return
    from yikao.staff.models import StaffScope

    cand_c = make_candidate(full_name=C_NAME)
    reg_c_a = submitted(cand_c, w.exam, w.site_a, status="submitted")
    registration_abandon(candidate=cand_c, registration=reg_c_a)
    draft = make_draft(cand_c, w.exam, w.site_b)
    reg_c_b = registration_submit(draft=draft, token=draft.token)
    review_return(staff=w.staff_b, registration=reg_c_b, reason=RETURN_MARK)
    candidate_password_reset(staff=w.staff_b, candidate=cand_c, reason=RESET_MARK, ip_address="")
    make_photo(cand_c)
    reg_c_a.refresh_from_db()
    reg_c_b.refresh_from_db()

    cand_d = make_candidate(full_name="丁已通过")
    reg_d = submitted(cand_d, w.exam, w.site_b, status="approved")

    hubei = StaffScope.objects.get(user=w.other_area_staff).area
    site_e = ExamSite.objects.create(area=hubei, code="4201", name="武汉考点")
    SiteCapacity.objects.create(exam=w.exam, site=site_e, capacity=10)
    cand_e = make_candidate(full_name="戊湖北")
    reg_e = submitted(cand_e, w.exam, site_e, status="submitted")

    cand_f = make_candidate(full_name="己两考")
    reg_f_a = submitted(cand_f, w.exam, w.site_a, status="submitted")
    site2 = ExamSite.objects.get(code="4103")
    draft = make_draft(cand_f, w.draft_b.exam, site2)
    reg_f_2 = registration_submit(draft=draft, token=draft.token)

    site_n = make_site(w.exam, code="4104")
    assert ExamArea.objects.filter(pk=site_n.area_id, code="41").exists()
    w.extra.update(
        cand_c=cand_c, reg_c_a=reg_c_a, reg_c_b=reg_c_b, cand_d=cand_d, reg_d=reg_d,
        site_e=site_e, cand_e=cand_e, reg_e=reg_e, cand_f=cand_f, reg_f_a=reg_f_a,
        reg_f_2=reg_f_2, site_n=site_n,
        staff_n=make_staff("kaodian_n_sec", "site", site=site_n),
    )  # fmt: skip
    return w
