"""报名申请表 / 网上报名成功通知单: what the candidate submitted, with photo and QR code."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from functools import cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepInFrame

from ..fonts import markup
from ..inputs import Record, beijing_today
from ..layout import (
    CONTENT_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    NBSP,
    PAGE_H,
    blank,
    gap,
    para,
    rich,
    stamp_time,
    styles,
    table,
    ym,
    ymd,
)
from ..qr import QRFlowable
from ..wording import registration_form as w
from ._base import Ctx

# 5 columns on top (label, value, label, value, photo); the sections below merge the last two.
# Label columns hold six characters (加注专业方向, 工作起始年月, 毕业证书编号) on one line.
TOP_W = (27, 47, 27, 40, 39)
SECTION_W = (27, 47, 27, 79)
LIST_W = sum(SECTION_W)
PHOTO_W, PHOTO_H = 35 * mm, 45 * mm  # 小二寸
QR_SIZE = 32 * mm
SHADE = colors.HexColor("#EEEEEE")
TIGHT = [("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]


@cache
def _dense(name: str, leading: float) -> ParagraphStyle:
    """The style ``name`` of the Styles with a tighter leading (the record sections: 13 pt
    instead of 14), so that a full set of records and the footer share one page."""
    base = getattr(styles(), name)
    return ParagraphStyle(f"{base.name}_{leading}", parent=base, leading=leading)


def _pairs(record: Record) -> list[tuple[str, str]]:
    items = record.items() if isinstance(record, Mapping) else record
    return [(str(k), "" if v is None else str(v)) for k, v in items]


def _photo(ctx: Ctx) -> Flowable:
    jpeg = ctx.registration.photo_jpeg if ctx.registration else None
    if jpeg:
        try:
            iw, ih = ImageReader(io.BytesIO(jpeg)).getSize()
        except Exception:  # a broken photo must not stop the print; the box says so
            return para(w.PHOTO + "（无法显示）", ctx.st.small)
        scale = min(PHOTO_W / iw, PHOTO_H / ih)
        return Image(io.BytesIO(jpeg), width=iw * scale, height=ih * scale)
    return para(w.PHOTO, ctx.st.small)


def _section(ctx: Ctx, heading: str, records: Sequence[list[tuple[str, str]]]):
    """A heading bar, then each record's label/value pairs two to a row."""
    st = ctx.st
    L, V = _dense("label", 13), _dense("cell", 13)
    if not any(records):  # one line: the heading, then 无
        rows = [[para(heading, st.section), para(w.NONE, st.cell), "", ""]]
        style = [("SPAN", (1, 0), (3, 0)), ("BACKGROUND", (0, 0), (0, 0), SHADE)]
        return table(rows, SECTION_W, style=TIGHT + style)
    rows: list[list] = [[para(heading, st.section), "", "", ""]]
    style: list[tuple] = [("SPAN", (0, 0), (3, 0)), ("BACKGROUND", (0, 0), (3, 0), SHADE)]
    for rec in records:
        first = len(rows)
        for i in range(0, len(rec), 2):
            (l1, v1), rest = rec[i], rec[i + 1 : i + 2]
            row = [para(l1, L), para(v1, V)]
            if rest:
                row += [para(rest[0][0], L), para(rest[0][1], V)]
            else:
                row += ["", ""]
                style.append(("SPAN", (1, len(rows)), (3, len(rows))))
            rows.append(row)
        if first > 1:
            style.append(("LINEABOVE", (0, first), (3, first), 1.4, colors.black))
    return table(rows, SECTION_W, style=TIGHT + style)


