import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from yikao.accounts.services import user_mark_profile_seen
from yikao.core import crypto
from yikao.photos.selectors import current_photo
from yikao.profiles.forms import ENTRY_FORMSETS
from yikao.profiles.page import ProfilePage
from yikao.profiles.services import ProfileError, profile_submit

DRAFT_KEY = "profile_draft"
FORM_COUNT = re.compile(r"[0-9]{1,3}")


def _candidate(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        raise Http404
    return candidate


@login_required
def index(request):
    candidate = _candidate(request)
    user_mark_profile_seen(user=request.user)
    if request.method == "POST":
        return _post(request, candidate)
    draft = _unseal_draft(request.session.pop(DRAFT_KEY, None))
    if draft is not None:
        # Back from the work-unit picker: what was typed, plus the chosen unit, unsaved.
        data = QueryDict(draft)
        data = ProfilePage.with_work_unit(data, request.GET.get("institution", ""))
        page = ProfilePage(candidate, data, quiet=True)
        messages.info(request, "已选择工作单位。请检查后点击“提交”保存全部信息。")
    else:
        page = ProfilePage(candidate)
    return _render(request, page)


def _post(request, candidate):
    action = request.POST.get("action", "submit")
    group = action.removeprefix("add:")
    prefix = ENTRY_FORMSETS[group][1] if group in ENTRY_FORMSETS else None
    # "+" adds one to the form count; a count that is not a number ("²", "abc") is a
    # tampered form, which the full submit below answers with the form's error.
    if prefix and FORM_COUNT.fullmatch(request.POST.get(f"{prefix}-TOTAL_FORMS") or "0"):
        data = ProfilePage.with_added_entry(request.POST, group)
        return _render(request, ProfilePage(candidate, data, quiet=True), focus=group)
    if action == "pick_work_unit":
        # The typed form holds the mobile, e-mail and address: sealed like every other
        # copy of personal data, so the session store never holds them in clear.
        request.session[DRAFT_KEY] = crypto.encrypt(request.POST.urlencode(), purpose=DRAFT_KEY)
        return redirect(_picker_url())
    page = ProfilePage(candidate, request.POST)
    if page.is_valid():
        try:
            profile_submit(candidate=candidate, submission=page.submission())
        except ProfileError as exc:
            page.error = exc.message
        else:
            messages.success(request, "个人信息已保存。")
            return redirect(safe_next(request) or "profiles:index")
    elif not page.error:
        page.error = "有内容未填写或格式不正确，请按红框处的提示修改后再提交。"
    return _render(request, page, status=200)


def _unseal_draft(sealed) -> str | None:
    """The typed form kept for the way back from the picker; None when absent or unreadable
    (a session from before the sealing, or a rotated-out key: the page opens as saved)."""
    if not isinstance(sealed, str):
        return None
    try:
        return crypto.decrypt(sealed, purpose=DRAFT_KEY)
    except ValueError:  # crypto.DecryptionError, or a mangled token
        return None


def _picker_url() -> str:
    try:
        base = reverse("directory:institution_pick")
    except NoReverseMatch:  # the directory app is not installed
        return reverse("profiles:index")
    return f"{base}?{urlencode({'field': 'id_work-work_unit_name', 'next': reverse('profiles:index')})}"


def safe_next(request) -> str:
    """A local page to return to (the registration wizard sends candidates here)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return ""


def _render(request, page, *, focus: str = "", status: int = 200):
    context = {
        "page": page,
        "focus": focus,
        "next": safe_next(request),
        "photo": current_photo(page.candidate),
    }
    return render(request, "profiles/index.html", context, status=status)
