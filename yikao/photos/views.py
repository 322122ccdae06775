"""Photo pages: 照片检测 (public), 上传照片 (candidates), and the owner-only photo files.

Every page checks, accepts and verifies under one exam's photo rules: `?exam=<id>` (the wizard's
link), else the exam open now, else DEFAULT_PROFILE (selectors.photo_exam). The id is carried
in every link and form of the page, so a photo checked for an exam is accepted for it.
"""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yikao.accounts.decorators import candidate_required
from yikao.core import ratelimit
from yikao.photos import selectors, services
from yikao.photos.forms import (
    EXPIRED_MESSAGE,
    MAX_UPLOAD_BYTES,
    CheckedPhotoForm,
    PhotoCheckForm,
    PhotoUploadForm,
)

FORM_OVERHEAD = 64 * 1024  # multipart headers and the small fields beside the file
THROTTLED_MESSAGE = "检测过于频繁，请稍后再试。"
BUSY_RETRY_AFTER = "5"
DOWNLOAD_NAME = "photo-checked.jpg"


class _SizeLimitHandler(FileUploadHandler):
    """Drops a file as soon as it grows past the limit, so it is never read or stored fully."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None


def limited_upload(view):
    """Refuse a body over the limit by its Content-Length without reading it, and cap a file
    in the parser otherwise. The upload handler must be set before the CSRF check reads the
    body, hence csrf_exempt outside and csrf_protect inside (Django's documented pattern)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_too_large = False
        if request.method == "POST":
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            if declared > MAX_UPLOAD_BYTES + FORM_OVERHEAD:
                # Nothing is read or changed: the view only shows the size message.
                request.upload_too_large = True
                return view(request, *args, **kwargs)
            request.upload_handlers.insert(0, _SizeLimitHandler(request, MAX_UPLOAD_BYTES))
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)


def _posted(request):
    """(data, files) to bind a form with: None on GET, empty for an unread oversized body."""
    if request.method != "POST":
        return None, None
    if request.upload_too_large and not hasattr(request, "_files"):
        return {}, {}
    files = request.FILES  # parses the body; the size handler may set upload_too_large
    return request.POST, files


def _file_form(form_class, request, **kwargs):
    data, files = _posted(request)
    return form_class(data, files, too_large=request.upload_too_large, **kwargs)


def _safe_next(request) -> str:
    """A local path to return to (profile page, registration wizard), or ""."""
    url = request.GET.get("next") or ""
    ok = url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=set())
    return url if ok else ""


def _with_exam(request) -> None:
    """Sets request.photo_exam (or None) and request.photo_profile, the rules of this request."""
    request.photo_exam = selectors.photo_exam(request.GET.get("exam"))
    request.photo_profile = selectors.photo_profile_for(request.photo_exam)


def _query(request, next_url: str = "", *, safe: str = "/") -> str:
    """The query string ("?exam=…&next=…", whichever are set) for the page's links and forms."""
    params = {"exam": request.photo_exam.pk} if request.photo_exam is not None else {}
    if next_url:
        params["next"] = next_url
    return f"?{urlencode(params, safe=safe)}" if params else ""


def _context(request, **extra) -> dict:
    next_url = _safe_next(request)
    return {
        "photo_profile": request.photo_profile,
        "exam_query": _query(request),
        "photo_query": _query(request, next_url),
        "next_url": next_url,
        "max_bytes": MAX_UPLOAD_BYTES,
        **extra,
    }


def _upload_url(request, next_url: str) -> str:
    return reverse("photos:upload") + _query(request, next_url, safe="")


def _run_check(request, form):
    """The check's result, or None with the reason on the form. Counted per client address
    (the page is public) before anything is decoded; request.photo_busy is set when every check
    slot of the process stayed taken (the page then answers 503 with Retry-After)."""
    if not ratelimit.hit("photo_check", ratelimit.client_ip(request), limit=60, window=600):
        form.add_error("photo", THROTTLED_MESSAGE)
        return None
    try:
        return services.photo_check(data=form.cleaned_data["data"], profile=request.photo_profile)
    except services.PhotoCheckBusy as exc:
        request.photo_busy = True
        form.add_error("photo", exc.message)
        return None


