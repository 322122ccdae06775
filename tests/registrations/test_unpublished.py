"""An exam that is not published (or whose window is not open) takes no registration,
whatever page the request comes through: the services refuse it, not only the lists."""

import pytest
from django.urls import reverse
from factories import make_bachelor_profile, make_draft, make_exam, make_site

from yikao.exams.models import Exam, ExamCategory
from yikao.registrations.models import Draft, Registration
from yikao.registrations.services import RegistrationError, draft_start, registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(db):
    exam = make_exam()
    Exam.objects.filter(pk=exam.pk).update(is_published=False)
    return ExamCategory.objects.select_related("exam").get(exam=exam, level="physician")


def _login(client, candidate):
    client.force_login(candidate.user, backend="yikao.accounts.backends.UsernameOrIdNumberBackend")
    return client


def test_draft_start_refuses_a_category_of_an_unpublished_exam(candidate, hidden):
    with pytest.raises(RegistrationError) as refused:
        draft_start(candidate=candidate, category=hidden)
    assert refused.value.code == "unpublished"
    assert not Draft.objects.filter(candidate=candidate).exists()


def test_draft_start_refuses_a_closed_window(candidate):
    closed = make_exam(open_window=False)
    category = ExamCategory.objects.get(exam=closed, level="physician")
    with pytest.raises(RegistrationError) as refused:
        draft_start(candidate=candidate, category=category)
    assert refused.value.code == "window"


def test_submit_refuses_a_draft_whose_exam_was_unpublished_since(candidate):
    exam = make_exam()
    site = make_site(exam)
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    Exam.objects.filter(pk=exam.pk).update(is_published=False)
    draft.exam.refresh_from_db()
    with pytest.raises(RegistrationError) as refused:
        registration_submit(draft=draft, token=draft.token)
    assert refused.value.code == "unpublished"
    assert not Registration.objects.filter(candidate=candidate).exists()


def test_posting_to_the_notice_of_a_hidden_category_registers_nothing(client, candidate, hidden):
    url = reverse("registrations:notice", args=[hidden.pk])
    _login(client, candidate)
    assert client.get(url).status_code == 404
    response = client.post(url)
    assert response.status_code in (302, 404)
    assert not Draft.objects.filter(candidate=candidate).exists()


def test_the_wizard_does_not_continue_a_draft_of_an_exam_unpublished_since(client, candidate):
    exam = make_exam()
    site = make_site(exam)
    make_bachelor_profile(candidate)
    draft = make_draft(candidate, exam, site)
    Exam.objects.filter(pk=exam.pk).update(is_published=False)
    _login(client, candidate)
    for number in (1, 5):
        url = reverse("registrations:step", args=[exam.pk, number])
        response = client.post(url, {"token": draft.token, "site": site.pk, "area": "41"})
        assert response.status_code == 302 and response["Location"] == reverse(
            "registrations:index"
        )
    assert not Registration.objects.filter(candidate=candidate).exists()
