import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)

from yikao.exams.models import ExamCategory
from yikao.profiles.models import Certificate, Education, Profile
from yikao.registrations.models import Draft, Registration, Status
from yikao.registrations.services import registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def site(exam):
    return make_site(exam, capacity=10)


@pytest.fixture
def ready(client, exam, site):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    make_photo(candidate)
    client.force_login(candidate.user)
    return candidate


def step_url(exam, number):
    return reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": number})


def start(client, exam, level="physician"):
    category = ExamCategory.objects.get(exam=exam, category="clinical", level=level)
    assert client.get(reverse("registrations:notice", args=[category.pk])).status_code == 200
    response = client.post(reverse("registrations:notice", args=[category.pk]))
    assert response["Location"] == step_url(exam, 1)
    return category


def test_index_and_choose_pages(client, ready, exam):
    html = client.get(reverse("registrations:index")).content.decode()
    assert "开始新的报名" in html
    response = client.get(reverse("registrations:choose"), {"level": "physician", "q": "临床"})
    labels = [c.label for c in response.context["categories"]]
    assert labels == ["临床执业医师"]
    assert client.get(reverse("registrations:choose"), {"level": "bogus"}).status_code == 200


def test_whole_wizard_submits_and_shows_on_the_list(client, ready, exam, site):
    start(client, exam)
    assert client.post(step_url(exam, 1), {"military": "none"})["Location"] == step_url(exam, 2)
    work = {f"work-{k}": v for k, v in {"work_unit_name": "", "work_unit_code": "", "unit_nature": "医疗机构",
            "duty_status": "试用期", "post_category": "临床", "work_start": "2024-08"}.items()}  # fmt: skip
    assert client.post(step_url(exam, 2), work)["Location"] == step_url(exam, 3)
    education = Education.objects.get(candidate=ready)
    assert client.post(step_url(exam, 3), {"educations": [education.pk]})["Location"] == step_url(
        exam, 5
    )
    page = client.get(step_url(exam, 5), {"area": site.area.code})
    assert page.context["decision"].status == "eligible"
    assert "剩余名额 10" in page.content.decode()
    draft = Draft.objects.get(candidate=ready)
    response = client.post(
        step_url(exam, 5), {"area": site.area.code, "site": site.pk, "token": draft.token}
    )
    assert response["Location"] == reverse("registrations:index")
    registration = Registration.objects.get(candidate=ready)
    html = client.get(reverse("registrations:index")).content.decode()
    assert registration.number in html and "已提交" in html
    # Double click: the same form posted again gives the same registration, not a second one.
    client.post(step_url(exam, 5), {"area": site.area.code, "site": site.pk, "token": draft.token})
    assert Registration.objects.filter(candidate=ready).count() == 1


def test_steps_cannot_be_skipped(client, ready, exam):
    start(client, exam)
    assert client.get(step_url(exam, 5))["Location"] == step_url(exam, 1)


def test_bad_input_on_steps(client, ready, exam):
    start(client, exam)
    response = client.post(step_url(exam, 1), {"military": "general"})
    assert response.status_code == 200 and response.context["form"].errors["military"]
    client.post(step_url(exam, 1), {"military": "none"})
    client.post(step_url(exam, 2), {"work-title": "主治医师（中级）", "work-title_date": "2008/3"})
    response = client.post(step_url(exam, 2), {"work-title_date": "2008/3"})
    assert "2008-03" in response.content.decode()


def test_records_step_rules(client, ready, exam):
    start(client, exam)
    client.post(step_url(exam, 1), {"military": "none"})
    Draft.objects.filter(candidate=ready).update(step=3)
    assert client.post(step_url(exam, 3), {}).context["form"].errors["educations"] == [
        "请至少勾选一条用于报考的教育经历。"
    ]
    other = make_candidate()
    foreign = make_bachelor_profile(other)
    response = client.post(step_url(exam, 3), {"educations": [foreign.pk]})
    assert response.context["form"].errors["educations"]  # not the candidate's own
    master = Education.objects.create(candidate=ready, level="研究生（硕士）", degree_type="专业学位",
                                      study_form="全日制", entry_date="2024-09", graduation_date="2027-06",
                                      school_name="郑州大学", major_name="临床医学")  # fmt: skip
    Education.objects.filter(candidate=ready, level="本科").delete()
    response = client.post(step_url(exam, 3), {"educations": [master.pk]})
    assert "本科或专科" in str(response.context["form"].errors["educations"])


