import datetime

import pytest
from factories import make_candidate, resident_id

from yikao.accounts.identity import Gender, IdType
from yikao.accounts.models import User
from yikao.accounts.services import AccountError, candidate_basic_info_correct
from yikao.core import crypto
from yikao.core.models import AuditEntry


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff01", "Staff2026pass", is_staff=True)


@pytest.mark.django_db
def test_basic_info_correction_is_audited_with_old_and_new_values(staff):
    candidate = make_candidate(full_name="张三")
    old_number = candidate.id_number
    new_number = resident_id(birth="19980521", seq=41)
    candidate_basic_info_correct(
        staff=staff,
        candidate=candidate,
        reason="身份证原件核对，出生日期录入有误",
        full_name="张叁",
        id_type=IdType.RESIDENT_ID,
        id_number=new_number,
        gender=Gender.MALE,
        birth_date=datetime.date(1998, 5, 21),
    )
    candidate.refresh_from_db()
    assert (candidate.full_name, candidate.id_number) == ("张叁", new_number)
    assert candidate.corrected_at is not None
    entry = AuditEntry.objects.get(action="account.basic_info_corrected")
    assert entry.actor == staff and entry.subject == candidate.user
    assert entry.reason == "身份证原件核对，出生日期录入有误"
    assert entry.changes["full_name"] == {"old": "张三", "new": "张叁"}
    id_change = entry.changes["id_number"]
    assert old_number not in str(entry.changes) and new_number not in str(entry.changes)
    assert crypto.decrypt(id_change["old"]["sealed"], purpose="audit") == old_number
    assert id_change["new"]["masked"] == new_number[:4] + "*" * 10 + new_number[-4:]


@pytest.mark.django_db
def test_basic_info_correction_needs_a_reason_and_a_change(staff):
    candidate = make_candidate()
    kwargs = dict(
        full_name=candidate.full_name,
        id_type=IdType.RESIDENT_ID,
        id_number=candidate.id_number,
        gender=Gender.MALE,
        birth_date=candidate.birth_date,
    )
    with pytest.raises(AccountError, match="原因"):
        candidate_basic_info_correct(staff=staff, candidate=candidate, reason=" ", **kwargs)
    with pytest.raises(AccountError, match="相同"):
        candidate_basic_info_correct(staff=staff, candidate=candidate, reason="核对", **kwargs)
    assert not AuditEntry.objects.filter(action="account.basic_info_corrected").exists()


@pytest.mark.django_db
def test_basic_info_correction_refuses_another_accounts_id(staff):
    first, second = make_candidate(), make_candidate()
    with pytest.raises(AccountError, match="另一个账户"):
        candidate_basic_info_correct(
            staff=staff,
            candidate=first,
            reason="核对",
            full_name=first.full_name,
            id_type=IdType.RESIDENT_ID,
            id_number=second.id_number,
            gender=Gender.MALE,
            birth_date=first.birth_date,
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [("203.0.113.9", "203.0.113.9"), ("2001:db8::1", "2001:db8::1"), ("unknown", None), ("", None)],
)
def test_audit_keeps_only_real_addresses(given, stored):
    from yikao.core.audit import audit_record

    entry = audit_record(actor=None, action="test.address", ip_address=given)
    entry.refresh_from_db()
    assert entry.ip_address == stored


@pytest.mark.django_db
def test_audit_records_write_the_rows_audit_record_writes(staff, django_assert_num_queries):
    """The bulk helper writes, in one INSERT, field for field the rows of audit_record
    (a column added to one and not the other fails here)."""
    from yikao.core.audit import audit_record, audit_records
    from yikao.core.middleware import _request_id

    candidate = make_candidate()
    records = [
        {"actor": staff, "subject": candidate.user, "action": "test.bulk", "target": candidate,
         "changes": {"id_number": {"old": None, "new": "x"}}, "reason": "核对",
         "ip_address": "192.0.2.7"},
        {"actor": User(), "action": "test.bulk", "ip_address": "unknown"},  # unsaved actor
    ]  # fmt: skip
    token = _request_id.set("req0123456789abc")
    try:
        singles = [audit_record(**record) for record in records]
        with django_assert_num_queries(1):
            bulk = audit_records(records)
    finally:
        _request_id.reset(token)
    assert audit_records([]) == []
    fields = [
        f.attname for f in AuditEntry._meta.concrete_fields if f.name not in ("id", "created_at")
    ]
    stored = AuditEntry.objects.filter(action="test.bulk").order_by("id")
    rows = [[getattr(entry, name) for name in fields] for entry in stored]
    assert len(rows) == 4 and rows[:2] == rows[2:]
    assert [entry.pk for entry in bulk] == [entry.pk for entry in stored[2:]]
    assert rows[0][fields.index("request_id")] == "req0123456789abc"
    assert rows[1][fields.index("actor_id")] is None and rows[1][fields.index("ip_address")] is None
    assert all(entry.created_at for entry in stored) and singles[0].pk < bulk[0].pk
