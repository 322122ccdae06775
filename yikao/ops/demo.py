"""A collection day of today for the demo (setup_demo): three demo candidates registered
at the demo site, passed by the site, and booked into a slot of today, so that the staff
check-in can be tried; and the demo province's fees with a fourth candidate 审核通过, so
that 网上缴费 can be tried against the simulator (`make paysim`). Idempotent: a second run
finds what the first made."""

import datetime

from django.db import transaction
from django.utils import timezone

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import Candidate, User
from yikao.accounts.services import SignUp, candidate_register
from yikao.core.audit import audit_record

# (username, name, ID number) of the demo candidates: valid resident ID numbers (郑州市
# 金水区, check character by GB 11643) that no real person is registered with here.
CANDIDATES = [
    ("demo_kaosheng1", "王演示", "41010519980101001X"),
    ("demo_kaosheng2", "李演示", "410105199802020025"),
    ("demo_kaosheng3", "赵演示", "410105199803030030"),
]
# 审核通过 and waiting to pay (no collection booking: the day's check-in list stays three).
PAYING_CANDIDATE = ("demo_kaosheng4", "钱演示", "410105199804040046")
DAY_HOURS = (datetime.time(8, 0), datetime.time(17, 30))
# 医学综合考试费 in 分 by level: 60元 a unit, 执业 4 units, 助理 2 (shared/domain/research.md
# §3.5, line 350: the 郑州 2020 二试 notice; docs/payments.md). The 实践技能 fee is left
# unset: it varies by province and no sourced figure exists for the demo's; the staff fee
# page shows it unset, and a demo user can enter one there.
WRITTEN_FEE_FEN = {"physician": 24000, "assistant": 12000}
PAYMENT_DAYS = 14  # the demo's payment deadline: this long after the window closes
PLACE = "演示采集室"


def demo_candidate(username: str, name: str, id_number: str, password: str) -> Candidate:
    user = User.objects.with_username(username).first()
    if user is not None:
        return user.candidate
    birth = datetime.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return candidate_register(data=SignUp(
        full_name=name, id_type=IdType.RESIDENT_ID, id_number=id_number,
        gender=Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE, birth_date=birth,
        username=username, password=password, security_question="您的出生地是？",
        security_answer="zhengzhou", email="", mobile=f"1380000{id_number[-4:]}",
    ))  # fmt: skip


def _profile(candidate: Candidate) -> list[int]:
    """A five-year 临床医学 bachelor in a trial post (eligible for 临床执业医师)."""
    from yikao.profiles.models import Education, Profile

    Profile.objects.update_or_create(candidate=candidate, defaults={
        "work_unit_name": "郑州市第一人民医院", "work_unit_kind": "县级医院",
        "work_start": "2024-08", "duty_status": "试用期", "post_category": "临床",
    })  # fmt: skip
    education, _ = Education.objects.get_or_create(candidate=candidate, defaults={
        "level": "本科", "length_years": 5, "study_form": "全日制", "entry_date": "2019-09",
        "graduation_date": "2024-06", "school_code": "4141010459", "school_name": "郑州大学",
        "major_code": "100201K", "major_name": "临床医学",
        "diploma_number": f"1045912024050{candidate.pk:05d}",
    })  # fmt: skip
    return [education.pk]


def _registration(candidate: Candidate, exam, site, staff):
    """The candidate's registration at the site, submitted and passed by the site."""
    from yikao.exams.models import ExamCategory
    from yikao.registrations.models import ACTIVE, Registration, Status
    from yikao.registrations.services import draft_save, draft_start, registration_submit
    from yikao.review.services import review_site_approve

    registration = Registration.objects.filter(ACTIVE, candidate=candidate, exam=exam).first()
    if registration is None:
        category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
        draft = draft_start(candidate=candidate, category=category)
        draft = draft_save(draft=draft, step=5, values={
            "military": "none", "educations": _profile(candidate), "trainings": [],
            "certificates": [], "area": site.area.code, "site": site.pk,
        })  # fmt: skip
        registration = registration_submit(draft=draft, token=draft.token)
    if registration.status == Status.SUBMITTED:
        registration = review_site_approve(staff=staff, registration=registration)
    return registration


