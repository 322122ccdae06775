from django.shortcuts import render


def terms(request):
    return render(request, "core/terms.html")


def privacy(request):
    return render(request, "core/privacy.html")


def csrf_failure(request, reason=""):
    return render(request, "core/csrf_failure.html", status=403)