def _width(text: str) -> int:
    """Width in half-width characters (a CJK character counts two)."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _list_section(ctx: Ctx, heading: str, records: Sequence[list[tuple[str, str]]]):
    """A heading bar, a header row of the records' labels, then one row per record: many
    records of the same kind (以往工作经历) on few lines. Columns as wide as their text needs."""
    st = ctx.st
    columns = list(dict.fromkeys(label for rec in records for label, _ in rec))
    values = [dict(rec) for rec in records]
    need = [
        min(40, max(8, _width(label), *(_width(v.get(label, "")) for v in values)))
        for label in columns
    ]
    widths = [LIST_W * n / sum(need) for n in need]
    last = len(columns) - 1
    rows: list[list] = [[para(heading, st.section), *[""] * last]]
    rows.append([para(label, st.small) for label in columns])
    rows += [[para(v.get(label, ""), st.small) for label in columns] for v in values]
    style = [("SPAN", (0, 0), (last, 0)), ("BACKGROUND", (0, 0), (last, 0), SHADE)]
    return table(rows, widths, style=TIGHT + style)


def build(ctx: Ctx) -> list[Flowable]:
    r = ctx.registration
    if r is None:
        raise ValueError("registration_form needs registration=RegistrationInfo(...)")
    st, c, exam = ctx.st, ctx.candidate, ctx.exam
    L, V = st.label, st.cell
    exam_name = exam.name if exam.name.startswith(str(exam.year)) else f"{exam.year}年{exam.name}"

    top = [
        [para(w.L_EXAM, L), para(exam_name, V), "", "", _photo(ctx)],
        [para(w.L_REGISTRATION_NO, L), para(r.registration_number, V),
         para(w.L_SUBMITTED, L), para(stamp_time(r.submitted_at), V), ""],
        [para(w.L_CATEGORY, L), para(ctx.category, V), "", "", ""],
        [para(w.L_AREA, L), para(r.exam_area, V), para(w.L_SITE, L), para(r.exam_site, V), ""],
        [para(w.L_NAME, L), para(c.name, V), para(w.L_GENDER, L), para(c.gender, V), ""],
        [para(w.L_BIRTH, L), para(ym(c.birth_month), V), para(w.L_ETHNICITY, L),
         para(c.ethnicity, V), ""],
    ]  # fmt: skip
    top_style = [
        ("SPAN", (1, 0), (3, 0)),
        ("SPAN", (1, 2), (3, 2)),
        ("SPAN", (4, 0), (4, 5)),
        ("ALIGN", (4, 0), (4, 5), "CENTER"),
    ]
    # Six rows beside the 45 mm photo (and its padding): 6 × 7.8 mm.
    head = table(top, TOP_W, min_heights_mm=[7.8] * len(top), style=TIGHT + top_style)

    basic = [
        [(w.L_ID_TYPE, c.id_type), (w.L_ID_NUMBER, c.id_number),
         (w.L_ID_VALID, ymd(c.id_valid_until)), (w.L_PHONE, c.phone),
         *_pairs(r.basic_extra)],
    ]  # fmt: skip
    # The address in the wide column, beside the unit's name.
    work = [
        [(w.L_UNIT, c.work_unit), (w.L_UNIT_ADDRESS, c.work_unit_address),
         (w.L_POST, c.work_post), (w.L_POSTCODE, c.work_unit_postcode)],
        *(_pairs(x) for x in r.work),
    ]  # fmt: skip
    work = [[(k, v) for k, v in rec if v] for rec in work if any(v for _, v in rec)]
    history = [p for p in (_pairs(x) for x in r.work_history) if any(v for _, v in p)]
    education = [_pairs(x) for x in r.education] or [
        [(w.L_EDU_LEVEL, c.education_level), (w.L_MAJOR, c.major), (w.L_SCHOOL, c.school),
         (w.L_GRADUATION, ym(c.graduation_month)), (w.L_DEGREE, c.degree_type)]
    ]  # fmt: skip
    certificates = [_pairs(x) for x in r.certificates]
    if not certificates and (c.assistant_qualification_no or c.assistant_practice_no):
        certificates = [
            [(w.L_QUALIFICATION_NO, c.assistant_qualification_no),
             (w.L_PRACTICE_NO, c.assistant_practice_no)]
        ]  # fmt: skip

    bring = [para(w.BRING, st.section), gap(1)]
    listed = enumerate(r.documents_to_bring, 1)
    bring += [para(f"{i}. {d}", _dense("compact", 12)) for i, d in listed]
    qr = [QRFlowable(r.qr_payload, QR_SIZE), para(w.QR_CAPTION, st.small)] if r.qr_payload else ""
    footer = table(
        [[bring, qr]],
        (140, 40),
        style=[("VALIGN", (0, 0), (0, 0), "TOP"), ("ALIGN", (1, 0), (1, 0), "CENTER")],
    )
    today = r.printed_on or beijing_today()
    form = [
        para(w.TITLE_WITH_EXAM.format(exam=exam_name), st.title),
        para(w.SUBTITLE, st.subtitle),
        head,
        _section(ctx, w.S_BASIC, basic),
        _section(ctx, w.S_WORK, work),
        *([_list_section(ctx, w.S_WORK_HISTORY, history)] if history else []),
        _section(ctx, w.S_EDUCATION, education),
        _section(ctx, w.S_TRAINING, [_pairs(x) for x in r.training]),
        _section(ctx, w.S_CERTIFICATES, certificates),
        footer,
        gap(2),
        para(w.CHECK, st.compact),
        gap(3),
        rich([markup(w.CANDIDATE_SIGN), blank(30), NBSP * 20, markup(w.PRINTED + ymd(today))], st.note),
    ]  # fmt: skip
    # One page always: a form that fits is printed as laid out; one with more records
    # (a postgraduate's two educations, several earlier periods, a long list of papers) is
    # scaled down to the page instead of leaving page 1 part empty and spilling onto page 2.
    return [KeepInFrame(CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 1, form, mode="shrink")]
