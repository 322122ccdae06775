import pytest
from factories import make_candidate

from yikao.core.models import AuditEntry
from yikao.directory.models import School
from yikao.profiles.models import Certificate, Education, Profile
from yikao.profiles.services import (
    EntryChanges,
    ProfileError,
    ProfileSubmission,
    entries_lock,
    entries_unlock,
    entries_verify,
    profile_submit,
)

pytestmark = pytest.mark.django_db

CONTACT = {
    "mobile": "13700001111",
    "email": "a@example.com",
    "postal_address": "郑州市",
    "postcode": "450000",
}
WORK = {"work_unit_code": "", "work_unit_name": "", "unit_nature": "医疗机构", "position": "",
        "title": "", "title_date": "", "duty_status": "在岗", "post_category": "临床",
        "department": "内科", "work_start": "2024-08"}  # fmt: skip


def education(**overrides):
    values = {
        "level": "本科", "degree_type": "", "length_years": 5, "study_form": "全日制",
        "entry_date": "2019-09", "graduation_date": "2024-06", "school_code": "",
        "school_name": "郑州大学", "major_code": "", "major_name": "临床医学",
        "diploma_number": "1045912024", "id": None,
    }  # fmt: skip
    values.update(overrides)
    return values


@pytest.fixture
def zzu():
    return School.objects.create(
        code="4141010459", name="郑州大学", kind="普通高等学校", level="本科"
    )


def submission(**groups):
    return ProfileSubmission(contact=dict(CONTACT), work=dict(WORK), **groups)


def test_submit_saves_all_groups_and_audits(zzu):
    candidate = make_candidate()
    profile_submit(candidate=candidate, submission=submission(
        educations=EntryChanges(save=[education(), education(level="研究生（硕士）", degree_type="专业学位",
                                                          length_years=3, entry_date="2024-09", graduation_date="2027-06")]),
        certificates=EntryChanges(save=[{"cert_type": "执业助理医师", "issue_date": "2021-03", "number": "X1",
                                         "registration_date": "2021-06", "registration_number": "R1",
                                         "practice_category": "临床", "practice_scope": "内科", "id": None}]),
    ))  # fmt: skip
    candidate.refresh_from_db()
    assert candidate.mobile == "13700001111" and candidate.email == "a@example.com"
    assert Profile.objects.get(candidate=candidate).department == "内科"
    educations = Education.objects.filter(candidate=candidate)
    assert educations.count() == 2
    assert {e.school_code for e in educations} == {zzu.code}  # matched by name
    assert Certificate.objects.get(candidate=candidate).number == "X1"
    entry = AuditEntry.objects.get(action="profile.submitted")
    assert entry.changes["educations"] == {"created": 2, "updated": 0, "deleted": 0}
    assert "13700001111" not in str(entry.changes)  # the mobile is masked in the audit row


def test_unknown_school_becomes_unverified_directory_entry(zzu):
    candidate = make_candidate()
    profile_submit(candidate=candidate, submission=submission(
        educations=EntryChanges(save=[education(school_name="河南省卫生学校（旧名）")])))  # fmt: skip
    entry = Education.objects.get(candidate=candidate)
    school = School.objects.get(code=entry.school_code)
    assert not school.verified and school.name.startswith("河南省卫生学校")
    assert entry.school_name == school.name


def test_update_and_delete_entries(zzu):
    candidate = make_candidate()
    first = Education.objects.create(
        candidate=candidate, **{k: v for k, v in education().items() if k != "id"}
    )
    second = Education.objects.create(
        candidate=candidate,
        **{k: v for k, v in education(major_name="预防医学").items() if k != "id"},
    )
    profile_submit(candidate=candidate, submission=submission(
        educations=EntryChanges(save=[education(id=first.pk, diploma_number="NEW")], delete=[second.pk])))  # fmt: skip
    assert list(
        Education.objects.filter(candidate=candidate).values_list("diploma_number", flat=True)
    ) == ["NEW"]


@pytest.mark.parametrize("mark", ["locked", "verified"])
def test_read_only_entries_refused_by_the_service(zzu, mark):
    candidate = make_candidate()
    entry = Education.objects.create(
        candidate=candidate, **{k: v for k, v in education().items() if k != "id"}
    )
    setattr(entry, mark, True)
    entry.save()
    for changes in (
        EntryChanges(save=[education(id=entry.pk, major_name="改")]),
        EntryChanges(delete=[entry.pk]),
    ):
        with pytest.raises(ProfileError, match="不能修改或删除"):
            profile_submit(candidate=candidate, submission=submission(educations=changes))
    entry.refresh_from_db()
    assert entry.major_name == "临床医学"


