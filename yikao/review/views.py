"""Back-office pages. Each view: the decorator checks the staff login and sets
request.scope; a scoped selector finds the object (404 outside the scope); one service
call; a ReviewError becomes a message or a form error."""

import datetime
import re
import secrets
import time

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from yikao.accounts.services import AccountError
from yikao.core import ratelimit
from yikao.core.audit import audit_record
from yikao.directory.models import Institution
from yikao.registrations import lifecycle
from yikao.registrations.models import Status
from yikao.review import selectors, services
from yikao.review.charts import bar_chart
from yikao.review.exports import registrations_workbook
from yikao.review.forms import (
    AuditFilterForm,
    CorrectionForm,
    QueueFilterForm,
    ResetPasswordForm,
    ReturnForm,
    StaffLoginForm,
    UnitMergeForm,
    UnitRejectForm,
)
from yikao.review.services import ReviewError
from yikao.staff.access import SESSION_SEEN, staff_required
from yikao.staff.models import Role

AREA_ROLES = (Role.AREA, Role.NATIONAL)
ID_DIGITS = re.compile(r"[0-9]{1,18}")


def _id(value: str) -> int | None:
    """An id typed as ASCII digits that fits a bigint, else None: str.isdigit() also
    accepts "²" and other digits int() refuses, and 20 digits overflow the column."""
    return int(value) if ID_DIGITS.fullmatch(value or "") else None


def _after(request) -> int | None:
    return _id(request.GET.get("after", ""))


# --- The entrance ------------------------------------------------------------------------------


@sensitive_post_parameters()
def login_view(request):
    form = StaffLoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        ip = ratelimit.client_ip(request)
        if not ratelimit.hit("staff_login", ip, limit=30, window=900):
            form.is_valid()
            form.add_error(None, "登录尝试过于频繁，请15分钟后再试。")
        elif form.is_valid():
            user = form.user
            user.otp_device = form.device  # django-otp keeps it in the session at login
            login(request, user)
            request.session[SESSION_SEEN] = int(time.time())
            audit_record(actor=user, action="review.staff_logged_in", ip_address=ip)
            next_url = request.POST.get("next", "")
            allowed = url_has_allowed_host_and_scheme(next_url, {request.get_host()})
            return redirect(
                next_url if allowed and next_url.startswith("/review/") else "review:queue"
            )
    context = {
        "form": form,
        "next": request.GET.get("next", request.POST.get("next", "")),
        "timed_out": request.GET.get("timeout") == "1",
    }
    return render(request, "review/login.html", context)


@require_POST
def logout_view(request):
    logout(request)
    messages.info(request, "您已安全退出审核系统。")
    return redirect("review:login")


# --- Queue, bulk approval, export ---------------------------------------------------------------


# The filter form posts, and its values wait in the session under a short random key, so a
# searched ID number never reaches a URL, the access log, a Referer or an audit row.
SAVED_FILTERS = "review_queue_filters"
SAVED_FILTERS_KEPT = 10


def _save_filters(request, data: dict, where: str = SAVED_FILTERS) -> str:
    saved = request.session.get(where, {})
    key = secrets.token_urlsafe(6)
    saved[key] = data
    request.session[where] = dict(list(saved.items())[-SAVED_FILTERS_KEPT:])
    return key


def _queue_form(request) -> tuple[QueueFilterForm, dict]:
    """The filter form and the query that brings the same list back (for pages and export)."""
    key = request.GET.get("f", "")
    saved = request.session.get(SAVED_FILTERS, {}).get(key)
    if saved is not None:
        return QueueFilterForm(saved), {"f": key}
    params = {k: v for k, v in request.GET.items() if k not in ("after", "f", "full")}
    if params:
        return QueueFilterForm(params, from_url=True), params
    return QueueFilterForm({"status": selectors.PENDING}), {}


