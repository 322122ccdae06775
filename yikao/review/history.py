"""Audit rows in words staff read: 考点通过, 状态：已提交 → 考点通过 (audit_labels)."""

from yikao.core.models import AuditEntry
from yikao.review.audit_labels import action_label, summary


def describe(entries: list[AuditEntry]) -> list[AuditEntry]:
    """Sets .label and .summary on each row (for templates)."""
    for entry in entries:
        entry.label = action_label(entry.action)
        entry.summary = summary(entry.action, entry.changes)
    return entries