def _busy(request, response):
    if getattr(request, "photo_busy", False):
        response.status_code = 503
        response["Retry-After"] = BUSY_RETRY_AFTER
    return response


@limited_upload
def check(request):
    _with_exam(request)
    form = _file_form(PhotoCheckForm, request, profile=request.photo_profile)
    result = _run_check(request, form) if form.is_bound and form.is_valid() else None
    page = render(request, "photos/check.html", _context(request, form=form, result=result))
    return _busy(request, page)


@require_POST
def download(request):
    _with_exam(request)
    form = CheckedPhotoForm(request.POST)
    data = form.cleaned_data["checked"] if form.is_valid() else b""
    if not services.photo_mark_valid(data=data, profile=request.photo_profile):
        messages.error(request, EXPIRED_MESSAGE)
        return redirect(reverse("photos:check") + _query(request))
    response = HttpResponse(data, content_type="image/jpeg")
    response["Content-Disposition"] = f'attachment; filename="{DOWNLOAD_NAME}"'
    response["Cache-Control"] = "no-store"
    return response


def _upload_page(request, *, form, check_form, result=None, status=200):
    photo = selectors.current_photo(request.candidate)
    context = _context(request, form=form, check_form=check_form, result=result, photo=photo)
    return render(request, "photos/upload.html", context, status=status)


@candidate_required
@limited_upload
def upload(request):
    _with_exam(request)
    form = _file_form(PhotoUploadForm, request)
    if form.is_bound and form.is_valid():
        try:
            services.photo_accept(
                candidate=request.candidate,
                data=form.cleaned_data["data"],
                profile=request.photo_profile,
                ip_address=ratelimit.client_ip(request),
            )
        except services.PhotoRefused as exc:
            form.add_error("photo", exc.message)
        else:
            messages.success(request, "照片已上传。")
            return redirect(_safe_next(request) or _upload_url(request, ""))
    check_form = PhotoCheckForm(prefix="check", profile=request.photo_profile)
    return _upload_page(request, form=form, check_form=check_form)


@candidate_required
@require_POST
@limited_upload
def upload_check(request):
    _with_exam(request)
    check_form = _file_form(PhotoCheckForm, request, prefix="check", profile=request.photo_profile)
    result = _run_check(request, check_form) if check_form.is_valid() else None
    page = _upload_page(request, form=PhotoUploadForm(), check_form=check_form, result=result)
    return _busy(request, page)


@candidate_required
@require_POST
def use(request):
    _with_exam(request)
    form = CheckedPhotoForm(request.POST)
    next_url = _safe_next(request)
    try:
        if not form.is_valid():
            raise services.PhotoRefused(EXPIRED_MESSAGE)
        services.photo_accept(
            candidate=request.candidate,
            data=form.cleaned_data["checked"],
            profile=request.photo_profile,
            ip_address=ratelimit.client_ip(request),
        )
    except services.PhotoRefused as exc:
        messages.error(request, exc.message)
        return redirect(_upload_url(request, next_url))
    messages.success(request, "已使用检测后的照片。")
    return redirect(next_url or _upload_url(request, ""))


def _photo_response(photo, cache_control: str):
    try:
        handle = photo.image.open("rb")
    except OSError:
        raise Http404("photo file missing") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    response["Cache-Control"] = cache_control
    return response


@candidate_required
def current(request):
    photo = selectors.current_photo(request.candidate)
    if photo is None:
        raise Http404("no photo")
    return _photo_response(photo, "private, no-cache")


@candidate_required
def image(request, photo_id: int):
    photo = selectors.candidate_photo(request.candidate, photo_id)
    if photo is None:
        raise Http404("no such photo")
    return _photo_response(photo, "private, max-age=86400, immutable")