def _queue_page(request, form: QueueFilterForm, query: dict, *, status: int = 200):
    page = selectors.queue_page(request.scope, form.filters(), after=_after(request))
    filters = page.filters
    context = {
        "form": form,
        "page": page,
        "query": urlencode(query),
        "next_query": urlencode({**query, "after": page.next_after}) if page.next_after else "",
        # A search with 待我审核 lists every status: bulk approval only on a list of one.
        "bulk_ok": filters.status in _bulk_statuses(request.scope)
        or (filters.status == selectors.PENDING and not filters.q),
    }
    return render(request, "review/queue.html", context, status=status)


@staff_required
def queue(request):
    if request.method == "POST":
        form = QueueFilterForm(request.POST)
        if form.is_valid():
            key = _save_filters(request, form.data_to_keep())
            return redirect(f"{reverse('review:queue')}?{urlencode({'f': key})}")
        return _queue_page(request, form, {})
    return _queue_page(request, *_queue_form(request))


def _bulk_statuses(scope) -> frozenset[str]:
    return Status.SITE_OPEN if scope.role == Role.SITE else Status.AWAITING_AREA


@staff_required
@require_POST
def bulk_approve(request):
    ids = [pk for pk in map(_id, request.POST.getlist("ids")) if pk is not None]
    if not ids:
        messages.error(request, "请先勾选要通过的报名。")
    else:
        bulk = (
            services.review_bulk_site_approve
            if request.scope.role == Role.SITE
            else services.review_bulk_area_approve
        )
        result = bulk(staff=request.user, registration_ids=ids)
        messages.success(request, f"已通过 {len(result.approved)} 条报名。")
        if result.refused:
            messages.error(request, f"{len(result.refused)} 条未通过：状态已变化或不在审核范围内。")
    back = request.POST.get("back", "")
    return redirect(f"{reverse('review:queue')}?{back}" if back else "review:queue")


NOTHING_TO_EXPORT = "没有符合条件的报名，未导出。"


@staff_required
def export(request):
    """导出Excel: the button of the filter form posts the form as shown (applied or not),
    which is also kept, so the queue it returns to lists the same rows. A GET exports a
    saved filter's key or a link's plain filters. No rows: a message, never an empty file."""
    if request.method == "POST":
        form = QueueFilterForm(request.POST)
        if not form.is_valid():
            return _queue_page(request, form, {}, status=400)
        query = {"f": _save_filters(request, form.data_to_keep())}
        full = request.POST.get("export") == "full"
    else:
        form, query = _queue_form(request)
        full = request.GET.get("full") == "1"
    if full and not request.scope.full_id_export:
        raise Http404
    qs = selectors.queue_queryset(request.scope, form.filters())
    handle, count = registrations_workbook(qs, full_ids=full)
    if count == 0:
        handle.close()
        messages.error(request, NOTHING_TO_EXPORT)
        return redirect(f"{reverse('review:queue')}?{urlencode(query)}")
    audit_record(
        actor=request.user,
        action="review.exported_full_ids" if full else "review.exported",
        changes={"rows": {"old": None, "new": count}},
        reason=form.described(),
        ip_address=ratelimit.client_ip(request),
    )
    name = f"baoming-{timezone.localtime():%Y%m%d-%H%M}.xlsx"
    return FileResponse(handle, as_attachment=True, filename=name)


# --- A registration ---------------------------------------------------------------------------


def _decisions_open(scope, status: str) -> dict[str, bool]:
    """Which buttons the detail page offers: the moves the life cycle allows from the
    registration's state, for this staff member's role (the services check again)."""
    site, area = scope.role == Role.SITE, scope.role in AREA_ROLES
    return {
        "can_site": site and lifecycle.SITE_APPROVE.allowed_from(status),
        "can_area": area and lifecycle.AREA_APPROVE.allowed_from(status),
        "can_return": (site and lifecycle.SITE_RETURN.allowed_from(status))
        or (area and lifecycle.AREA_RETURN.allowed_from(status)),
    }


