"""Factories for tests: valid identities and ready-made accounts."""

import datetime
import itertools

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.services import SignUp, candidate_register

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_counter = itertools.count(1)

DEFAULT_PASSWORD = "Secret2026a"
DEFAULT_ANSWER = "zhangsan"


def resident_id(
    region: str = "410102", birth: str = "19980520", seq: int | None = None, male: bool = True
) -> str:
    """A resident ID number with a valid GB 11643 check character."""
    if seq is None:
        seq = next(_counter) % 100
    gender_digit = (1 if male else 2) + 2 * (seq % 4)
    base = f"{region}{birth}{seq % 100:02d}{gender_digit}"
    total = sum(int(d) * w for d, w in zip(base, _WEIGHTS, strict=True))
    return base + _CHECK[total % 11]


def make_signup(**overrides) -> SignUp:
    n = next(_counter)
    birth = datetime.date(1990, 1, 1) + datetime.timedelta(days=n)
    number = overrides.pop("id_number", None) or resident_id(birth=f"{birth:%Y%m%d}", seq=n)
    values = dict(
        full_name="张三",
        id_type=IdType.RESIDENT_ID,
        id_number=number,
        gender=Gender.MALE,
        birth_date=birth,
        username=f"user{n:05d}",
        password=DEFAULT_PASSWORD,
        security_question="您的出生地是？",
        security_answer=DEFAULT_ANSWER,
        email="",
        mobile=f"138{n:08d}",
    )
    values.update(overrides)
    return SignUp(**values)


def make_candidate(**overrides):
    return candidate_register(data=make_signup(**overrides))


def make_exam(*, open_window: bool = True, year: int = 2027, code: str | None = None):
    """An exam with 临床 categories; its window open (or closed) now."""
    from django.utils import timezone

    from yikao.exams.models import Exam, ExamCategory

    now = timezone.now()
    start, end = (now - datetime.timedelta(days=1), now + datetime.timedelta(days=13))
    if not open_window:
        start, end = now - datetime.timedelta(days=30), now - datetime.timedelta(days=16)
    exam = Exam.objects.create(
        code=code or f"exam-{next(_counter)}", name=f"{year}年医师资格考试", year=year,
        window_start=start, window_end=end, notice="一、报名信息不提供修改功能。",
    )  # fmt: skip
    for sort, (category, level, code_, label) in enumerate([
        ("clinical", "physician", "110", "临床执业医师"),
        ("clinical", "assistant", "210", "临床执业助理医师"),
    ]):  # fmt: skip
        ExamCategory.objects.create(
            exam=exam,
            category=category,
            level=level,
            code=code_,
            label=label,
            group="临床",
            sort=sort,
        )
    return exam


def make_site(exam, *, capacity: int = 100, code: str | None = None):
    from yikao.exams.models import ExamArea, ExamSite, SiteCapacity

    area, _ = ExamArea.objects.get_or_create(code="41", defaults={"name": "河南考区"})
    site = ExamSite.objects.create(
        area=area, code=code or f"41{next(_counter):02d}", name="郑州考点"
    )
    SiteCapacity.objects.create(exam=exam, site=site, capacity=capacity)
    return site


def make_bachelor_profile(candidate, *, graduation: str = "2024-06", work_start: str = "2024-08"):
    """A five-year full-time 临床医学 bachelor in a trial post: eligible for 临床执业医师."""
    from yikao.profiles.models import Education, Profile

    Profile.objects.update_or_create(
        candidate=candidate,
        defaults={"work_unit_name": "郑州市第一人民医院", "work_unit_kind": "县级医院",
                  "work_start": work_start,
                  "duty_status": "试用期", "post_category": "临床"},
    )  # fmt: skip
    return Education.objects.create(
        candidate=candidate, level="本科", length_years=5, study_form="全日制",
        entry_date="2019-09", graduation_date=graduation, school_code="4141010459",
        school_name="郑州大学", major_code="100201K", major_name="临床医学",
        diploma_number="104591202405001234",
    )  # fmt: skip


def make_photo(candidate, *, profile=None):
    """A current photo row (the checker's own tests cover the image itself), marked as
    checked under `profile` (the default rules, which every exam with default settings has)."""
    from django.core.files.base import ContentFile

    from yikao.exams.photo_rules import DEFAULT_PROFILE
    from yikao.photos.models import CandidatePhoto

    fingerprint = (profile or DEFAULT_PROFILE).fingerprint()
    photo = CandidatePhoto(candidate=candidate, sha256=f"{next(_counter):064d}", width=413,
                           height=531, byte_size=20_000, profile_fingerprint=fingerprint, is_current=True)  # fmt: skip
    photo.image.save(f"test-{photo.sha256[:8]}.jpg", ContentFile(b"\xff\xd8test"), save=False)
    photo.save()
    return photo


def make_draft(candidate, exam, site, *, level: str = "physician"):
    """A wizard draft ready to submit: entries ticked, site chosen."""
    from yikao.exams.models import ExamCategory
    from yikao.profiles.models import Education
    from yikao.registrations.services import draft_save, draft_start

    category = ExamCategory.objects.get(exam=exam, category="clinical", level=level)
    draft = draft_start(candidate=candidate, category=category)
    educations = list(Education.objects.filter(candidate=candidate).values_list("pk", flat=True))
    return draft_save(draft=draft, step=5, values={
        "military": "none", "educations": educations, "trainings": [], "certificates": [],
        "area": site.area.code, "site": site.pk,
    })  # fmt: skip
