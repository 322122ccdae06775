"""缴费统计: per site and per province for one exam, what is due, paid and refunded.

Four grouped queries (one per figure, grouped by site), all inside the staff scope; the
province rows and the total are sums of the site rows, so the table always adds up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Sum

from yikao.payments import scope as payment_scope
from yikao.payments.models import OrderStatus, RefundStatus
from yikao.registrations.models import Status


@dataclass
class Figures:
    label: str
    code: str = ""
    due: int = 0  # registrations 审核通过, not paid yet (待缴费)
    paid: int = 0  # paid orders
    paid_fen: int = 0
    refund_pending: int = 0
    refund_pending_fen: int = 0
    refunded_fen: int = 0

    def add(self, other: Figures) -> None:
        for name in ("due", "paid", "paid_fen", "refund_pending", "refund_pending_fen",
                     "refunded_fen"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class AreaFigures:
    area: Figures
    sites: list[Figures] = field(default_factory=list)


@dataclass
class Totals:
    areas: list[AreaFigures]
    total: Figures


def exam_totals(scope, exam) -> Totals:
    """The figures of every site in the scope that has a registration for the exam."""
    regs = payment_scope.registrations(scope).filter(exam=exam)
    due = dict(
        regs.filter(status=Status.APPROVED)
        .values_list("site_id")
        .annotate(n=Count("pk"))
        .values_list("site_id", "n")
    )
    paid = {
        row["registration__site_id"]: row
        for row in payment_scope.orders(scope)
        .filter(registration__exam=exam, status=OrderStatus.PAID)
        .values("registration__site_id")
        .annotate(n=Count("pk"), fen=Sum("amount_fen"))
    }
    refunds = {}
    for row in (
        payment_scope.refunds(scope)
        .filter(payment__order__registration__exam=exam)
        .values("payment__order__registration__site_id", "status")
        .annotate(n=Count("pk"), fen=Sum("amount_fen"))
    ):
        refunds[(row["payment__order__registration__site_id"], row["status"])] = row
    site_ids = set(regs.values_list("site_id", flat=True).distinct())
    areas: dict[int, AreaFigures] = {}
    total = Figures("合计")
    for site in payment_scope.sites(scope).filter(pk__in=site_ids):
        pending = refunds.get((site.pk, RefundStatus.PENDING), {})
        done = refunds.get((site.pk, RefundStatus.DONE), {})
        figures = Figures(
            label=site.name, code=site.code, due=due.get(site.pk, 0),
            paid=paid.get(site.pk, {}).get("n", 0), paid_fen=paid.get(site.pk, {}).get("fen") or 0,
            refund_pending=pending.get("n", 0), refund_pending_fen=pending.get("fen") or 0,
            refunded_fen=done.get("fen") or 0,
        )  # fmt: skip
        group = areas.setdefault(
            site.area_id, AreaFigures(Figures(f"{site.area.name}小计", site.area.code))
        )
        group.sites.append(figures)
        group.area.add(figures)
        total.add(figures)
    return Totals(areas=[areas[k] for k in sorted(areas, key=lambda k: areas[k].area.code)],
                  total=total)  # fmt: skip