def _detail(request, registration, *, status=200, **extra):
    scope = request.scope
    context = {
        "registration": registration,
        "candidate": registration.candidate,
        "entries": selectors.registration_entries(registration),
        "history": selectors.registration_history(scope, registration),
        "can_manage": selectors.candidate_in_reach(scope, registration.candidate_id),
        "return_form": ReturnForm(),
        **_decisions_open(scope, registration.status),
        **extra,
    }
    return render(request, "review/detail.html", context, status=status)


@staff_required
def detail(request, pk: int):
    return _detail(request, selectors.registration_for_staff(request.scope, pk))


@staff_required
def photo(request, pk: int):
    registration = selectors.registration_for_staff(request.scope, pk)
    found = selectors.registration_photo(registration)
    if found is None:
        raise Http404
    try:
        handle = found.image.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")


@staff_required
@require_POST
def approve(request, pk: int):
    registration = selectors.registration_for_staff(request.scope, pk)
    service = (
        services.review_site_approve
        if request.scope.role == Role.SITE
        else services.review_area_approve
    )
    try:
        service(staff=request.user, registration=registration)
    except ReviewError as exc:
        messages.error(request, exc.message)
    else:
        label = "考点通过" if request.scope.role == Role.SITE else "审核通过"
        messages.success(request, f"报名 {registration.number} 已{label}。")
    return redirect("review:detail", pk=pk)


