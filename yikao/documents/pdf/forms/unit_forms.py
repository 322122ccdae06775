"""附件5 短线医学专业加试申请表, 附件10 法人责任承诺书 and 附件11 考试承诺书."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from .. import fonts
from ..fonts import markup
from ..layout import CONTENT_W, NBSP, at, blank, field, gap, para, rich, spaced, table
from ..wording import exam_pledge as w11
from ..wording import rural_legal_pledge as w10
from ..wording import shortline_application as w5
from ._base import Ctx

UNCHECKED, CHECKED = "□", "■"


def build_shortline(ctx: Ctx) -> list[Flowable]:
    st, c = ctx.st, ctx.candidate
    L, C = st.label, st.cell_c
    chosen = ctx.registration.shortline_subject if ctx.registration else ""
    boxes = (NBSP * 16).join(
        f"{s}{NBSP}{CHECKED if s == chosen else UNCHECKED}" for s in w5.SUBJECTS
    )
    pledge = [
        para(w5.PLEDGE_HEAD, st.section),
        gap(1.5),
        *(para(ctx.fmt(p), st.line) for p in w5.PLEDGE),
        gap(6),
        rich([w5.SIGN, blank(20)], at(st.line, left_mm=105)),
        gap(2),
        rich([w5.DATE.replace(" ", NBSP), blank(20)], at(st.line, left_mm=105)),
    ]

    def review(head: str, stamp: str, sign: str) -> list[Flowable]:
        return [para(head, st.line), gap(52), para(stamp, st.line), gap(6), para(sign, st.line)]

    rows = [
        [para(w5.SECTION, at(st.section, align="center")), "", "", "", "", ""],
        [para(spaced(w5.L_NAME), L), para(c.name, C), "", para(w5.L_ID_NUMBER, L),
         para(c.id_number, C), ""],
        [para(w5.L_UNIT, L), para(c.work_unit, C), "", para(w5.L_POST, L),
         para(c.work_post, C), ""],
        [para(w5.L_SUBJECT, L), rich([NBSP * 6, boxes], st.cell), "", "", "", ""],
        [pledge, "", "", "", "", ""],
        [review(*w5.REVIEWS[0]), "", review(*w5.REVIEWS[1]), "", review(*w5.REVIEWS[2]), ""],
    ]  # fmt: skip
    style = [
        ("SPAN", (0, 0), (5, 0)),
        ("SPAN", (1, 1), (2, 1)),
        ("SPAN", (4, 1), (5, 1)),
        ("SPAN", (1, 2), (2, 2)),
        ("SPAN", (4, 2), (5, 2)),
        ("SPAN", (1, 3), (5, 3)),
        ("SPAN", (0, 4), (5, 4)),
        ("SPAN", (0, 5), (1, 5)),
        ("SPAN", (2, 5), (3, 5)),
        ("SPAN", (4, 5), (5, 5)),
        ("VALIGN", (0, 4), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 4), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 4), (-1, -1), 8),
        ("LEFTPADDING", (0, 4), (-1, -1), 6),
    ]
    grid = table(rows, (30,) * 6, min_heights_mm=[9, 12, 12, 12, None, None], style=style)
    return [para(ctx.fmt(w5.TITLE_WITH_YEAR), st.title), gap(4), grid]


def _plain_table(rows: list[list], widths_mm: tuple[float, ...]) -> Table:
    t = Table(rows, colWidths=[w * mm for w in widths_mm])
    t.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def build_rural_legal(ctx: Ctx) -> list[Flowable]:
    st, w = ctx.st, w10
    date = f"{NBSP * 12}年{NBSP * 6}月{NBSP * 6}日"
    half = CONTENT_W / mm / 2
    signs = _plain_table(
        [
            [para(w.LEGAL_REP, st.body_plain), para(w.UNIT_STAMP, st.body_plain)],
            [para(w.LEGAL_REP_HINT, st.body_plain), rich([date], st.body_plain)],
        ],
        (half, half),
    )
    health = _plain_table(
        [[para("", st.body_plain), para(w.HEALTH_STAMP, st.body_plain)],
         [para("", st.body_plain), rich([date], st.body_plain)]],
        (half * 0.6, half * 1.4),
    )  # fmt: skip
    return [
        *(para(t, st.title) for t in w.TITLE_LINES),
        gap(10),
        para(w.INTRO, st.body),
        *(para(i, st.body) for i in w.ITEMS),
        para(w.LIABILITY, st.body),
        gap(18),
        signs,
        gap(30),
        health,
    ]


def build_exam_pledge(ctx: Ctx) -> list[Flowable]:
    st, c, w = ctx.st, ctx.candidate, w11
    site = field(ctx.site, 12) if ctx.site else blank(12) + "考点"
    items = []
    for item in w.ITEMS:
        before, _, after = ctx.fmt(item.replace("{site}", "\0")).partition("\0")
        parts = [markup(before), site, markup(after)] if _ else [markup(before)]
        items.append(rich(parts, st.body))
    date = f"{NBSP * 10}年{NBSP * 5}月{NBSP * 5}日"
    half = CONTENT_W / mm / 2
    signs = _plain_table(
        [
            [para(w.SIGN_A, st.body_plain), para(w.SIGN_B, st.body_plain)],
            [rich([date], st.body_plain), rich([date], st.body_plain)],
        ],
        (half, half),
    )
    return [
        para(w.TITLE, st.title),
        gap(6),
        rich([w.PARTY_A[0], field(c.work_unit, 30), w.PARTY_A[1]], st.body_plain),
        rich([w.PARTY_B[0], field(c.name, 30), w.PARTY_B[1]], st.body_plain),
        gap(2),
        para(ctx.fmt(w.INTRO), st.body),
        *items,
        gap(16),
        signs,
    ]
