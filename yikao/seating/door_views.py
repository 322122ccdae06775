"""The door check page (入场核验) for staff on a phone: choose the session and the room once
(kept in the login's session), then scan tickets with the camera (static/js/door.js, jsQR)
or type the 准考证号. door.js posts the form with fetch and swaps in the result fragment;
without JavaScript the same form posts and the whole page comes back.
"""

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from yikao.seating import door
from yikao.staff.access import sites_in_scope, staff_required
from yikao.staff.models import Role

DOOR_KEY = "seating_door"  # {"session": id, "room": id} in the login's session
FETCH_HEADER = "X-Door-Fetch"


class ChooseForm(forms.Form):
    session = forms.ModelChoiceField(
        label="考试场次", queryset=None, empty_label="请选择场次",
        error_messages={"required": "请选择考试场次。", "invalid_choice": "请从列表中选择考试场次。"},
    )  # fmt: skip
    room = forms.ModelChoiceField(
        label="考场", queryset=None, empty_label="请选择考场",
        error_messages={"required": "请选择考场。", "invalid_choice": "请从列表中选择考场。"},
    )  # fmt: skip

    def __init__(self, *args, scope, site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = door.sessions(scope).filter(site=site)
        self.fields["session"].label_from_instance = _session_label
        self.fields["room"].queryset = door.rooms(scope).filter(site=site).order_by("code")
        self.fields["room"].label_from_instance = lambda room: f"{room.code} 考场 {room.name}"


class CheckForm(forms.Form):
    code = forms.CharField(
        label="输入准考证号", required=False, max_length=1000, strip=True,
        error_messages={"max_length": "内容过长，不是准考证号或准考证二维码。"},
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "autocapitalize": "off",
            "spellcheck": "false", "placeholder": "18 位准考证号",
        }),
    )  # fmt: skip


def _session_label(session) -> str:
    start = timezone.localtime(session.starts_at)
    return f"{session.get_part_display()} {session.label}（{start.month}月{start.day}日 {start:%H:%M}）"


def _remembered(request):
    """The door chosen earlier, if it is still in the scope."""
    chosen = request.session.get(DOOR_KEY) or {}
    return door.door_of(request.scope, chosen.get("session"), chosen.get("room"))


def _site(request, value):
    """The site whose doors are chosen: the site's own, or one picked by area/national."""
    if value in (None, ""):
        # A site's staff have one site; area and national staff pick one first.
        return sites_in_scope(request.scope).first() if request.scope.role == Role.SITE else None
    if not str(value).isascii() or not str(value).isdigit() or len(str(value)) > 9:
        raise Http404
    site = sites_in_scope(request.scope).filter(pk=int(value)).first()
    if site is None:
        raise Http404
    return site


def _scan_context(request, chosen, form, result=None):
    session, room = chosen
    checked, expected = door.counts(session, room)
    return {
        "session": session, "session_label": _session_label(session), "room": room,
        "checked": checked, "expected": expected, "form": form, "result": result,
        "photo_url": door.photo_url(result.seat) if result and result.seat else None,
    }  # fmt: skip


def _choose(request, site_value, form=None, status=200):
    site = _site(request, site_value)
    context = {"site": site, "sites": None, "form": form}
    if site is None:
        context["sites"] = sites_in_scope(request.scope)
    elif form is None:
        chosen = request.session.get(DOOR_KEY) or {}
        context["form"] = ChooseForm(
            scope=request.scope, site=site,
            initial={"session": chosen.get("session"), "room": chosen.get("room")},
        )  # fmt: skip
    return render(request, "seating/door_choose.html", context, status=status)


@staff_required
def door_page(request):
    chosen = _remembered(request)
    if chosen is None or request.GET.get("change"):
        default = chosen[0].site_id if chosen else None
        return _choose(request, request.GET.get("site", default))
    return render(request, "seating/door.html", _scan_context(request, chosen, CheckForm()))


@staff_required
@require_POST
def door_choose(request):
    site = _site(request, request.POST.get("site"))
    if site is None:
        return _choose(request, None)
    form = ChooseForm(request.POST, scope=request.scope, site=site)
    if not form.is_valid():
        return _choose(request, site.pk, form, status=400)
    session, room = form.cleaned_data["session"], form.cleaned_data["room"]
    request.session[DOOR_KEY] = {"session": session.pk, "room": room.pk}
    return redirect("seating:door")


@staff_required
@require_POST
def door_check(request):
    chosen = _remembered(request)
    fetched = request.headers.get(FETCH_HEADER) == "1"
    if chosen is None:
        if fetched:
            return render(request, "seating/door_expired.html", status=409)
        return redirect("seating:door")
    form, result, status = CheckForm(request.POST), None, 200
    if form.is_valid():
        try:
            result = door.check(
                scope=request.scope, session=chosen[0], room=chosen[1],
                code=form.cleaned_data["code"], actor=request.user,
            )  # fmt: skip
        except door.DoorInputError as error:
            form.add_error("code", error.message)
    if not form.is_valid():
        status = 400
    context = _scan_context(request, chosen, form if status == 400 else CheckForm(), result)
    context["typed_error"] = form.errors.get("code") if status == 400 else None
    template = "seating/door_fragment.html" if fetched else "seating/door.html"
    return render(request, template, context, status=status)


@staff_required
def door_photo(request, seat_id: int):
    seat = door.seats(request.scope).select_related("registration").filter(pk=seat_id).first()
    found = door.seat_photo(seat) if seat is not None else None
    if found is None:
        raise Http404
    try:
        handle = found.image.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")
