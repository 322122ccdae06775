"""首页 and 考试报名 show the one next step that applies, in each state of the path."""

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
from yikao.profiles.models import Profile
from yikao.registrations.models import Registration, Status
from yikao.registrations.services import draft_save, draft_start, registration_submit

pytestmark = pytest.mark.django_db


def shown(client) -> tuple[str, str]:
    home = client.get("/").content.decode()
    index = client.get(reverse("registrations:index")).content.decode()
    return home, index


def test_each_state_shows_its_next_step(client):
    exam = make_exam()
    site = make_site(exam)
    candidate = make_candidate()
    client.force_login(candidate.user)
    home, _ = shown(client)
    assert "报名前请先完善个人信息" in home and 'href="/profile/"' in home

    make_bachelor_profile(candidate)
    Profile.objects.filter(candidate=candidate).update(submitted_at=timezone.now())
    make_photo(candidate)
    home, _ = shown(client)
    assert "可以开始考试报名" in home

    category = ExamCategory.objects.get(exam=exam, category="clinical", level="physician")
    draft = draft_start(candidate=candidate, category=category)
    draft_save(draft=draft, step=3, values={"military": "none"})
    home, index = shown(client)
    assert "已填到第3步（教育经历和培训经历）" in home and "继续填写" in index

    draft = make_draft(candidate, exam, site)
    registration = registration_submit(draft=draft, token=draft.token)
    home, index = shown(client)
    assert "等待考点审核" in home and registration.number in home and "打印报名材料" in index

    Registration.objects.filter(pk=registration.pk).update(
        status=Status.RETURNED, status_reason="照片不清晰"
    )
    home, index = shown(client)
    assert "被退回：照片不清晰" in home and "放弃并重新报名" in index

    Registration.objects.filter(pk=registration.pk).update(status=Status.SITE_APPROVED)
    home, _ = shown(client)
    assert "请预约现场信息采集时间" in home
    assert reverse("appointments:book", args=[registration.pk]) in home
