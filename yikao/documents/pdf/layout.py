"""Styles and small building blocks shared by the forms (A4, AR PL UMing, 五号/小四 text)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from . import fonts
from .fonts import markup

PAGE_W, PAGE_H = A4
MARGIN_X = 15 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 15 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
NBSP = "\xa0"
GRID = 0.6


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_c: ParagraphStyle
    label: ParagraphStyle
    small: ParagraphStyle
    note: ParagraphStyle
    line: ParagraphStyle
    body: ParagraphStyle
    body_plain: ParagraphStyle
    sign: ParagraphStyle
    section: ParagraphStyle
    compact: ParagraphStyle


@cache
def styles() -> Styles:
    fonts.ensure_font(fonts.MAIN)
    f = fonts.MAIN

    def s(name: str, size: float, leading: float, align: int = TA_LEFT, **kw) -> ParagraphStyle:
        # CJK line breaking lets a closing mark (），。) hang one character past the line's
        # end; half an em of right indent keeps its ink inside the cell's border.
        kw.setdefault("rightIndent", size / 2)
        return ParagraphStyle(
            name, fontName=f, fontSize=size, leading=leading, alignment=align, **kw
        )

    return Styles(
        title=s("title", 18, 26, TA_CENTER, spaceAfter=4, rightIndent=0),
        subtitle=s("subtitle", 12, 18, TA_CENTER, spaceAfter=6, rightIndent=0),
        cell=s("cell", 10.5, 14, wordWrap="CJK"),
        cell_c=s("cell_c", 10.5, 14, TA_CENTER, wordWrap="CJK"),
        label=s("label", 10.5, 14, TA_CENTER, wordWrap="CJK"),
        small=s("small", 9, 12, TA_CENTER, wordWrap="CJK"),
        note=s("note", 10.5, 15, wordWrap="CJK"),
        line=s("line", 12, 20, wordWrap="CJK"),
        body=s("body", 14, 28, TA_JUSTIFY, firstLineIndent=28, rightIndent=0, wordWrap="CJK"),
        body_plain=s("body_plain", 14, 28, TA_LEFT, rightIndent=0, wordWrap="CJK"),
        sign=s("sign", 14, 30, TA_LEFT, leftIndent=CONTENT_W * 0.4, wordWrap="CJK"),
        section=s("section", 11, 14, TA_LEFT, wordWrap="CJK"),
        compact=s("compact", 9.5, 12.5, TA_LEFT, wordWrap="CJK"),
    )


def para(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, with font fallback)."""
    return Paragraph(markup(text), style)


def rich(parts: Iterable[str], style: ParagraphStyle) -> Paragraph:
    """A paragraph of already-marked-up parts (see ``markup``, ``field``, ``blank``)."""
    return Paragraph("".join(parts), style)


def blank(width: int = 8) -> str:
    """An underlined empty field ``width`` half-width spaces wide."""
    return f"<u>{NBSP * width}</u>"


def field(value: object, width: int = 8) -> str:
    """An underlined field holding ``value``, padded to about ``width`` half-widths."""
    s = "" if value is None else str(value).strip()
    if not s:
        return blank(width)
    used = sum(1 if ord(c) < 0x2E80 else 2 for c in s)
    pad = max(2, width - used)
    left = pad // 2
    return f"<u>{NBSP * left}{markup(s)}{NBSP * (pad - left)}</u>"


def spaced(label: str) -> str:
    """Two-character labels are spread like the seed's "姓    名"."""
    if len(label) == 2:
        return label[0] + NBSP * 4 + label[1]
    return label


def title(text: str, st: Styles | None = None) -> list:
    st = st or styles()
    return [para(text, st.title)]


