from yikao.accounts.models import Candidate
from yikao.inbox.models import Message

PAGE = 50


def unread_count(candidate: Candidate) -> int:
    return Message.objects.filter(candidate=candidate, read_at__isnull=True).count()


def latest(candidate: Candidate, *, limit: int = PAGE) -> list[Message]:
    return list(Message.objects.filter(candidate=candidate).order_by("-id")[:limit])
