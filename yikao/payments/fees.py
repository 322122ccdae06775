"""Writing the fee schedule (收费标准): one item at a time, audited with old and new. The
staff page and setup_demo both enter fees here."""

from yikao.core.audit import audit_record
from yikao.payments.models import FeeItem, yuan


def _fen_text(fen) -> str | None:
    return None if fen is None else yuan(fen)


def fee_set(*, actor, exam, area, category, part: str, fen: int | None, items: dict) -> bool:
    """Set (or, with None, delete) one fee item; audited with old and new. True if changed."""
    item = items.get((category.pk, part))
    old = item.amount_fen if item else None
    if old == fen:
        return False
    if fen is None:
        # Deleted: the audit row names exam, province and category instead of the row.
        item.delete()
        target = None
    else:
        if item is None:
            item = FeeItem(exam=exam, area=area, category=category, part=part)
        item.amount_fen, item.updated_by = fen, actor
        item.save()
        target = item
    audit_record(
        actor=actor,
        action="payment.fee_changed",
        target=target,
        changes={"exam": {"old": None, "new": exam.name},
                 "area": {"old": None, "new": area.name},
                 "category": {"old": None, "new": f"{category.code} {category.label}"},
                 "part": {"old": None, "new": part},
                 "fee_yuan": {"old": _fen_text(old), "new": _fen_text(fen)}},
    )  # fmt: skip
    return True
