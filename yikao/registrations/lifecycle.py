"""The life of a registration: every state, every allowed move, and the one function that
performs a move. Nothing else assigns `Registration.status`.

    (new) ──submit──▶ 已提交 ──site_approve──▶ 考点通过 ──area_approve──▶ 审核通过
                       │  ▲                      │
             site_return│  └──site_approve──┐    │area_return
                       ▼                    │    ▼
                     已退回 ◀───────────────┴── (any active state) ──abandon──▶ 已放弃

    审核通过 (待缴费) ──pay──▶ 已缴费        审核通过 ──expire (after the deadline)──▶ 未缴费（视为放弃）

`move()` runs inside the caller's transaction. Lock order (DESIGN.md rule 4): the caller
locks the registration row first (through its own scope query, so a row outside the
caller's reach is never locked); listeners of `moved` then lock what hangs off it (the
collection booking, the candidate's messages). The audit row is written here, with the
move's action code; listeners run in the same transaction, so a failing listener undoes
the move.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.dispatch import Signal
from django.utils import timezone

from yikao.core.audit import audit_record
from yikao.registrations.models import Registration, Status

# Sent inside the transaction of every move (and of the submit that creates a
# registration), with registration=, move= (a Move), old= (the status before, "" for a
# submit), actor= and reason=. Receivers may write rows; they must not call out to the
# network (schedule that with transaction.on_commit).
moved = Signal()


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    sources: frozenset[str]  # the states it may start from (empty: the registration is new)
    target: str
    audit_action: str  # kept from before the life cycle had a home: the audit log reads them
    is_decision: bool = False  # a review decision: it records its reason ("" to approve)

    def allowed_from(self, status: str) -> bool:
        return status in self.sources


def _move(name, label, sources, target, audit_action, *, is_decision=False) -> Move:
    return Move(name, label, frozenset(sources), target, audit_action, is_decision)


SUBMIT = _move("submit", "提交报名", (), Status.SUBMITTED, "registration.submitted")
SITE_APPROVE = _move(
    "site_approve",
    "考点通过",
    Status.SITE_OPEN,
    Status.SITE_APPROVED,
    "review.site_approved",
    is_decision=True,
)
SITE_RETURN = _move(
    "site_return",
    "考点退回",
    Status.AWAITING_SITE,
    Status.RETURNED,
    "review.returned",
    is_decision=True,
)
AREA_APPROVE = _move(
    "area_approve",
    "审核通过",
    Status.AWAITING_AREA,
    Status.APPROVED,
    "review.approved",
    is_decision=True,
)
AREA_RETURN = _move(
    "area_return",
    "考区退回",
    Status.AWAITING_AREA,
    Status.RETURNED,
    "review.returned",
    is_decision=True,
)
# Not from 已缴费: the fee is not given back for a seat left unused (the candidate simply
# does not sit the exam), so the paid seat stays the candidate's.
ABANDON = _move(
    "abandon",
    "放弃报考",
    Status.ACTIVE - {Status.PAID},
    Status.ABANDONED,
    "registration.abandoned",
)
# Made by yikao.payments when the order is paid (online or at the counter) …
PAY = _move("pay", "缴费", {Status.APPROVED}, Status.PAID, "payment.paid")
# … or when the payment deadline passed without it (the guide: 未缴费视为放弃).
EXPIRE = _move("expire", "关闭未缴费报名", {Status.APPROVED}, Status.UNPAID, "payment.unpaid")

MOVES: dict[str, Move] = {
    m.name: m
    for m in (SUBMIT, SITE_APPROVE, SITE_RETURN, AREA_APPROVE, AREA_RETURN, ABANDON, PAY, EXPIRE)
}


class MoveRefused(Exception):
    """The registration's state does not allow the move; the message is for people."""

    def __init__(self, move: Move, status: str) -> None:
        self.move, self.status = move, status
        label = Status(status).label
        super().__init__(f"该报名当前为“{label}”，不能{move.label}。")
        self.message = str(self)


def lock(queryset: QuerySet, pk: int) -> Registration | None:
    """The registration row, locked, if `queryset` (the caller's scope) reaches it."""
    return (
        queryset.select_for_update(of=("self",))
        .filter(pk=pk)
        # What the audit row and the candidate's message name (read once, not per use).
        .select_related("candidate__user", "exam", "category", "site")
        .first()
    )


def move(
    registration: Registration,
    the_move: Move,
    *,
    actor,
    reason: str = "",
    changes: dict | None = None,
) -> Registration:
    """Perform `the_move` on a registration the caller has locked (see `lock`): check it
    is allowed from the current state, write the state, the audit row and the event."""
    old = registration.status
    if not the_move.allowed_from(old):
        raise MoveRefused(the_move, old)
    registration.status = the_move.target
    fields = ["status"]
    if the_move.is_decision:
        # A return says why; a later decision clears the old reason.
        registration.status_reason = reason
        fields.append("status_reason")
    if the_move.target in Status.ENDED:
        registration.abandoned_at = timezone.now()
        fields.append("abandoned_at")
    registration.save(update_fields=fields)
    audit_record(
        actor=actor,
        subject=registration.candidate.user,
        action=the_move.audit_action,
        target=registration,
        changes={"status": {"old": old, "new": the_move.target}, **(changes or {})},
        reason=reason,
    )
    moved.send(
        sender=Registration,
        registration=registration,
        move=the_move,
        old=old,
        actor=actor,
        reason=reason,
    )
    return registration


def submitted(registration: Registration, *, actor, changes: dict) -> None:
    """The audit row and the event of a registration just created by submit (the row is
    inserted by registrations.services, which owns numbering and seats)."""
    audit_record(
        actor=actor,
        subject=registration.candidate.user,
        action=SUBMIT.audit_action,
        target=registration,
        changes=changes,
    )
    moved.send(
        sender=Registration, registration=registration, move=SUBMIT, old="", actor=actor, reason=""
    )
