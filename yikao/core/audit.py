"""The one helper through which every state change is audited."""

import ipaddress
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from yikao.core import crypto
from yikao.core.masking import mask_id_number, mask_phone
from yikao.core.middleware import current_request_id
from yikao.core.models import AuditEntry

# Fields whose values are personal data: the audit row keeps them masked for display and
# encrypted for the record, never in clear.
SENSITIVE_FIELDS = {"id_number": mask_id_number, "mobile": mask_phone}


def _protect(field: str, value: Any) -> Any:
    masker = SENSITIVE_FIELDS.get(field)
    if masker is None or value in (None, ""):
        return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
    return {"masked": masker(str(value)), "sealed": crypto.encrypt(str(value), purpose="audit")}


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"field": {"old": …, "new": …}} for the fields whose value differs."""
    return {
        field: {"old": _protect(field, before.get(field)), "new": _protect(field, after.get(field))}
        for field in sorted(set(before) | set(after))
        if before.get(field) != after.get(field)
    }


def _valid_ip(value: str | None) -> str | None:
    """The address, or None for anything the inet column would refuse ("unknown" when a
    proxy on a Unix socket leaves REMOTE_ADDR empty)."""
    try:
        return str(ipaddress.ip_address(value)) if value else None
    except ValueError:
        return None


def audit_record(
    *,
    actor: models.Model | None,
    action: str,
    target: models.Model | None = None,
    subject: models.Model | None = None,
    changes: dict[str, dict[str, Any]] | None = None,
    reason: str = "",
    ip_address: str | None = None,
) -> AuditEntry:
    """Write an audit row; call inside the transaction of the change it records."""
    record = {
        "actor": actor, "action": action, "target": target, "subject": subject,
        "changes": changes, "reason": reason, "ip_address": ip_address,
    }  # fmt: skip
    entry = _unsaved_entry(current_request_id() or "", record)
    entry.save(force_insert=True)
    return entry


def audit_records(records: Iterable[Mapping[str, Any]]) -> list[AuditEntry]:
    """Write several audit rows in one INSERT; each record holds audit_record's keyword
    arguments, and its row is the one audit_record would write. Call inside the
    transaction of the change."""
    request_id = current_request_id() or ""
    return AuditEntry.objects.bulk_create(
        [_unsaved_entry(request_id, record) for record in records]
    )


def _unsaved_entry(request_id: str, record: Mapping[str, Any]) -> AuditEntry:
    """The row for one record of audit_record's keyword arguments."""
    unknown = set(record) - {
        "actor", "action", "target", "subject", "changes", "reason", "ip_address"
    }  # fmt: skip
    if unknown:
        raise TypeError(f"unknown audit fields: {sorted(unknown)}")
    actor, target = record.get("actor"), record.get("target")
    return AuditEntry(
        actor=actor if actor is not None and actor.pk else None,
        subject=record.get("subject"),
        action=record["action"],
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        changes=record.get("changes") or {},
        reason=record.get("reason") or "",
        ip_address=_valid_ip(record.get("ip_address")),
        request_id=request_id,
    )