def _todays_slot(exam, site, staff):
    """Today's slot at the site. Written here, not by slots_create_bulk, which asks for a
    logged-in (one-time code verified) staff member; the same audit row is kept."""
    from yikao.appointments.models import Slot

    today = timezone.localdate()
    start, end = (timezone.make_aware(datetime.datetime.combine(today, t)) for t in DAY_HOURS)
    slot = Slot.objects.filter(exam=exam, site=site, place=PLACE, starts_at=start).first()
    if slot is None:
        slot = Slot.objects.create(exam=exam, site=site, starts_at=start, ends_at=end,
                                   place=PLACE, capacity=20, created_by=staff)  # fmt: skip
        audit_record(actor=staff, action="appointment.slots_created", target=site,
                     changes={"slots": {"old": None, "new": 1},
                              "exam": {"old": None, "new": exam.code}})  # fmt: skip
    return slot


def _book(registration, slot):
    """A booking in today's slot. Written here, not by booking_create: a candidate may not
    book a slot that starts within the site's cutoff, and a demo day is today."""
    from yikao.appointments.models import ACTIVE, Booking
    from yikao.appointments.selectors import slot_label
    from yikao.appointments.services import _new_code

    booking = Booking.objects.filter(ACTIVE, registration=registration).first()
    if booking is not None:
        return booking
    booking = Booking.objects.create(
        registration=registration, candidate=registration.candidate, slot=slot, code=_new_code()
    )
    user = registration.candidate.user
    audit_record(actor=user, subject=user, action="appointment.booked", target=booking,
                 changes={"slot": {"old": None, "new": slot_label(slot)}})  # fmt: skip
    return booking


def demo_day(*, exam, site, staff, password: str) -> list:
    """The demo candidates' bookings of today (created on the first run)."""
    with transaction.atomic():
        slot = _todays_slot(exam, site, staff)
        bookings = []
        for username, name, id_number in CANDIDATES:
            candidate = demo_candidate(username, name, id_number, password)
            bookings.append(_book(_registration(candidate, exam, site, staff), slot))
    return bookings


def _payment_deadline(exam) -> None:
    """PAYMENT_DAYS after the registration window ends, or from now when that is past.
    Kept once set and still ahead, so a second run changes nothing."""
    now = timezone.now()
    if exam.payment_deadline is not None and exam.payment_deadline > now:
        return
    deadline = exam.window_end + datetime.timedelta(days=PAYMENT_DAYS)
    exam.payment_deadline = (
        deadline if deadline > now else now + datetime.timedelta(days=PAYMENT_DAYS)
    )
    exam.save(update_fields=["payment_deadline"])


def _fees(exam, area, staff) -> None:
    """The 医学综合 fee of every category in the area, set (and audited) as the area's staff
    would on the fee page."""
    from yikao.exams.models import ExamCategory
    from yikao.payments.fees import fee_set
    from yikao.payments.models import FeeItem, Part

    items = {(i.category_id, i.part): i for i in FeeItem.objects.filter(exam=exam, area=area)}
    for category in ExamCategory.objects.filter(exam=exam):
        fee_set(actor=staff, exam=exam, area=area, category=category, part=Part.WRITTEN,
                fen=WRITTEN_FEE_FEN[category.level], items=items)  # fmt: skip


def demo_payments(*, exam, site, site_staff, area_staff, password: str):
    """The demo province's fees, a payment deadline, and a candidate 审核通过 who can pay
    online (the 去缴费 button on 我的报名). Returns that candidate's registration."""
    from yikao.registrations.models import Status
    from yikao.review.services import review_area_approve

    with transaction.atomic():
        _payment_deadline(exam)
        _fees(exam, site.area, area_staff)
        candidate = demo_candidate(*PAYING_CANDIDATE, password)
        registration = _registration(candidate, exam, site, site_staff)
        if registration.status == Status.SITE_APPROVED:
            registration = review_area_approve(staff=area_staff, registration=registration)
    return registration
