import base64
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from factories import make_candidate

from yikao.core import crypto
from yikao.core.masking import mask_email, mask_id_number, mask_phone


def raw_row(candidate):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, mobile, id_number_hash FROM accounts_candidate WHERE id = %s",
            [candidate.pk],
        )
        return cursor.fetchone()


@pytest.mark.django_db
def test_id_and_mobile_are_encrypted_at_rest(candidate):
    id_token, mobile_token, id_hash = raw_row(candidate)
    assert candidate.id_number not in id_token and candidate.mobile not in mobile_token
    assert id_token.startswith(crypto.current_key_id() + "$")
    assert candidate.id_number not in id_hash and len(id_hash) == 64


def test_encryption_is_bound_to_its_purpose(settings):
    token = crypto.encrypt("13812345678", purpose="candidate.mobile")
    assert crypto.decrypt(token, purpose="candidate.mobile") == "13812345678"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="candidate.id_number")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, purpose="candidate.mobile")


def _new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _rotate(settings, kid: str) -> str:
    """Puts a new key first, the old ones after it; returns the previous key list."""
    old = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = f"{kid}:{_new_key()},{old}"
    return old


def _reencrypt() -> str:
    out = io.StringIO()
    call_command("reencrypt_personal_data", stdout=out)
    return out.getvalue()


def _sealed_tokens(changes) -> list[str]:
    return [
        value["sealed"]
        for change in changes.values()
        for value in (change["old"], change["new"])
        if isinstance(value, dict)
    ]


@pytest.fixture
def sealed_world(db):
    """Two candidates, a registration (its snapshot seals the ID and mobile numbers) and an audit row
    of a correction (old and new ID and mobile numbers sealed), all under the first key."""
    from factories import make_bachelor_profile, make_draft, make_exam, make_site

    from yikao.core.audit import audit_record, diff_fields
    from yikao.registrations.services import registration_submit

    first, second = make_candidate(), make_candidate()
    exam = make_exam()
    make_bachelor_profile(first)
    draft = make_draft(first, exam, make_site(exam))
    registration = registration_submit(draft=draft, token=draft.token)
    before = {"id_number": second.id_number, "mobile": second.mobile, "full_name": "旧名"}
    after = {"id_number": "11010519491231002X", "mobile": "13900000000", "full_name": "新名"}
    entry = audit_record(
        actor=None, subject=second.user, action="account.basic_info_corrected",
        target=second, changes=diff_fields(before, after),
    )  # fmt: skip
    return {"candidates": (first, second), "registration": registration, "audit": entry,
            "before": before, "after": after}  # fmt: skip


@pytest.mark.django_db
def test_key_rotation_reencrypts_everything(settings, sealed_world):
    from yikao.core.models import AuditEntry
    from yikao.documents.mapping import id_number as printed_id_number
    from yikao.documents.mapping import mobile as printed_mobile

    first, second = sealed_world["candidates"]
    _rotate(settings, "k2")
    out = _reencrypt()
    assert "re-encrypted 2 candidates under key k2" in out
    assert "re-sealed 1 registration snapshots (2 values) under key k2" in out
    assert "re-sealed 1 audit rows (4 values) under key k2" in out
    for candidate in (first, second):
        id_token, mobile_token, _ = raw_row(candidate)
        assert id_token.startswith("k2$") and mobile_token.startswith("k2$")

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]  # old key gone
    first.refresh_from_db()
    assert len(first.id_number) == 18
    registration = sealed_world["registration"]
    registration.refresh_from_db()
    sealed = registration.snapshot["basic"]["id_number_sealed"]
    assert sealed.startswith("k2$")
    assert crypto.decrypt(sealed, purpose="snapshot.id_number") == first.id_number
    assert printed_id_number(registration) == first.id_number
    sealed_mobile = registration.snapshot["basic"]["mobile_sealed"]
    assert sealed_mobile.startswith("k2$")
    assert crypto.decrypt(sealed_mobile, purpose="snapshot.mobile") == first.mobile
    assert printed_mobile(registration) == first.mobile  # in full, not the masked fallback
    changes = AuditEntry.objects.get(pk=sealed_world["audit"].pk).changes
    assert all(t.startswith("k2$") for t in _sealed_tokens(changes))
    for field in ("id_number", "mobile"):
        for side, values in (("old", sealed_world["before"]), ("new", sealed_world["after"])):
            token = changes[field][side]["sealed"]
            assert crypto.decrypt(token, purpose="audit") == values[field]
    assert changes["full_name"] == {"old": "旧名", "new": "新名"}  # untouched


@pytest.mark.django_db
def test_key_rotation_is_idempotent(settings, sealed_world):
    _rotate(settings, "k2")
    _reencrypt()
    registration = sealed_world["registration"]
    registration.refresh_from_db()
    sealed = registration.snapshot["basic"]["id_number_sealed"]
    again = _reencrypt()
    assert "re-encrypted 0 candidates" in again
    assert "re-sealed 0 registration snapshots (0 values)" in again
    assert "re-sealed 0 audit rows (0 values)" in again
    registration.refresh_from_db()
    assert registration.snapshot["basic"]["id_number_sealed"] == sealed  # not rewritten


@pytest.mark.django_db
def test_key_rotation_reports_values_it_cannot_read(settings, sealed_world):
    from django.core.management.base import CommandError

    registration = sealed_world["registration"]
    registration.refresh_from_db()
    stale_snapshot = registration.snapshot
    first_keys = _rotate(settings, "k2")
    k2 = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]
    # The first key dropped before the command ran: the rows under it cannot be read.
    settings.FIELD_ENCRYPTION_KEYS = f"k3:{_new_key()},{k2}"
    with pytest.raises(CommandError, match="4 rows"):  # 2 candidates, 1 snapshot, 1 audit row
        _reencrypt()
    registration.refresh_from_db()
    assert registration.snapshot == stale_snapshot  # left as it was, for the old key
    settings.FIELD_ENCRYPTION_KEYS = f"{settings.FIELD_ENCRYPTION_KEYS},{first_keys}"
    assert "re-sealed 1 registration snapshots" in _reencrypt()


def test_masks():
    assert mask_id_number("410102199805200011") == "4101**********0011"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_email("lisi@example.com") == "l***@example.com"
    assert mask_id_number("") == ""
