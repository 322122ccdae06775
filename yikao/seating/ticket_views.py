"""The candidate's 准考证: the page of a registration's tickets, one part's PDF, and the
site's 集中打印 PDF for staff.

The PDF carries the masked ID only (like the receipt), so a candidate's download is not
audited; the staff's one PDF of a whole site is.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from yikao.accounts.decorators import candidate_required
from yikao.core.audit import audit_record
from yikao.core.ratelimit import client_ip
from yikao.payments import scope
from yikao.seating import ticket_selectors as tickets
from yikao.seating.models import Part, Session
from yikao.staff.access import staff_required

NOBODY_SEATED = "该考点本部分考试尚无已编排考场的考生，没有可打印的准考证。"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    # As for the forms: the site's page policy would blank Chrome's PDF viewer.
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _part(part: str) -> str:
    if part not in Part.values:
        raise Http404
    return part


@candidate_required
@require_safe
def ticket_page(request, registration_id: int):
    registration, parts = tickets.candidate_tickets(request.user.candidate, registration_id)
    context = {"registration": registration, "parts": parts}
    return render(request, "seating/tickets.html", context)


@candidate_required
@require_safe
@xframe_options_sameorigin
def ticket_pdf(request, registration_id: int, part: str):
    ticket = tickets.candidate_ticket(request.user.candidate, registration_id, _part(part))
    if not ticket.ready:
        context = {"ticket": ticket, "registration_id": registration_id}
        return render(request, "seating/ticket_refused.html", context, status=409)
    pdf = tickets.ticket_pdf(ticket.seat)
    return pdf_response(pdf, f"zhunkaozheng-{ticket.seat.ticket_no}.pdf")


@staff_required
@require_safe
@xframe_options_sameorigin
def site_tickets_pdf(request, site_id: int, part: str):
    """集中打印: every ticket of a site's part in one PDF, for the site's own staff (an
    area its province, national all); another site is a 404."""
    site = get_object_or_404(scope.sites(request.scope), pk=site_id)
    session = (
        Session.objects.filter(site=site, part=_part(part))
        .select_related("exam")
        .order_by("-exam__year", "-exam_id")
        .first()
    )
    pdf = tickets.site_tickets_pdf(session.exam, site, part) if session else None
    if pdf is None:
        context = {"message": NOBODY_SEATED, "site": site, "part": Part(part).label}
        return render(request, "seating/ticket_site_refused.html", context, status=409)
    audit_record(
        actor=request.user,
        action="seating.tickets_printed",
        target=site,
        reason=f"{session.exam.year}年 {Part(part).label} 集中打印",
        ip_address=client_ip(request),
    )
    return pdf_response(pdf, f"zhunkaozheng-{site.code}-{part}.pdf")
