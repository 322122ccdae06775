"""The page axes shows when a login is locked: the staff login page for /review/, the
candidate login page otherwise (settings.AXES_LOCKOUT_CALLABLE). Here, above both apps,
because it renders both apps' forms."""

from django.shortcuts import render

from yikao.accounts.forms import LoginForm
from yikao.accounts.lockout import LOCKOUT_MESSAGE, STAFF_LOCKOUT_MESSAGE
from yikao.review.forms import StaffLoginForm


def lockout_response(request, original_response=None, credentials=None):
    username = request.POST.get("username", "")
    username = username[:40] if isinstance(username, str) else ""
    if request.path_info.startswith("/review/"):
        form = StaffLoginForm(request, initial={"username": username})
        context = {"form": form, "next": "", "locked_message": STAFF_LOCKOUT_MESSAGE}
        return render(request, "review/login.html", context, status=429)

    form = LoginForm(request, initial={"username": username})
    return render(
        request,
        "accounts/login.html",
        {"form": form, "locked_message": LOCKOUT_MESSAGE},
        status=429,
    )