def test_certificate_step_for_junior_college_route(client, exam):
    candidate = make_candidate()
    Profile.objects.create(candidate=candidate, post_category="临床", work_start="2019-08")
    education = Education.objects.create(candidate=candidate, level="专科", length_years=3, study_form="全日制",
                                         entry_date="2016-09", graduation_date="2019-06", school_name="某医专",
                                         major_name="临床医学", diploma_number="D1")  # fmt: skip
    township = Certificate.objects.create(candidate=candidate, cert_type="执业助理医师（乡镇）", issue_date="2021-03",
                                          number="T1", registration_date="2021-06", practice_category="临床")  # fmt: skip
    client.force_login(candidate.user)
    start(client, exam)
    client.post(step_url(exam, 1), {"military": "none"})
    Draft.objects.filter(candidate=candidate).update(step=3)
    assert client.post(step_url(exam, 3), {"educations": [education.pk]})["Location"] == step_url(
        exam, 4
    )
    response = client.post(step_url(exam, 4), {"certificates": [township.pk]})
    assert "不具备报考资格" in str(response.context["form"].errors["certificates"])
    response = client.post(step_url(exam, 4), {})
    assert "执业助理医师" in str(response.context["form"].errors["certificates"])


def test_out_of_window_pages_say_so(client, ready):
    closed = make_exam(open_window=False)
    category = ExamCategory.objects.filter(exam=closed).first()
    html = client.get(reverse("registrations:notice", args=[category.pk])).content.decode()
    assert "网上报名已于" in html and "截止" in html
    assert "网上报名已截止" in client.get(reverse("registrations:choose")).content.decode()
    client.post(reverse("registrations:notice", args=[category.pk]))
    assert not Draft.objects.filter(exam=closed).exists()


def test_a_window_not_yet_open_shows_when_it_opens(client, ready):
    later = make_exam(code="later")
    now = timezone.now()
    later.window_start, later.window_end = (
        now + datetime.timedelta(days=14),
        now + datetime.timedelta(days=28),
    )
    later.save()
    category = ExamCategory.objects.filter(exam=later).first()
    html = client.get(reverse("registrations:notice", args=[category.pk])).content.decode()
    opens = timezone.localtime(later.window_start)
    assert "网上报名尚未开始" in html and f"{opens:%Y年%m月%d日 %H:%M}" in html
    assert "开始报名" in client.get(reverse("registrations:choose")).content.decode()


