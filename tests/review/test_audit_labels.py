"""The audit viewer and a registration's history read in Chinese: every action code the
code writes has a label, every field name its changes hold has one, status codes and
hashes never reach a staff page."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_photo
from review_helpers import make_registration, staff_login

from yikao.core.audit import audit_record, diff_fields
from yikao.core.models import AuditEntry
from yikao.review import audit_labels
from yikao.review.history import describe
from yikao.review.services import review_site_approve

SOURCE = Path(__file__).resolve().parents[2] / "yikao"
CODE = re.compile(r"([a-z]+)\.[a-z_]+")
NOT_ACTIONS = {"photo.jpg"}  # a file name that looks like a code


def _trees():
    for path in SOURCE.rglob("*.py"):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _actions_in_code() -> set[str]:
    """Codes passed as action= (or "action": in a record), then every string of the same
    shape and group anywhere (a code kept in a table, as the registration life cycle's
    moves keep theirs), and the review decisions written as f"review.{action}"."""
    from yikao.review.models import Decision

    passed, strings = set(), set()
    for _, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "action":
                values = [node.value] if not isinstance(node.value, ast.IfExp) else [
                    node.value.body, node.value.orelse]  # fmt: skip
                passed |= {v.value for v in values if isinstance(v, ast.Constant)}
            if isinstance(node, ast.Dict):
                passed |= {
                    v.value
                    for k, v in zip(node.keys, node.values, strict=True)
                    if isinstance(k, ast.Constant) and k.value == "action"
                    and isinstance(v, ast.Constant)
                }  # fmt: skip
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
    passed = {p for p in passed if isinstance(p, str) and CODE.fullmatch(p)}
    groups = {CODE.fullmatch(p).group(1) for p in passed}
    shaped = {s for s in strings if CODE.fullmatch(s)}
    found = passed | {s for s in shaped if CODE.fullmatch(s).group(1) in groups}
    found |= {f"review.{a}" for a in Decision.Action.values}
    return found - NOT_ACTIONS


def _dict_keys(node) -> set[str]:
    return {
        k.value
        for d in ast.walk(node)
        if isinstance(d, ast.Dict)
        for k in d.keys
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }


def _literal_change_keys() -> set[str]:
    """The string keys of the dicts that become an audit row's changes: written as
    changes= (or "changes": in a record), passed to diff_fields, or assigned to a name
    that is then passed so (before = {...}; diff_fields(before, after))."""
    keys = set()
    for _, tree in _trees():
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef):
                continue
            passed = []
            for node in ast.walk(fn):
                if isinstance(node, ast.keyword) and node.arg == "changes":
                    passed.append(node.value)
                if isinstance(node, ast.Dict):
                    passed += [v for k, v in zip(node.keys, node.values, strict=True)
                               if isinstance(k, ast.Constant) and k.value == "changes"]  # fmt: skip
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "diff_fields":
                    passed += node.args
            names = {p.id for p in passed if isinstance(p, ast.Name)}
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id in names for t in node.targets
                ):
                    passed.append(node.value)
            for value in passed:
                keys |= _dict_keys(value)
    return keys - {"old", "new"}  # the shape of one change, not a field


def test_every_action_in_the_code_has_a_chinese_label():
    actions = _actions_in_code()
    assert {"review.exported", "photo.accepted", "appointment.checked_in"} <= actions
    missing = sorted(a for a in actions if a not in audit_labels.ACTIONS)
    assert not missing, f"audit actions without a label in review/audit_labels.py: {missing}"
    assert all(re.search(r"[\u4e00-\u9fff]", label) for label in audit_labels.ACTIONS.values())


@pytest.mark.django_db
def test_every_field_a_change_names_has_a_chinese_label():
    from yikao.appointments.services import SLOT_FIELDS
    from yikao.ops.management.commands.purge_stale_data import stale_querysets
    from yikao.profiles.services import CONTACT_FIELDS, ENTRY_MODELS, WORK_FIELDS
    from yikao.registrations.snapshot import IDENTITY_FIELDS

    fields = _literal_change_keys() | set(SLOT_FIELDS) | set(CONTACT_FIELDS) | set(WORK_FIELDS)
    fields |= set(ENTRY_MODELS) | set(IDENTITY_FIELDS) | set(stale_querysets(timezone.now()))
    assert {"duty_status", "department", "sha256", "rows", "status"} <= fields
    labels = audit_labels.field_labels()
    missing = sorted(f for f in fields if not re.search(r"[\u4e00-\u9fff]", labels.get(f, "")))
    assert not missing, f"fields without a Chinese label in review/audit_labels.py: {missing}"
    assert labels["duty_status"] == "在岗情况" and labels["department"] == "岗位（科室）"


@pytest.mark.django_db
def test_rows_read_as_words(exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    user = reg.candidate.user
    photo = make_photo(reg.candidate)
    rows = [
        audit_record(
            actor=user,
            subject=user,
            action="photo.accepted",
            changes=diff_fields(
                {"current_photo": None, "sha256": None},
                {"current_photo": photo.pk, "sha256": photo.sha256},
            ),
        ),
        audit_record(
            actor=user,
            subject=user,
            action="photo.accepted",
            changes=diff_fields(
                {"current_photo": 1, "sha256": "a" * 64}, {"current_photo": 2, "sha256": "b" * 64}
            ),
        ),
        audit_record(
            actor=user,
            subject=user,
            action="profile.submitted",
            changes={
                **diff_fields(
                    {"department": "", "duty_status": "在岗"},
                    {"department": "内科", "duty_status": "离岗"},
                ),
                "educations": {"created": 1, "updated": 0, "deleted": 2},
            },
        ),
        audit_record(
            actor=user,
            subject=user,
            action="appointment.cancelled",
            changes={"status": {"old": "booked", "new": "cancelled"}},
        ),
        audit_record(
            actor=staff_a, action="review.exported", changes={"rows": {"old": None, "new": 12}}
        ),
        audit_record(
            actor=staff_a, action="review.exported", changes={"rows": {"old": None, "new": 0}}
        ),
        audit_record(
            actor=staff_a,
            subject=user,
            action="account.basic_info_corrected",
            changes=diff_fields({"birth_date": "1990-01-02"}, {"birth_date": "1990-02-01"}),
        ),
    ]
    first, second, profile, booking, export, empty, corrected = describe(rows)
    assert (first.label, first.summary) == ("上传照片", "（首次上传照片）")
    assert second.summary == "（已更换照片）"
    assert profile.summary == (
        "岗位（科室）：（空） → 内科；在岗情况：在岗 → 离岗；教育经历：新增1条、删除2条"
    )
    assert booking.summary == "状态：已预约 → 已取消"
    assert (export.label, export.summary) == ("导出报名（证件号码已脱敏）", "导出报名 12 行")
    assert empty.summary == "导出报名 0 行"  # 0 is no "否"
    assert corrected.summary == "出生日期：1990年1月2日 → 1990年2月1日"


@pytest.mark.django_db
def test_history_and_audit_pages_show_no_codes(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    photo = make_photo(reg.candidate)
    user = reg.candidate.user
    audit_record(actor=user, subject=user, action="photo.accepted", changes=diff_fields(
        {"current_photo": None, "sha256": None}, {"current_photo": photo.pk, "sha256": photo.sha256}
    ))  # fmt: skip
    review_site_approve(staff=staff_a, registration=reg)
    staff_login(client, staff_a)
    pages = [
        client.get(reverse("review:detail", args=[reg.pk])).content.decode(),
        client.get(reverse("review:audit")).content.decode(),
    ]
    for html in pages:
        page = re.sub(r"<[^>]*>", " ", html)  # what staff read, not attributes
        assert "状态：已提交 → 考点通过" in page and "考点通过" in page
        assert "（首次上传照片）" in page and photo.sha256 not in page
        for code in ("photo.accepted", "review.site_approved", "site_approved", "sha256"):
            assert code not in page, code
    assert AuditEntry.objects.filter(action="review.site_approved").exists()


@pytest.mark.django_db
def test_audit_filter_offers_actions_by_name(client, exam, site_a, staff_a):
    reg = make_registration(exam, site_a)
    review_site_approve(staff=staff_a, registration=reg)
    staff_login(client, staff_a)
    page = client.get(reverse("review:audit")).content.decode()
    assert '<option value="review.site_approved">考点通过</option>' in page
    response = client.post(reverse("review:audit"), {"action": "review."}, follow=True)
    labels = {row.label for row in response.context["rows"]}
    assert labels == {"考点通过"}
