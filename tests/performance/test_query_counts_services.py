"""Exact query counts of the two hottest state changes, registration_submit and
registration_abandon, called as the views call them (draft and registration from the
selectors, the candidate from the logged-in user). Entry locks, unlocks and their audit
rows are one statement per model, so the counts do not grow with the number of entries.

Measured (SQLite and PostgreSQL alike; the test's transaction makes the services' atomic
blocks savepoints, 2 of the queries): submit 26 → 15 with one education, 38 → 21 with
three educations + a training + a certificate; abandon 21 → 13 and 37 → 15.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.accounts.models import User
from yikao.core.models import AuditEntry
from yikao.profiles.models import Certificate, Education, Training
from yikao.registrations.selectors import draft_of, registration_of
from yikao.registrations.services import draft_save, registration_abandon, registration_submit

pytestmark = pytest.mark.django_db

# (educations, trainings, certificates) -> (submit, abandon)
# Submit reads the earlier work periods once (the engine counts them, the snapshot copies them).
# Each includes the 站内消息 row of the move (inbox.notify); abandon also the look for a
# pending order to close (payments.services.on_registration_moved).
EXACT = {(1, 0, 0): (17, 15), (3, 1, 1): (23, 17)}


def _measure(exam, site, educations: int, trainings: int, certificates: int) -> tuple[int, int]:
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    for n in range(educations - 1):  # earlier studies: ticked, no effect on eligibility
        Education.objects.create(
            candidate=candidate, level="专科", length_years=3, study_form="全日制",
            entry_date=f"{2000 + 4 * n}-09", graduation_date=f"{2003 + 4 * n}-06",
            school_name="某卫生学校", major_name="护理", major_code="520201",
        )  # fmt: skip
    for n in range(trainings):
        Training.objects.create(candidate=candidate, kind="住院医师规范化培训", base_name="郑大一附院",
                                major_name="内科", start_date=f"{2024 - n}-08", end_date=f"{2027 - n}-07")  # fmt: skip
    for n in range(certificates):
        Certificate.objects.create(candidate=candidate, cert_type="护士执业证书",
                                   issue_date=f"{2010 + n}-01", number=f"N{n}")  # fmt: skip
    draft = make_draft(candidate, exam, site)
    draft_save(draft=draft, step=5, values={
        "trainings": list(candidate.training_set.values_list("pk", flat=True)),
        "certificates": list(candidate.certificate_set.values_list("pk", flat=True)),
    })  # fmt: skip
    user = User.objects.get(pk=candidate.user_id)  # as the request loads it
    draft = draft_of(user.candidate, exam.pk)
    with CaptureQueriesContext(connection) as submit:
        registration = registration_submit(draft=draft, token=draft.token)
    assert registration.educations.count() == educations
    assert registration.trainings.count() == trainings
    assert registration.certificates.count() == certificates
    user = User.objects.get(pk=candidate.user_id)
    registration = registration_of(user.candidate, registration.pk)
    with CaptureQueriesContext(connection) as abandon:
        registration_abandon(candidate=user.candidate, registration=registration)
    entries = educations + trainings + certificates
    subject = AuditEntry.objects.filter(subject=user)
    assert subject.filter(action="profile.entry_locked").count() == entries
    assert subject.filter(action="profile.entry_unlocked").count() == entries
    return len(submit), len(abandon)


@pytest.fixture
def exam_site():
    exam = make_exam()
    return exam, make_site(exam, capacity=100)


@pytest.mark.parametrize("shape", sorted(EXACT), ids=lambda s: "{}-edu_{}-trn_{}-crt".format(*s))
def test_submit_and_abandon_exact_query_counts(exam_site, shape):
    assert _measure(*exam_site, *shape) == EXACT[shape]


def test_submit_and_abandon_query_counts_do_not_grow_with_entries(exam_site):
    # More entries of the same kinds: the same statements, with longer IN lists and VALUES.
    assert _measure(*exam_site, 1, 0, 0) == _measure(*exam_site, 4, 0, 0)
    assert _measure(*exam_site, 3, 1, 1) == _measure(*exam_site, 5, 3, 3)
