"""What the snapshot's basic block holds, at submission and after a staff correction."""

import pytest
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.core import crypto
from yikao.registrations import snapshot
from yikao.registrations.services import registration_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    candidate = make_candidate(full_name="张三")
    make_bachelor_profile(candidate)
    exam = make_exam()
    draft = make_draft(candidate, exam, make_site(exam))
    return registration_submit(draft=draft, token=draft.token)


def test_basic_block_seals_the_id_and_mobile_numbers_and_masks_them(registration):
    candidate, basic = registration.candidate, registration.snapshot["basic"]
    assert basic["id_number_masked"] == candidate.masked_id_number
    assert basic["mobile_masked"] == candidate.masked_mobile
    assert snapshot.unseal(basic, "id_number") == candidate.id_number
    assert snapshot.unseal(basic, "mobile") == candidate.mobile
    assert crypto.decrypt(basic["mobile_sealed"], purpose="snapshot.mobile") == candidate.mobile
    assert candidate.id_number not in str(basic) and candidate.mobile not in str(basic)


def test_unseal_is_empty_for_a_missing_or_unreadable_value(registration):
    basic = dict(registration.snapshot["basic"])
    del basic["mobile_sealed"]
    assert snapshot.unseal(basic, "mobile") == ""
    basic["id_number_sealed"] = crypto.encrypt("x", purpose="snapshot.mobile")  # wrong purpose
    assert snapshot.unseal(basic, "id_number") == ""


def test_identity_correct_replaces_only_the_basic_information(registration):
    candidate = registration.candidate
    data = registration.snapshot
    before = {k: v for k, v in data["basic"].items() if k not in snapshot.identity(candidate)}
    candidate.full_name = "张叁"
    changes = snapshot.identity_correct(data, candidate)
    assert set(changes) == {"full_name"}
    assert data["basic"]["full_name"] == "张叁"
    assert {k: data["basic"][k] for k in before} == before  # mobile, email, military …
    assert snapshot.identity_correct(data, candidate) == {}  # already the same


def test_identity_correct_compares_old_snapshots_by_their_masked_number(registration):
    """A snapshot whose sealed number is gone (or under a retired key) still compares."""
    candidate = registration.candidate
    data = registration.snapshot
    del data["basic"]["id_number_sealed"]
    candidate.full_name = "张叁"
    changes = snapshot.identity_correct(data, candidate)
    assert set(changes) == {"full_name"}  # the number itself did not change
    assert snapshot.unseal(data["basic"], "id_number") == candidate.id_number  # sealed again
    data["basic"]["id_number_sealed"] = "k0$retired"
    candidate.id_number = "11010519491231002X"
    changes = snapshot.identity_correct(data, candidate)
    assert set(changes) == {"id_number"} and "11010519491231002X" not in str(changes)
    assert changes["id_number"]["new"]["masked"] == "1101**********002X"
