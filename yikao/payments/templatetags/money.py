from django import template

from yikao.payments.models import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """24000 → 240.00 (amounts are kept in 分)."""
    return _yuan(int(fen)) if fen not in (None, "") else ""
