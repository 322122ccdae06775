from django.contrib import messages
from django.db.models import Q
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from yikao.accounts.decorators import candidate_required
from yikao.exams.models import ExamCategory
from yikao.photos.selectors import current_photo, photo_fits
from yikao.profiles import lookups
from yikao.profiles.forms import WorkForm
from yikao.profiles.models import WorkRecord
from yikao.profiles.page import ProfilePage, work_unit_valid
from yikao.profiles.selectors import profile_of
from yikao.profiles.services import WORK_FIELDS, profile_work_update
from yikao.registrations import services, wizard
from yikao.registrations.forms import ExamFilterForm
from yikao.registrations.guide import next_step
from yikao.registrations.models import ACTIVE, Draft, Registration
from yikao.registrations.permits import seal_hmt_permit
from yikao.registrations.selectors import draft_of, registration_of, registrations_of
from yikao.registrations.services import RegistrationError

# The current photo was checked under another exam's photo rules (a different size or
# pixel limit): the registration would carry a photo this exam's rules may refuse.
PHOTO_OTHER_RULES = "当前照片不是按本次考试的照片要求检测的，请点击“上传/更换照片”，按本次考试的要求重新检测并上传。"


MAX_ID = 2**63 - 1


@candidate_required
def index(request):
    candidate = request.user.candidate
    drafts = list(candidate.drafts.select_related("exam", "category").order_by("-updated_at"))
    for draft in drafts:
        steps = wizard.steps_for(draft)
        draft.resume = wizard.resume_step(draft, steps)
        draft.resume_position = wizard.position(steps, draft.resume)
    registrations = registrations_of(candidate)
    return render(
        request,
        "registrations/index.html",
        {
            "registrations": registrations,
            "drafts": drafts,
            "next_step": next_step(candidate, registrations=registrations, drafts=drafts),
        },
    )


@candidate_required
def choose_exam(request):
    form = ExamFilterForm(request.GET or None)
    categories = ExamCategory.objects.filter(exam__is_published=True).select_related("exam")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            categories = categories.filter(exam__kind=data["kind"])
        if data["level"]:
            categories = categories.filter(level=data["level"])
        if data["group"]:
            categories = categories.filter(group=data["group"])
        if data["q"]:
            categories = categories.filter(Q(label__contains=data["q"]) | Q(code=data["q"]))
    categories = categories.order_by("-exam__year", "sort")[:100]
    return render(request, "registrations/choose.html", {"form": form, "categories": categories})


@candidate_required
def notice(request, category_id: int):
    published = ExamCategory.objects.filter(exam__is_published=True)
    category = get_object_or_404(published.select_related("exam"), pk=category_id)
    other = (
        Draft.objects.filter(candidate=request.user.candidate, exam=category.exam)
        .exclude(category=category)
        .select_related("category")
        .first()
    )
    if other is not None:
        other.resume = wizard.resume_step(other)
    if request.method == "POST" and other is not None and not request.POST.get("switch"):
        # Another category's draft would be re-targeted and restarted: ask first.
        return render(
            request,
            "registrations/notice.html",
            {"category": category, "exam": category.exam, "other": other, "ask_switch": True},
        )
    if request.method == "POST":
        try:
            draft = services.draft_start(candidate=request.user.candidate, category=category)
        except RegistrationError as exc:
            messages.error(request, exc.message)
            return redirect("registrations:index")
        return redirect("registrations:step", exam_id=draft.exam_id, number=1)
    return render(
        request,
        "registrations/notice.html",
        {"category": category, "exam": category.exam, "other": other},
    )


