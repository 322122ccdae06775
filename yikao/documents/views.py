from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from yikao.accounts.decorators import candidate_required
from yikao.core.ratelimit import client_ip
from yikao.documents import services
from yikao.documents.selectors import printable_registration


@candidate_required
@require_safe
@xframe_options_sameorigin
def registration_pdf(request, pk: int, code: str = services.ALL):
    registration = printable_registration(request.user.candidate, pk)
    base_url = getattr(settings, "PUBLIC_BASE_URL", "") or request.build_absolute_uri("/")
    try:
        pdf = services.registration_pdf(
            registration=registration, code=code, base_url=base_url,
            actor=request.user, ip_address=client_ip(request),
        )  # fmt: skip
    except services.PrintRefused as exc:
        if exc.code == "not_applicable":
            raise Http404 from None
        context = {"registration": registration, "message": exc.message}
        return render(request, "documents/refused.html", context, status=410)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = services.registration_pdf_filename(registration, code)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    # The site's page policy (object-src 'none', no inline styles) blanks Chrome's PDF viewer.
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response
