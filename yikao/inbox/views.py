from django.shortcuts import render

from yikao.accounts.decorators import candidate_required
from yikao.inbox import selectors, services


@candidate_required
def index(request):
    """The candidate's messages, newest first; listing them marks them read."""
    messages = selectors.latest(request.candidate)
    services.messages_mark_read(candidate=request.candidate)
    return render(request, "inbox/index.html", {"inbox": messages})