@candidate_required
def step(request, exam_id: int, number: int):
    candidate = request.user.candidate
    if exam_id > MAX_ID:  # no such exam; SQLite cannot even compare past 64 bits
        raise Http404
    try:
        draft = draft_of(candidate, exam_id)
    except Http404:
        return _draft_gone(request, candidate, exam_id)
    try:
        # A draft left open past the deadline is not worked on: only 提交 would refuse it.
        services.exam_open_check(draft.exam)
    except RegistrationError as exc:
        messages.error(request, f"{exc.message}未提交的报名不能再继续填写。")
        return redirect("registrations:index")
    steps = wizard.steps_for(draft)
    current = next((s for s in steps if s.number == number), None)
    if current is None or number > draft.step + 1:
        resume = wizard.resume_step(draft, steps)
        return redirect("registrations:step", exam_id=exam_id, number=resume.number)
    previous, following = wizard.neighbours(steps, number)
    data = request.POST if request.method == "POST" else None
    if data is not None and data.get("go") == "back" and previous:
        # 上一步 never judges the step: what was typed is kept (unchecked, in the draft)
        # and shown again when the candidate comes back.
        try:
            _keep_typed(draft, current, data)
        except services.DraftGone:
            return _draft_gone(request, candidate, exam_id)
        return redirect("registrations:step", exam_id=exam_id, number=previous.number)
    handler = STEP_HANDLERS[current.key]
    try:
        form, extra, done = handler(request, draft, data)
    except services.DraftGone:
        return _draft_gone(request, candidate, exam_id)
    if extra.get("redirect_to"):
        return redirect(extra["redirect_to"])
    if done:
        if wizard.typed(draft, current) is not None and Draft.objects.filter(pk=draft.pk).exists():
            _keep_typed(draft, current, None)  # saved now: nothing typed is pending
        if following:
            return redirect("registrations:step", exam_id=exam_id, number=following.number)
        return redirect("registrations:index")
    context = {
        "draft": draft, "steps": steps, "current": current, "previous": previous,
        "following": following, "form": form, "progress": _progress(steps, current),
        **extra,
    }  # fmt: skip
    return render(request, f"registrations/step_{current.key}.html", context)


# Never kept: the form's own fields, and the travel-permit number, which is personal data
# the draft only holds sealed.
NOT_TYPED = {"csrfmiddlewaretoken", "go", "token", "action", "hmt_permit"}


def _keep_typed(draft, current, data) -> None:
    """Keeps (or, with data None, forgets) what was typed on a step."""
    kept = dict(draft.fields.typed)
    if data is None:
        kept.pop(current.key, None)
    else:
        kept[current.key] = {k: v for k, v in data.lists() if k not in NOT_TYPED}
    services.draft_save(draft=draft, step=draft.step, values={"typed": kept})


def _draft_gone(request, candidate, exam_id: int):
    """A second click on 提交 (another tab, or another server) after the first one was
    saved finds the draft gone: show the list with the registration; otherwise 404."""
    if Registration.objects.filter(ACTIVE, candidate=candidate, exam_id=exam_id).exists():
        messages.info(request, "报名已提交，请在报名列表中查看。")
        return redirect("registrations:index")
    raise Http404


def _progress(steps, current) -> int:
    return round(100 * ([s.number for s in steps].index(current.number) + 1) / len(steps))


def _basic(request, draft, data):
    form = wizard.basic_form(draft, data)
    extra = {
        "candidate": draft.candidate,
        "photo": current_photo(draft.candidate),
        "photo_exam_id": draft.exam_id,  # the upload link checks under this exam's photo rules
    }
    if data is not None and form.is_valid():
        values = {"military": form.cleaned_data["military"]}
        if "hmt_permit" in form.cleaned_data:
            values["hmt_permit_sealed"] = seal_hmt_permit(form.cleaned_data["hmt_permit"])
        services.draft_save(draft=draft, step=2, values=values)
        return form, extra, True
    return form, extra, False


# What the candidate typed on the work step while they went to pick a unit (session).
WORK_TYPED = "wizard_work_typed"


def _work(request, draft, data):
    profile = profile_of(draft.candidate)
    initial = {name: getattr(profile, name) for name in WORK_FIELDS}
    kept = wizard.typed(draft, wizard.STEPS[1]) or {}
    initial.update(
        {k.removeprefix("work-"): v[0] for k, v in kept.items() if v and k.startswith("work-")}
    )
    if data is not None and data.get("action") == "pick_work_unit":
        # Keep what was typed (unsaved, unchecked) for the way back from the picker.
        request.session[WORK_TYPED] = data.urlencode()
        return None, {"redirect_to": _picker_url(draft)}, False
    chosen = request.GET.get("institution")
    if data is None and chosen:
        # Back from the work-unit picker: what was typed plus the chosen unit, not saved
        # until 下一步.
        typed = request.session.pop(WORK_TYPED, None)
        if typed is not None:
            current = QueryDict(typed, mutable=True)
        else:
            current = QueryDict(mutable=True)
            for name in WORK_FIELDS:
                current[f"work-{name}"] = getattr(profile, name)
        form = WorkForm(ProfilePage.with_work_unit(current, chosen), prefix="work", initial=initial)
        form.quiet = True
        return form, _work_context(draft), False
    form = WorkForm(data, prefix="work", initial=initial)
    if data is not None and form.is_valid() and work_unit_valid(form):
        work = lookups.resolve_work_unit(form.cleaned_data)
        profile_work_update(candidate=draft.candidate, work=work)
        services.draft_save(draft=draft, step=3, values={})
        return form, {}, True
    return form, _work_context(draft), False


