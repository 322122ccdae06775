"""The online window is read from the server's clock at submit: a draft begun while the
window was open cannot be submitted before it opens or after it closes."""

import datetime

import pytest
from django.utils import timezone
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.core.models import AuditEntry
from yikao.profiles.models import Education
from yikao.registrations.models import Registration
from yikao.registrations.services import RegistrationError, registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    exam = make_exam()
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    return make_draft(candidate, exam, make_site(exam, capacity=5))


def _move_window(exam, *, start_in_days: float, end_in_days: float) -> None:
    now = timezone.now()
    exam.window_start = now + datetime.timedelta(days=start_in_days)
    exam.window_end = now + datetime.timedelta(days=end_in_days)
    exam.save()


def _nothing_was_written(draft) -> None:
    assert not Registration.objects.exists()
    assert not Education.objects.filter(candidate=draft.candidate, locked=True).exists()
    assert not AuditEntry.objects.filter(action="registration.submitted").exists()


def test_submit_after_the_window_closed_is_refused(draft):
    _move_window(draft.category.exam, start_in_days=-20, end_in_days=-1)
    with pytest.raises(RegistrationError, match="网上报名已截止"):
        registration_submit(draft=draft, token=draft.token)
    _nothing_was_written(draft)


def test_submit_before_the_window_opens_is_refused_with_the_opening_time(draft):
    _move_window(draft.category.exam, start_in_days=3, end_in_days=17)
    opens = timezone.localtime(draft.category.exam.window_start)
    with pytest.raises(RegistrationError, match="网上报名尚未开始") as refused:
        registration_submit(draft=draft, token=draft.token)
    assert f"{opens:%Y年%m月%d日 %H:%M}" in str(refused.value)
    _nothing_was_written(draft)