def test_refusal_rolls_back_every_group(zzu):
    candidate = make_candidate()
    locked = Education.objects.create(
        candidate=candidate, locked=True, **{k: v for k, v in education().items() if k != "id"}
    )
    with pytest.raises(ProfileError):
        profile_submit(candidate=candidate, submission=submission(
            educations=EntryChanges(save=[education(major_name="新增")], delete=[locked.pk])))  # fmt: skip
    assert Education.objects.filter(candidate=candidate).count() == 1
    assert not Profile.objects.filter(candidate=candidate).exists()


def test_cannot_touch_another_candidates_entries(zzu):
    owner, intruder = make_candidate(), make_candidate()
    entry = Education.objects.create(
        candidate=owner, **{k: v for k, v in education().items() if k != "id"}
    )
    with pytest.raises(ProfileError, match="不存在或不属于您"):
        profile_submit(
            candidate=intruder, submission=submission(educations=EntryChanges(delete=[entry.pk]))
        )
    assert Education.objects.filter(pk=entry.pk).exists()


def test_lock_unlock_and_verify_marks_are_audited(zzu):
    candidate = make_candidate()
    entry = Education.objects.create(
        candidate=candidate, **{k: v for k, v in education().items() if k != "id"}
    )
    assert entries_lock(entries=[entry]) == 1
    assert entries_lock(entries=[entry]) == 0  # already locked
    assert entries_unlock(entries=[entry]) == 1
    staff = make_candidate().user
    entries_verify(entries=[entry], staff=staff)
    entry.refresh_from_db()
    assert entry.verified and entry.verified_at and not entry.locked
    actions = list(
        AuditEntry.objects.filter(
            target_type="profiles.education", target_id=str(entry.pk)
        ).values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "profile.entry_locked",
        "profile.entry_unlocked",
        "profile.entry_verified",
    ]


def test_marks_of_many_entries_are_one_update_per_model_and_one_audit_insert(
    zzu, django_assert_num_queries
):
    from yikao.profiles.models import Training
    from yikao.profiles.services import entries_unverify

    candidate = make_candidate()
    values = {k: v for k, v in education().items() if k != "id"}
    for year in ("2024-06", "2019-06", "2016-06"):
        Education.objects.create(candidate=candidate, **{**values, "graduation_date": year})
    Training.objects.create(candidate=candidate, kind="住院医师规范化培训", base_name="郑大一附院",
                            major_name="内科", start_date="2024-08", end_date="2027-07")  # fmt: skip
    Certificate.objects.create(candidate=candidate, cert_type="护士执业证书", issue_date="2018-01", number="N1")  # fmt: skip
    # Read without their candidate (as a plain query gives them): read once, not per entry.
    entries = [*Education.objects.all(), *Training.objects.all(), *Certificate.objects.all()]
    entries[1].locked = True  # already locked (as this copy says): left alone, not audited
    actor = make_candidate().user
    # 3 UPDATEs (one per model), 2 reads (candidate, user) per model, 1 audit INSERT.
    with django_assert_num_queries(3 + 2 * 3 + 1):
        assert entries_lock(entries=entries, actor=actor) == 4
    locked = {(type(e).__name__, e.pk) for e in entries if e is not entries[1]}
    assert {("Education", e.pk) for e in Education.objects.filter(locked=True)} | {
        (type(e).__name__, e.pk)
        for e in [*Training.objects.filter(locked=True), *Certificate.objects.filter(locked=True)]
    } == locked
    assert not Education.objects.get(pk=entries[1].pk).locked  # never written
    rows = list(AuditEntry.objects.filter(action="profile.entry_locked").order_by("id"))
    assert [(r.target_type, r.target_id) for r in rows] == [
        (e._meta.label_lower, str(e.pk)) for e in entries if e is not entries[1]
    ]
    for row in rows:
        assert (row.actor, row.subject, row.reason) == (actor, candidate.user, "")
        assert row.changes == {"locked": {"old": False, "new": True}}
    # Entries that carry their candidate and user cost no read.
    for entry in entries:
        entry.candidate = candidate
    with django_assert_num_queries(3 + 1):
        assert entries_unlock(entries=entries, actor=actor) == 5
    assert not Education.objects.filter(locked=True).exists()
    assert AuditEntry.objects.filter(action="profile.entry_unlocked").count() == 5
    staff = make_candidate().user
    assert entries_verify(entries=entries[:3], staff=staff) == 3
    stamps = set(Education.objects.values_list("verified_at", flat=True))
    assert len(stamps) == 1 and None not in stamps
    assert {e.verified_at for e in entries[:3]} == stamps  # the objects say what the rows say
    assert entries_unverify(entries=entries[:1], staff=staff, reason="证书存疑") == 1
    row = AuditEntry.objects.get(action="profile.entry_unverified")
    assert (row.actor, row.reason, row.target_id) == (staff, "证书存疑", str(entries[0].pk))
    assert Education.objects.get(pk=entries[0].pk).verified_at is None
