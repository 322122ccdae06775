"""Printing a registration's forms (which carry the full ID number) writes one audit row,
and the row holds no personal data: who printed which forms of which registration."""

import json
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from factories import make_candidate

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration

from yikao.core.masking import mask_id_number, mask_phone
from yikao.core.models import AuditEntry
from yikao.documents.pdf import FORM_TITLES
from yikao.registrations.services import registration_abandon
from yikao.review.history import describe

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return make_registration(full_name="赵𠮷䶮")


@pytest.fixture
def owner(client, registration):
    client.force_login(registration.candidate.user)
    return client


def _printed():
    return list(AuditEntry.objects.filter(action="documents.printed"))


def _row_text(entry: AuditEntry) -> str:
    fields = {f.attname: getattr(entry, f.attname) for f in AuditEntry._meta.concrete_fields}
    return json.dumps(fields, ensure_ascii=False, default=str)


def test_print_writes_one_audit_row_without_personal_data(owner, registration):
    url = reverse("documents:registration_form", args=[registration.pk, "registration_form"])
    response = owner.get(url, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 200
    (entry,) = _printed()
    candidate = registration.candidate
    assert entry.actor_id == entry.subject_id == candidate.user_id
    assert entry.target_type == "registrations.registration"
    assert entry.target_id == str(registration.pk)
    assert entry.reason == FORM_TITLES["registration_form"]
    assert entry.ip_address == "10.0.0.7"
    assert entry.changes == {}
    text = _row_text(entry)
    for personal in (candidate.id_number, mask_id_number(candidate.id_number),
                     candidate.mobile, mask_phone(candidate.mobile), candidate.full_name):  # fmt: skip
        assert personal not in text
    [described] = describe([entry])
    assert described.label == "打印报名材料"


def test_printing_all_forms_is_one_row_naming_each_form(owner, registration):
    response = owner.get(reverse("documents:registration_all", args=[registration.pk]))
    assert response.status_code == 200
    (entry,) = _printed()
    titles = entry.reason.split("、")
    assert titles[0] == FORM_TITLES["registration_form"] and len(titles) >= 2
    assert set(titles) <= set(FORM_TITLES.values())


def test_each_print_is_audited(owner, registration):
    url = reverse("documents:registration_form", args=[registration.pk, "exam_pledge"])
    assert [owner.get(url).status_code for _ in range(2)] == [200, 200]
    assert len(_printed()) == 2


def test_refused_prints_write_nothing(owner, registration):
    url = reverse("documents:registration_form", args=[registration.pk, "registration_form"])
    stranger = Client()
    stranger.force_login(make_candidate().user)
    assert stranger.get(url).status_code == 404  # someone else's registration
    unneeded = reverse("documents:registration_form", args=[registration.pk, "rural_consent"])
    assert owner.get(unneeded).status_code == 404  # a form this registration does not need
    registration_abandon(candidate=registration.candidate, registration=registration)
    assert owner.get(url).status_code == 410
    assert _printed() == []