def test_a_draft_left_open_past_the_deadline_cannot_be_worked_on(client, ready, exam, site):
    draft = make_draft(ready, exam, site)
    saved_at = draft.updated_at
    exam.window_end = exam.window_start
    exam.save()
    response = client.post(step_url(exam, 2), {"duty_status": "在职"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registrations:index")
    assert "网上报名已截止。未提交的报名不能再继续填写。" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).updated_at == saved_at  # nothing saved


def test_abandon_from_the_list(client, ready, exam, site):
    draft = make_draft(ready, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    response = client.post(reverse("registrations:abandon", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.ABANDONED
    assert "已放弃" in client.get(reverse("registrations:index")).content.decode()


def test_other_candidates_registration_is_404(client, ready, exam, site):
    other = make_candidate()
    make_bachelor_profile(other)
    draft = make_draft(other, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    assert client.get(reverse("registrations:detail", args=[registration.pk])).status_code == 404
    assert client.post(reverse("registrations:abandon", args=[registration.pk])).status_code == 404
    assert client.get(step_url(exam, 1)).status_code == 404  # no draft of this candidate


def test_returned_reason_is_shown(client, ready, exam, site):
    draft = make_draft(ready, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    Registration.objects.filter(pk=registration.pk).update(
        status=Status.RETURNED, status_reason="照片不符合要求"
    )
    assert "照片不符合要求" in client.get(reverse("registrations:index")).content.decode()


def test_anonymous_and_staff(client):
    from yikao.accounts.models import User

    assert "/accounts/login/" in client.get(reverse("registrations:index"))["Location"]
    client.force_login(User.objects.create_user("staff8", "Staff2026pass", is_staff=True))
    assert client.get(reverse("registrations:index")).status_code == 404


def test_travel_permit_number_is_sealed_in_the_draft_and_the_snapshot(client, exam, site):
    from django.db import connection

    from yikao.accounts.identity import IdType
    from yikao.core import crypto

    permit = "H12345678"
    candidate = make_candidate(id_type=IdType.HONG_KONG_ID, id_number="A1234563")
    make_bachelor_profile(candidate)
    make_photo(candidate)
    client.force_login(candidate.user)
    start(client, exam)
    refused = client.post(step_url(exam, 1), {"military": "none", "hmt_permit": ""})
    assert "台港澳人士请填写往来大陆通行证号码。" in refused.content.decode()
    client.post(step_url(exam, 1), {"military": "none", "hmt_permit": permit})
    draft = Draft.objects.get(candidate=candidate)
    assert permit not in str(draft.data)
    # Back on step 1 the number is shown to its owner again.
    assert f'value="{permit}"' in client.get(step_url(exam, 1)).content.decode()

    draft = make_draft(candidate, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    basic = registration.snapshot["basic"]
    assert basic["hmt_permit_masked"] == "H1*****78"
    assert crypto.decrypt(basic["hmt_permit_sealed"], purpose="snapshot.hmt_permit") == permit
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot FROM registrations_registration")
        assert permit not in str(cursor.fetchall())


def test_work_step_keeps_what_was_typed_while_picking_a_unit(client, ready, exam):
    from yikao.directory.models import Region
    from yikao.directory.services import institution_create_unverified

    province = Region.objects.create(code="410000", name="河南省", level=1, path="河南省")
    city = Region.objects.create(
        code="410100", name="郑州市", level=2, parent=province, path="河南省/郑州市"
    )
    county = Region.objects.create(
        code="410102", name="中原区", level=3, parent=city, path="河南省/郑州市/中原区"
    )
    unit = institution_create_unverified(
        name="郑州市中原区新华诊所", region=county, affiliation="其他", kind="诊所"
    )
    start(client, exam)
    client.post(step_url(exam, 1), {"military": "none"})
    page = client.get(step_url(exam, 2)).content.decode()
    assert "pick_work_unit" in page

    typed = {"work-department": "急诊科", "work-position": "住院医师", "action": "pick_work_unit"}
    response = client.post(step_url(exam, 2), typed)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("directory:institution_pick"))
    assert Profile.objects.get(candidate=ready).department != "急诊科"  # nothing saved yet

    back = client.get(step_url(exam, 2), {"institution": unit.code}).content.decode()
    assert 'value="急诊科"' in back and 'value="住院医师"' in back
    assert unit.name in back


def test_a_submit_racing_a_finished_one_lands_on_the_list(client, ready, exam, site, monkeypatch):
    # Two 提交 at once (two tabs, or two servers): this request read the draft, then the
    # other one registered and deleted it before this one saved the step.
    from yikao.registrations import views

    draft = make_draft(ready, exam, site)
    stale = Draft.objects.select_related("exam", "category", "candidate__user").get(pk=draft.pk)
    registration = registration_submit(draft=draft, token=draft.token)
    monkeypatch.setattr(views, "draft_of", lambda candidate, exam_id: stale)
    form = {"area": site.area.code, "site": str(site.pk), "token": draft.token, "go": "submit"}
    response = client.post(step_url(exam, 5), form)
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:index")
    assert list(Registration.objects.filter(candidate=ready)) == [registration]


def test_draft_save_of_a_deleted_draft_says_so(ready, exam, site):
    from yikao.registrations.services import DraftGone, draft_save

    draft = make_draft(ready, exam, site)
    Draft.objects.filter(pk=draft.pk).delete()
    with pytest.raises(DraftGone):
        draft_save(draft=draft, step=5, values={"area": "41"})


def test_a_photo_checked_under_another_exams_rules_is_refused_at_submit(client, exam, site):
    """An exam with its own photo limits (here 20 KB, not 30) needs a photo checked under
    them: the step says so next to the photo, submit stores nothing, and a photo checked
    for this exam goes through."""
    exam.photo_max_bytes = 20 * 1024
    exam.save()
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    make_photo(candidate)  # checked under the default rules (30 KB)
    client.force_login(candidate.user)
    draft = make_draft(candidate, exam, site)
    page = client.get(step_url(exam, 5)).content.decode()
    assert "当前照片不是按本次考试的照片要求检测的" in page
    form = {"area": site.area.code, "site": site.pk, "token": draft.token}
    refused = client.post(step_url(exam, 5), form)
    assert refused.status_code == 200
    assert "当前照片不是按本次考试的照片要求检测的" in refused.content.decode()
    assert not Registration.objects.filter(candidate=candidate).exists()

    from yikao.photos.models import CandidatePhoto

    CandidatePhoto.objects.filter(candidate=candidate).update(is_current=False)
    make_photo(candidate, profile=exam.photo_profile())  # the candidate checks it again
    assert client.post(step_url(exam, 5), form)["Location"] == reverse("registrations:index")
    assert Registration.objects.filter(candidate=candidate).count() == 1