@staff_required
@require_POST
def return_view(request, pk: int):
    registration = selectors.registration_for_staff(request.scope, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.review_return(
                staff=request.user, registration=registration, reason=form.cleaned_data["text"]
            )
        except ReviewError as exc:
            form.add_error("reason" if exc.field else None, exc.message)
        else:
            messages.success(request, f"报名 {registration.number} 已退回，考生可看到退回原因。")
            return redirect("review:detail", pk=pk)
    return _detail(request, registration, status=400, return_form=form)


@staff_required
@sensitive_post_parameters()
def correct(request, pk: int):
    registration = selectors.registration_for_staff(request.scope, pk)
    candidate = selectors.candidate_for_staff(request.scope, registration)
    initial = {f: getattr(candidate, f) for f in ("full_name", "id_type", "id_number", "gender")}
    initial["birth_date"] = candidate.birth_date
    form = CorrectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method != "POST":  # the unbound form shows the full ID number: audited
        services.candidate_full_id_reveal(
            staff=request.user, candidate=candidate, ip_address=ratelimit.client_ip(request)
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_correct(staff=request.user, candidate=candidate, **form.values())
        except (ReviewError, AccountError) as exc:
            form.add_error(getattr(exc, "field", None), exc.message)
        else:
            messages.success(request, "基本信息已更正，考生在个人信息页可看到更正提示。")
            return redirect("review:detail", pk=pk)
    return render(request, "review/correct.html", {"form": form, "registration": registration})


@staff_required
@sensitive_post_parameters()
def reset_password(request, pk: int):
    registration = selectors.registration_for_staff(request.scope, pk)
    selectors.candidate_for_staff(request.scope, registration)
    form = ResetPasswordForm(request.POST if request.method == "POST" else None)
    password = None
    if request.method == "POST" and form.is_valid():
        try:
            password = services.candidate_password_reset(
                staff=request.user,
                candidate=registration.candidate,
                reason=form.cleaned_data["reason"],
                ip_address=ratelimit.client_ip(request),
            )
        except ReviewError as exc:
            form.add_error(exc.field, exc.message)
    context = {"form": form, "registration": registration, "password": password}
    return render(request, "review/reset_password.html", context)


@staff_required
def scan(request, signed: str):
    """The QR code of a printed form: its registration, if in scope (else 404)."""
    pk = selectors.registration_id_from_qr(signed)
    if pk is None:
        raise Http404
    registration = selectors.registration_for_staff(request.scope, pk)
    return redirect("review:detail", pk=registration.pk)


# --- Dashboard and audit log --------------------------------------------------------------------


@staff_required
def dashboard(request):
    exams = selectors.exams_for_filter()
    chosen = request.GET.get("exam", "")
    exam = next((e for e in exams if str(e.pk) == chosen), exams[0] if exams else None)
    stats = selectors.dashboard(request.scope, exam)
    counts = {r["day"]: r["n"] for r in stats["by_day"]}
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(29, -1, -1)]
    day_chart = bar_chart([(f"{d:%m-%d}", counts.get(d, 0)) for d in days], title="每日报名数")
    context = {"exams": exams, "exam": exam, "stats": stats, "day_chart": day_chart}
    return render(request, "review/dashboard.html", context)


# As the queue's: the 考生 field takes a full ID number, so the filter posts and waits in
# the session under a key; pages carry only the key and the keyset position.
SAVED_AUDIT_FILTERS = "review_audit_filters"


def _audit_form(request) -> tuple[AuditFilterForm, dict]:
    """The filter form and the query that brings the same list back (for the pages)."""
    key = request.GET.get("f", "")
    saved = request.session.get(SAVED_AUDIT_FILTERS, {}).get(key)
    if saved is not None:
        return AuditFilterForm(saved), {"f": key}
    params = {k: v for k, v in request.GET.items() if k not in ("after", "f")}
    if params:
        return AuditFilterForm(params, from_url=True), params
    return AuditFilterForm(), {}


@staff_required
def audit_log(request):
    if request.method == "POST":
        form = AuditFilterForm(request.POST)
        if form.is_valid():
            key = _save_filters(request, form.data_to_keep(), SAVED_AUDIT_FILTERS)
            return redirect(f"{reverse('review:audit')}?{urlencode({'f': key})}")
        query = {}
    else:
        form, query = _audit_form(request)
    if form.is_bound and not form.is_valid():
        rows, next_after = [], None  # an invalid filter lists nothing rather than everything
    else:
        rows, next_after = selectors.audit_page(
            request.scope, form.filters() if form.is_bound else selectors.AuditFilters(),
            after=_after(request),
        )  # fmt: skip
    context = {
        "form": form,
        "rows": rows,
        "query": urlencode(query),
        "next_query": urlencode({**query, "after": next_after}) if next_after else "",
    }
    return render(request, "review/audit.html", context)


# --- Work units entered by hand ------------------------------------------------------------------


@staff_required(roles=AREA_ROLES)
def units(request):
    rows, next_after = selectors.units_page(request.scope, after=_after(request))
    context = {
        "rows": rows,
        "next_query": urlencode({"after": next_after}) if next_after else "",
        "merge_form": UnitMergeForm(),
        "reject_form": UnitRejectForm(),
    }
    return render(request, "review/units.html", context)


@staff_required(roles=AREA_ROLES)
@require_POST
def unit_decide(request, pk: int, action: str):
    unit = selectors.unit_for_staff(request.scope, pk)
    try:
        if action == "approve":
            services.unit_approve(staff=request.user, institution=unit)
            messages.success(request, f"“{unit.name}”已核实，加入单位目录。")
        elif action == "merge":
            code = request.POST.get("into", "").strip().upper()
            into = Institution.objects.filter(code=code, verified=True).first()
            if into is None:
                raise ReviewError("找不到该机构代码对应的已核实单位，请核对。")
            moved = services.unit_merge(staff=request.user, institution=unit, into=into)
            messages.success(request, f"“{unit.name}”已并入“{into.name}”（{moved}份个人信息）。")
        elif action == "reject":
            services.unit_reject(
                staff=request.user, institution=unit, reason=request.POST.get("reason", "")
            )
            messages.success(request, f"“{unit.name}”已驳回。")
        else:
            raise Http404
    except ReviewError as exc:
        messages.error(request, exc.message)
    return redirect("review:units")
