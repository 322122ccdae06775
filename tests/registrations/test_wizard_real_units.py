"""Real units through the real pages: a candidate at 中牟县万滩镇卫生院 (a township
hospital whose name does not end in "乡镇卫生院") registers for 乡村全科, a 现役军人 at a
军队医院 entered by hand registers for 临床执业医师, and the type of a picked unit comes from
the directory whatever the form says."""

import pytest
from django.urls import reverse
from factories import make_candidate, make_exam, make_photo, make_site

from yikao.directory.models import Institution, Region
from yikao.exams.models import ExamCategory
from yikao.profiles.models import Education, Profile
from yikao.registrations.models import Draft, Registration

pytestmark = pytest.mark.django_db
PROFILE = reverse("profiles:index")


def management(prefix: str, total: int) -> dict[str, str]:
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "10"}  # fmt: skip


def profile_post(*, work: dict[str, str], education: dict[str, str]) -> dict[str, str]:
    data = {
        "action": "submit", "contact-mobile": "13800001111", "contact-email": "",
        "contact-postal_address": "郑州市中牟县", "contact-postcode": "451450",
        "contact-id_valid_until": "长期",
        **{f"work-{k}": v for k, v in work.items()},
        **management("wrk", 0), **management("edu", 1), **management("trn", 0),
        **management("crt", 0),
        **{f"edu-0-{k}": v for k, v in education.items()},
    }  # fmt: skip
    return data


JUNIOR = {"id": "", "level": "专科", "degree_type": "", "length_years": "3", "study_form": "全日制",
          "entry_date": "2016-09", "graduation_date": "2019-07", "school_name": "郑州卫生健康职业学院",
          "school_code": "", "major_name": "临床医学", "major_code": "", "diploma_number": "1234567"}  # fmt: skip
BACHELOR = {**JUNIOR, "level": "本科", "length_years": "5", "entry_date": "2015-09",
            "graduation_date": "2020-07", "school_name": "郑州大学"}  # fmt: skip


@pytest.fixture
def exam():
    exam = make_exam()
    ExamCategory.objects.create(exam=exam, category="rural_general", level="assistant",
                                code="250", label="乡村全科执业助理医师", group="乡村全科", sort=9)  # fmt: skip
    return exam


@pytest.fixture
def site(exam):
    return make_site(exam)


@pytest.fixture
def township():
    province = Region.objects.create(code="41", name="河南省", level=1, path="河南省")
    city = Region.objects.create(code="4101", name="郑州市", level=2, parent=province,
                                 path="河南省/郑州市")  # fmt: skip
    county = Region.objects.create(code="410122", name="中牟县", level=3, parent=city,
                                   path="河南省/郑州市/中牟县")  # fmt: skip
    return Institution.objects.create(
        code="4101221060002201", name="中牟县万滩镇卫生院", region=county,
        region_path=county.path, area=410122, kind="乡镇卫生院",
    )  # fmt: skip


def step(exam, number):
    return reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": number})


def register(client, candidate, exam, site, category, *, military="none"):
    """Through the notice and the five steps with what the profile holds."""
    assert client.post(reverse("registrations:notice", args=[category.pk])).status_code == 302
    assert client.post(step(exam, 1), {"military": military}).status_code == 302
    profile = Profile.objects.get(candidate=candidate)
    names = ("work_unit_code", "work_unit_name", "work_unit_kind", "unit_nature", "duty_status",
             "post_category", "department", "work_start", "trial_assessed")  # fmt: skip
    response = client.post(step(exam, 2), {f"work-{n}": getattr(profile, n) for n in names})
    assert response.status_code == 302, response.context["form"].errors
    educations = [e.pk for e in Education.objects.filter(candidate=candidate)]
    assert client.post(step(exam, 3), {"educations": educations}).status_code == 302
    page = client.get(step(exam, 5), {"area": site.area.code})
    decision = page.context["decision"]
    token = Draft.objects.get(candidate=candidate).token
    client.post(step(exam, 5), {"area": site.area.code, "site": site.pk, "token": token})
    return decision, page.content.decode()


def test_a_doctor_at_a_real_township_hospital_registers_for_rural_general(
    client, exam, site, township
):
    candidate = make_candidate()
    make_photo(candidate)
    client.force_login(candidate.user)
    # Picked from the directory; the form even claims another type: the directory decides.
    work = {"work_unit_code": township.code, "work_unit_name": township.name,
            "work_unit_kind": "县级医院", "unit_nature": "基层医疗卫生机构", "duty_status": "在岗",
            "post_category": "临床", "department": "全科", "work_start": "2019-08-05",
            "trial_assessed": "合格"}  # fmt: skip
    response = client.post(PROFILE, profile_post(work=work, education=JUNIOR))
    assert response.status_code == 302, response.context["page"].error
    profile = Profile.objects.get(candidate=candidate)
    assert (profile.work_unit_kind, profile.work_start) == ("乡镇卫生院", "2019-08-05")

    category = ExamCategory.objects.get(exam=exam, category="rural_general")
    decision, html = register(client, candidate, exam, site, category)
    assert decision.status == "eligible", decision.reasons
    assert "「work」" not in html
    registration = Registration.objects.get(candidate=candidate, exam=exam)
    assert registration.category == category


def test_an_active_soldier_at_a_military_hospital_registers_for_clinical(client, exam, site):
    candidate = make_candidate()
    make_photo(candidate)
    client.force_login(candidate.user)
    work = {"work_unit_code": "", "work_unit_name": "中国人民解放军联勤保障部队第九八八医院",
            "work_unit_kind": "", "unit_nature": "军队医疗机构", "duty_status": "在岗",
            "post_category": "临床", "department": "内科", "work_start": "2020-08-01",
            "trial_assessed": "合格"}  # fmt: skip
    # A unit typed by hand needs its type: asked next to the field, nothing saved.
    response = client.post(PROFILE, profile_post(work=work, education=BACHELOR))
    assert response.status_code == 200
    assert "名录外的单位请选择机构类型" in response.content.decode()
    assert not Profile.objects.filter(candidate=candidate).exists()

    work["work_unit_kind"] = "军队医疗机构"
    assert client.post(PROFILE, profile_post(work=work, education=BACHELOR)).status_code == 302
    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    decision, _ = register(client, candidate, exam, site, category, military="active")
    assert decision.status == "eligible", decision.reasons
    assert [a.code for a in decision.addons] == ["military_medicine"]
    assert Registration.objects.filter(candidate=candidate, exam=exam).exists()


def test_an_unanswerable_case_points_to_the_fields_that_fix_it(client, exam, site):
    """Undecided for want of a fact: the step says which, in the candidate's words, and
    links to where it is filled in; 提交 stays off."""
    candidate = make_candidate()
    make_photo(candidate)
    client.force_login(candidate.user)
    work = {"work_unit_code": "", "work_unit_name": "", "work_unit_kind": "",
            "unit_nature": "", "duty_status": "在岗", "post_category": "临床",
            "department": "", "work_start": "", "trial_assessed": ""}  # fmt: skip
    education = {**BACHELOR, "major_name": "临床医学（五年制）"}
    assert client.post(PROFILE, profile_post(work=work, education=education)).status_code == 302
    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    decision, html = register(client, candidate, exam, site, category)
    assert decision.status == "undecided"
    assert "第1条教育经历" in html and "专业代码" in html
    assert "修改个人信息" in html and "disabled" in html
    assert not Registration.objects.filter(candidate=candidate).exists()