def _work_context(draft) -> dict:
    return {
        "picker_url": _picker_url(draft),
        "work_records": WorkRecord.objects.filter(candidate=draft.candidate),
        "profile_url": _profile_url(draft, 2),
    }


def _picker_url(draft) -> str:
    back = reverse("registrations:step", kwargs={"exam_id": draft.exam_id, "number": 2})
    try:
        return f"{reverse('directory:institution_pick')}?{urlencode({'next': back})}"
    except NoReverseMatch:
        return ""


def _records(request, draft, data):
    form = wizard.records_form(draft, data)
    if data is not None and form.is_valid():
        values = {
            "educations": [e.pk for e in form.cleaned_data["educations"]],
            "trainings": [t.pk for t in form.cleaned_data["trainings"]],
        }
        services.draft_save(draft=draft, step=4, values=values)
        return form, {}, True
    return form, {"profile_url": _profile_url(draft, 3)}, False


def _certificates(request, draft, data):
    form = wizard.certificate_form(draft, data)
    if data is not None and form.is_valid():
        values = {"certificates": [c.pk for c in form.cleaned_data["certificates"]]}
        services.draft_save(draft=draft, step=5, values=values)
        return form, {}, True
    return (
        form,
        {"profile_url": _profile_url(draft, 4), "required": wizard.needs_certificate(draft)},
        False,
    )


def _site(request, draft, data):
    area_code = request.GET.get("area", "")
    if data is not None and data.get("action") == "show_sites":
        services.draft_save(draft=draft, step=5, values={"area": data.get("area", "")[:2]})
        data = None
    form = wizard.site_form(draft, data, area_code=area_code)
    photo = current_photo(draft.candidate)  # once: the submit and the page both show it
    photo_ok = photo_fits(photo, draft.exam)
    if data is not None and form.is_valid():
        services.draft_save(
            draft=draft,
            step=5,
            values={
                "area": form.cleaned_data["area"].code,
                "site": int(form.cleaned_data["site"]),
                "shortline": form.cleaned_data.get("shortline", ""),
                "photo_sha256": getattr(photo, "sha256", ""),
            },
        )
        if photo is None:
            form.add_error(None, "请先上传经过照片检测的近期白底证件照。")
        elif not photo_ok:
            form.add_error(None, PHOTO_OTHER_RULES)
        else:
            try:
                registration = services.registration_submit(
                    draft=draft, token=data.get("token", "")
                )
            except RegistrationError as exc:
                form.add_error("site" if exc.code in ("full", "site") else None, exc.message)
            else:
                messages.success(
                    request, f"报名成功！报名号 {registration.number}。请打印报名申请表。"
                )
                return form, {}, True
    entries = services.draft_entries(draft)
    decision = services.draft_decision(draft, entries)
    educations, trainings, certificates = entries
    extra = {
        "decision": decision, "educations": educations, "trainings": trainings,
        "certificates": certificates, "photo": photo,
        "photo_other_rules": PHOTO_OTHER_RULES if photo and not photo_ok else "",
        "photo_exam_id": draft.exam_id, "profile": profile_of(draft.candidate),
        "profile_url": _profile_url(draft, 5),
        "candidate": draft.candidate,
    }  # fmt: skip
    return form, extra, False


def _profile_url(draft, number: int) -> str:
    back = reverse("registrations:step", kwargs={"exam_id": draft.exam_id, "number": number})
    return f"{reverse('profiles:index')}?next={back}"


STEP_HANDLERS = {
    "basic": _basic,
    "work": _work,
    "records": _records,
    "certificates": _certificates,
    "site": _site,
}


@candidate_required
def detail(request, pk: int):
    registration = registration_of(request.user.candidate, pk)
    return render(request, "registrations/detail.html", {"registration": registration})


@candidate_required
@require_POST
def redo(request, pk: int):
    """放弃并重新报名 from a returned registration."""
    registration = registration_of(request.user.candidate, pk)
    try:
        draft = services.registration_redo(
            candidate=request.user.candidate, registration=registration
        )
    except RegistrationError as exc:
        messages.error(request, exc.message)
        return redirect("registrations:index")
    messages.info(
        request,
        f"原报名（{registration.number}）已放弃。新的报名沿用原来的类别、考点和勾选的信息，"
        "请按退回原因修改后逐步核对并提交。",
    )
    return redirect("registrations:step", exam_id=draft.exam_id, number=1)


@candidate_required
@require_POST
def abandon(request, pk: int):
    registration = registration_of(request.user.candidate, pk)
    try:
        services.registration_abandon(candidate=request.user.candidate, registration=registration)
    except RegistrationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"已放弃报考 {registration.category.label}。可以重新开始新的报名。"
        )
    return redirect("registrations:index")