def grid_style(*extra: tuple) -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), GRID, colors.black),
            # empty string cells would otherwise pull in an unembedded Helvetica
            ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def _content_height(content: object, width: float) -> float:
    items = content if isinstance(content, list | tuple) else [content]
    h = 0.0
    for f in items:
        if isinstance(f, Flowable):
            h += f.wrap(width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return h


def _row_heights(
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    minimum: Sequence[float | None],
    style: Sequence[tuple],
) -> list[float | None]:
    """Each row as tall as its ``minimum`` or as its content needs, whichever is more.

    ReportLab takes given row heights as fixed and lets longer text run over the grid; this
    measures the content of single-row cells (spanned cells by their spanned width)."""
    pad = {"LEFTPADDING": 3.0, "RIGHTPADDING": 3.0, "TOPPADDING": 3.0, "BOTTOMPADDING": 3.0}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for cmd in style:
        if cmd[0] in pad and cmd[1] == (0, 0) and cmd[2] == (-1, -1):
            pad[cmd[0]] = float(cmd[3])
        elif cmd[0] == "SPAN":
            (c0, r0), (c1, r1) = cmd[1], cmd[2]
            spans[(c0, r0)] = (c1, r1)
    out: list[float | None] = []
    for r, row in enumerate(rows):
        need = 0.0
        for c, content in enumerate(row):
            c1, r1 = spans.get((c, r), (c, r))
            if r1 != r or not content:
                continue  # rows spanned together share their height; not measured
            w = sum(widths[c : c1 + 1]) - pad["LEFTPADDING"] - pad["RIGHTPADDING"]
            h = _content_height(content, w) + pad["TOPPADDING"] + pad["BOTTOMPADDING"]
            need = max(need, h)
        m = minimum[r] if r < len(minimum) else None
        out.append(max(need, m) if m else None)
    return out


def table(
    rows: Sequence[Sequence[object]],
    widths_mm: Sequence[float],
    *,
    min_heights_mm: Sequence[float | None] | None = None,
    style: Sequence[tuple] = (),
    repeat_rows: int = 0,
) -> Table:
    """A grid; ``min_heights_mm`` rows grow when their text needs more room."""
    widths = [w * mm for w in widths_mm]
    style = list(style)
    heights = None
    if min_heights_mm:
        minimum = [h * mm if h else None for h in min_heights_mm]
        heights = _row_heights(rows, widths, minimum, style)
    t = Table(
        [list(r) for r in rows],
        colWidths=widths,
        rowHeights=heights,
        repeatRows=repeat_rows,
        hAlign="CENTER",
    )
    t.setStyle(grid_style(*style))
    return t


def gap(h_mm: float) -> Spacer:
    return Spacer(1, h_mm * mm)


# ---- values -------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})(?:[-./年](\d{1,2}))?(?:[-./月](\d{1,2}))?")


def date_parts(value: object) -> tuple[str, str, str]:
    """(year, month, day) of a date, datetime or "YYYY[-MM[-DD]]" string; "" where unknown."""
    if isinstance(value, dt.datetime | dt.date):
        return str(value.year), str(value.month), str(value.day)
    m = _DATE.match(str(value or ""))
    if not m:
        return "", "", ""
    y, mo, d = m.groups()
    return y, str(int(mo)) if mo else "", str(int(d)) if d else ""


def ym(value: object) -> str:
    """ "YYYY-MM" or "" (the system's year-month format)."""
    y, m, _ = date_parts(value)
    if y and m:
        return f"{y}-{int(m):02d}"
    return y or ("" if value is None else str(value))


def ymd(value: object) -> str:
    """A date as "YYYY年M月D日" (or the text as given, e.g. "长期")."""
    y, m, d = date_parts(value)
    if y and m and d:
        return f"{y}年{m}月{d}日"
    return "" if value is None else str(value)


def stamp_time(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


_derived: dict[tuple, ParagraphStyle] = {}


def at(
    st: ParagraphStyle, *, left_mm: float = 0, right_mm: float = 0, align: str = "left"
) -> ParagraphStyle:
    """``st`` indented (and aligned); for signature and date lines, cached."""
    key = (st.name, left_mm, right_mm, align)
    derived = _derived.get(key)
    if derived is None:
        alignment = {"left": TA_LEFT, "right": TA_RIGHT, "center": TA_CENTER}[align]
        derived = ParagraphStyle(
            f"{st.name}@{left_mm},{right_mm},{align}",
            parent=st,
            leftIndent=left_mm * mm,
            rightIndent=right_mm * mm,
            firstLineIndent=0,
            alignment=alignment,
        )
        _derived[key] = derived
    return derived
