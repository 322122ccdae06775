"""The candidate's path without dead ends: resume at every step (with and without the
certificate step), 上一步 without judging, another category asks first, and a returned
registration → 放弃并重新报名 → submitted again, linked to the one it replaces."""

import pytest
from django.urls import reverse
from factories import (
    make_bachelor_profile,
    make_candidate,
    make_draft,
    make_exam,
    make_photo,
    make_site,
)

from yikao.exams.models import ExamCategory
from yikao.profiles.models import Certificate, Education
from yikao.registrations.models import Draft, Registration, Status
from yikao.registrations.services import draft_save, draft_start, registration_submit

pytestmark = pytest.mark.django_db
INDEX = reverse("registrations:index")


@pytest.fixture
def exam():
    return make_exam()


@pytest.fixture
def site(exam):
    return make_site(exam, capacity=10)


@pytest.fixture
def ready(client, exam):
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    make_photo(candidate)
    client.force_login(candidate.user)
    return candidate


def step_url(exam, number):
    return reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": number})


def category(exam, level="physician"):
    return ExamCategory.objects.get(exam=exam, category="clinical", level=level)


def resume_link(client) -> str:
    html = client.get(INDEX).content.decode()
    start = html.index("继续填写")
    href = html.rindex('href="', 0, start) + 6
    return html[href : html.index('"', href)]


@pytest.mark.parametrize("with_certificate", [False, True])
@pytest.mark.parametrize("saved_step", [1, 2, 3, 4, 5])
def test_resume_opens_a_shown_step_at_every_point(
    client, ready, exam, saved_step, with_certificate
):
    if with_certificate:
        Certificate.objects.create(candidate=ready, cert_type="医师资格证书", issue_date="2022-01",
                                   number="C1")  # fmt: skip
    draft = draft_start(candidate=ready, category=category(exam))
    draft_save(draft=draft, step=saved_step, values={})
    link = resume_link(client)
    response = client.get(link)
    assert response.status_code == 200, (link, response.get("Location"))
    shown = [s.number for s in response.context["steps"]]
    assert response.context["current"].number in shown
    assert (4 in shown) == with_certificate
    # A link to a hidden or unreached step lands on a shown one, never in a loop.
    for number in (4, 5):
        response = client.get(step_url(exam, number), follow=True)
        assert response.status_code == 200 and len(response.redirect_chain) <= 1


def test_back_keeps_what_was_typed_and_judges_nothing(client, ready, exam):
    draft = draft_start(candidate=ready, category=category(exam))
    draft_save(draft=draft, step=3, values={"military": "none"})
    # Step 3 with nothing ticked would be refused by 下一步; 上一步 goes back all the same.
    response = client.post(step_url(exam, 3), {"go": "back"})
    assert response["Location"] == step_url(exam, 2)
    # Step 2 typed with an error, then 上一步: back to step 1, what was typed kept.
    typed = {"go": "back", "work-title": "主治医师（中级）", "work-title_date": "",
             "work-department": "急诊科"}  # fmt: skip
    assert client.post(step_url(exam, 2), typed)["Location"] == step_url(exam, 1)
    page = client.get(step_url(exam, 2)).content.decode()
    assert 'value="急诊科"' in page
    assert "请同时填写取得职称年月" not in page  # not judged on the way back
    # 下一步 from step 1 and back to step 2: still there until saved.
    assert client.post(step_url(exam, 1), {"military": "none"})["Location"] == step_url(exam, 2)
    assert 'value="急诊科"' in client.get(step_url(exam, 2)).content.decode()


def test_back_keeps_ticked_records(client, ready, exam):
    draft = draft_start(candidate=ready, category=category(exam))
    draft_save(draft=draft, step=4, values={"military": "none", "educations": []})
    education = Education.objects.get(candidate=ready)
    client.post(step_url(exam, 3), {"go": "back", "educations": [education.pk]})
    form = client.get(step_url(exam, 3)).context["form"]
    assert [int(pk) for pk in form["educations"].value()] == [education.pk]


def test_choosing_another_category_asks_before_restarting(client, ready, exam):
    draft = draft_start(candidate=ready, category=category(exam))
    draft_save(draft=draft, step=3, values={"military": "none"})
    other = category(exam, "assistant")
    notice = reverse("registrations:notice", args=[other.pk])
    response = client.post(notice)
    assert response.status_code == 200 and "改报临床执业助理医师" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.category_id, draft.step) == (category(exam).pk, 3)  # untouched
    assert client.post(notice, {"switch": "1"})["Location"] == step_url(exam, 1)
    draft.refresh_from_db()
    assert (draft.category_id, draft.step) == (other.pk, 1)


def test_a_returned_registration_is_redone_and_linked(client, ready, exam, site):
    draft = make_draft(ready, exam, site)
    first = registration_submit(draft=draft, token=draft.token)
    Registration.objects.filter(pk=first.pk).update(status=Status.RETURNED,
                                                    status_reason="毕业证书编号有误")  # fmt: skip
    html = client.get(INDEX).content.decode()
    assert "毕业证书编号有误" in html and "放弃并重新报名" in html
    response = client.post(reverse("registrations:redo", args=[first.pk]))
    assert response["Location"] == step_url(exam, 1)
    first.refresh_from_db()
    assert first.status == Status.ABANDONED
    draft = Draft.objects.get(candidate=ready, exam=exam)
    assert draft.category_id == first.category_id and draft.data["site"] == site.pk
    assert draft.data["educations"] == list(first.educations.values_list("pk", flat=True))
    # Every step is open; walk through with what was kept, and submit.
    assert client.post(step_url(exam, 1), {"military": "none"}).status_code == 302
    page = client.get(step_url(exam, 5), {"area": site.area.code})
    assert page.context["decision"].status == "eligible"
    client.post(step_url(exam, 5), {"area": site.area.code, "site": site.pk, "token": draft.token})
    second = Registration.objects.get(candidate=ready, exam=exam, status=Status.SUBMITTED)
    assert second.replaces_id == first.pk
    assert f"替代被退回的报名 {first.number}" in client.get(INDEX).content.decode()


def test_only_a_returned_registration_can_be_redone(client, ready, exam, site):
    draft = make_draft(ready, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    response = client.post(reverse("registrations:redo", args=[registration.pk]), follow=True)
    assert "只有被退回的报名可以放弃并重新报名" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Status.SUBMITTED
    other = make_candidate()
    client.force_login(other.user)
    assert client.post(reverse("registrations:redo", args=[registration.pk])).status_code == 404
