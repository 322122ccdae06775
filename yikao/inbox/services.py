"""Posting a message: the row in the candidate's 站内消息 list now, SMS and e-mail after
the transaction commits (a rolled-back change sends nothing)."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from yikao.accounts.models import Candidate
from yikao.inbox.models import Message
from yikao.inbox.senders import Notice, deliver


def message_post(
    *, candidate: Candidate, notice: Notice, registration_id: int | None = None, send: bool = True
) -> Message:
    """Keep `notice` in the candidate's list; with send, also hand it to the senders
    (SMS, e-mail) once the surrounding transaction has committed."""
    message = Message.objects.create(
        candidate=candidate,
        registration_id=registration_id,
        kind=notice.kind[:40],
        title=notice.subject.removeprefix("【医考】")[:100],
        body=notice.body,
    )
    if send:
        transaction.on_commit(partial(deliver, notice))
    return message


def messages_mark_read(*, candidate: Candidate) -> int:
    """Everything listed is read once the list has been shown."""
    return Message.objects.filter(candidate=candidate, read_at__isnull=True).update(
        read_at=timezone.now()
    )
