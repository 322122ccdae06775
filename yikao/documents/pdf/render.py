"""One PDF for one or more forms, each starting on a new page."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate

from . import fonts
from .forms import BUILDERS, FORM_TITLES, Ctx
from .inputs import CandidateInfo, ExamInfo, RegistrationInfo
from .layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, PAGE_W

# ReportLab wraps page streams and images in ASCII85 by default: 25 % bigger files and, for
# the photo, ~13 ms of pure-Python encoding per form. Binary streams are valid PDF everywhere.
rl_config.useA85 = 0


def _footer(registration: RegistrationInfo | None):
    text = f"报名号：{registration.registration_number}" if registration else ""

    def draw(canvas, doc) -> None:
        if not text:
            return
        canvas.saveState()
        canvas.setFont(fonts.MAIN, 8)
        canvas.setFillColor(colors.HexColor("#666666"))
        canvas.drawRightString(PAGE_W - MARGIN_X, MARGIN_BOTTOM / 2, text)
        canvas.restoreState()

    return draw


def render_forms(
    codes: Sequence[str],
    *,
    candidate: CandidateInfo,
    exam: ExamInfo,
    registration: RegistrationInfo | None = None,
) -> bytes:
    """Render the forms named by ``codes`` (see ``FORM_TITLES``) into one A4 PDF."""
    codes = list(codes)
    if not codes:
        raise ValueError("render_forms needs at least one form code")
    unknown = [c for c in codes if c not in BUILDERS]
    if unknown:
        raise ValueError(f"unknown form code(s) {unknown}; known: {sorted(BUILDERS)}")
    ctx = Ctx.of(candidate, exam, registration)
    story: list = []
    for i, code in enumerate(codes):
        if i:
            story.append(PageBreak())
        story.extend(BUILDERS[code](ctx))

    buf = io.BytesIO()
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        PAGE_W - 2 * MARGIN_X,
        PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc = BaseDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        title=FORM_TITLES[codes[0]] if len(codes) == 1 else f"{exam.year}年{exam.name}报名材料",
        author="医考 Yikao",
        subject=exam.name,
        creator="Yikao (ReportLab)",
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        initialFontName=fonts.MAIN,  # no unused, unembedded Helvetica in the font list
    )
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame], onPage=_footer(registration))])
    doc.build(story)
    return buf.getvalue()


def render_form(
    code: str,
    *,
    candidate: CandidateInfo,
    exam: ExamInfo,
    registration: RegistrationInfo | None = None,
) -> bytes:
    """Render one form (it may take more than one page)."""
    return render_forms([code], candidate=candidate, exam=exam, registration=registration)
