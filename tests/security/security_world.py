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
