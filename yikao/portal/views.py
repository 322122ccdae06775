from django.shortcuts import render

from yikao.inbox import selectors as inbox
from yikao.registrations.guide import next_step


def home(request):
    """首页: for a candidate, the one next step and the latest 站内消息."""
    candidate = getattr(request.user, "candidate", None) if request.user.is_authenticated else None
    context = {"next_step": None}
    if candidate is not None:
        context = {
            "next_step": next_step(candidate),
            "unread": inbox.unread_count(candidate),
            "inbox": inbox.latest(candidate, limit=3),
        }
    return render(request, "portal/home.html", context)
