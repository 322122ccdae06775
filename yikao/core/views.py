from django.shortcuts import render


def home(request):
    candidate = getattr(request.user, "candidate", None) if request.user.is_authenticated else None
    # Imported here: core's views must not pull the registration app into every import of core.
    from yikao.inbox import selectors as inbox
    from yikao.registrations.guide import next_step

    context = {"next_step": None}
    if candidate is not None:
        context = {
            "next_step": next_step(candidate),
            "unread": inbox.unread_count(candidate),
            "inbox": inbox.latest(candidate, limit=3),
        }
    return render(request, "core/home.html", context)


def terms(request):
    return render(request, "core/terms.html")


def privacy(request):
    return render(request, "core/privacy.html")


def csrf_failure(request, reason=""):
    return render(request, "core/csrf_failure.html", status=403)
