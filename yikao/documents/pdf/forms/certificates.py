"""附件3 试用期考核证明 and 附件4 执业期考核证明: the same grid, different rows on top."""

from __future__ import annotations

from types import ModuleType

from reportlab.platypus import Flowable

from ..layout import NBSP, at, field, gap, para, rich, spaced, table, ym, ymd
from ..layout import date_parts as parts
from ..wording import _common as common
from ..wording import practice_certificate as w4
from ..wording import trial_certificate as w3
from ._base import Ctx

# Column widths (mm) of the three stacked grids; each sums to 180 (A4 less 2 × 15 mm).
INFO_W = (24, 32, 24, 40, 22, 38)
POSTS_W = (24, 40, 17, 17, 46, 36)
OPINION_W = (24, 156)


def _period(start: object, end: object) -> str:
    (y1, m1, _), (y2, m2, _) = parts(start), parts(end)

    def box(v: str, w: int) -> str:
        pad = max(2, w - len(v))
        return "（" + NBSP * (pad // 2) + v + NBSP * (pad - pad // 2) + "）"

    return f"{box(y1, 11)}年{box(m1, 5)}月{NBSP * 4}至{box(y2, 11)}年{box(m2, 5)}月"


def _unit_rows(ctx: Ctx, w: ModuleType) -> list[list]:
    st, c = ctx.st, ctx.candidate
    L, V = st.label, st.cell
    return [
        [para(w.L_UNIT, L), para(w.L_UNIT_NAME, L), para(c.work_unit, V), "", "", ""],
        ["", para(w.L_UNIT_ADDRESS, L), para(c.work_unit_address, V), "",
         para(w.L_POSTCODE, L), para(c.work_unit_postcode, st.cell_c)],
        ["", para(w.L_REGISTRATION_NO, L), para(c.work_unit_registration_no, V), "",
         para(w.L_LEGAL_REP, L), para(c.work_unit_legal_rep, st.cell_c)],
    ]  # fmt: skip


def _info_table(ctx: Ctx, w: ModuleType, top: list[list]):
    st, c = ctx.st, ctx.candidate
    L = st.label
    n = len(top)
    rows = [
        *top,
        [para(w.L_CATEGORY, L), para(ctx.category, st.cell), "", "", "", ""],
        *_unit_rows(ctx, w),
        [para(w.L_PERIOD, L), rich([_period(c.trial_start, c.trial_end)], st.cell), "", "", "", ""],
    ]
    span = [
        ("SPAN", (1, n), (5, n)),
        ("SPAN", (0, n + 1), (0, n + 3)),
        ("SPAN", (2, n + 1), (5, n + 1)),
        ("SPAN", (2, n + 2), (3, n + 2)),
        ("SPAN", (2, n + 3), (3, n + 3)),
        ("SPAN", (1, n + 4), (5, n + 4)),
    ]
    return table(rows, INFO_W, min_heights_mm=[11] * len(rows), style=span)


def _posts_table(ctx: Ctx, w: ModuleType):
    L = ctx.st.label
    k = w.POST_ROWS
    head = [
        [para(w.L_POSTS, L), para(w.L_POST_NAME, L), para(w.L_TEACHER_EVAL, L), "",
         para(w.L_TEACHER_CERT, L), para(w.L_TEACHER_SIGN, L)],
        ["", "", para(common.PASS_FAIL[0], L), para(common.PASS_FAIL[1], L), "", ""],
    ]  # fmt: skip
    rows = head + [[""] * 6 for _ in range(k)]
    span = [
        ("SPAN", (0, 0), (0, k + 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (3, 0)),
        ("SPAN", (4, 0), (4, 1)),
        ("SPAN", (5, 0), (5, 1)),
    ]
    return table(rows, POSTS_W, min_heights_mm=[10, 8] + [10] * k, style=span)


def _opinion_table(ctx: Ctx, w: ModuleType):
    st = ctx.st
    opinion = [
        para(common.UNIT_PLEDGE, st.note),
        gap(4),
        rich([f"合格{NBSP * 2}（{NBSP * 16}）{NBSP * 10}不合格（{NBSP * 16}）"], st.note),
        gap(6),
        para(common.LEGAL_REP_SIGN, at(st.note, left_mm=70)),
        gap(6),
        para(common.UNIT_STAMP, st.note),
        para(common.DATE_BLANK.replace(" ", NBSP), at(st.note, right_mm=20, align="right")),
    ]
    notes = [para(n, st.note) for n in common.NOTES]
    rows = [
        [para(w.L_OPINION, st.label), opinion],
        [para(common.NOTES_HEAD, st.label), notes],
    ]
    return table(rows, OPINION_W, style=[("VALIGN", (1, 0), (1, -1), "TOP")])


def build_trial(ctx: Ctx) -> list[Flowable]:
    st, c, w = ctx.st, ctx.candidate, w3
    L, V, C = st.label, st.cell, st.cell_c
    top = [
        [para(spaced(w.L_NAME), L), para(c.name, C), para(spaced(w.L_GENDER), L),
         para(c.gender, C), para(w.L_BIRTH, L), para(ym(c.birth_month), C)],
        [para(spaced(w.L_ETHNICITY), L), para(c.ethnicity, C), para(w.L_MAJOR, L),
         para(c.major, C), para(w.L_EDUCATION, L), para(c.education_level, C)],
        [para(w.L_GRADUATION, L), para(ym(c.graduation_month), C), para(w.L_ID_NUMBER, L),
         para(c.id_number, V), para(w.L_ID_VALID, L), para(ymd(c.id_valid_until), C)],
    ]  # fmt: skip
    return [
        para(w.TITLE, st.title),
        gap(3),
        _info_table(ctx, w, top),
        _posts_table(ctx, w),
        _opinion_table(ctx, w),
    ]


def build_practice(ctx: Ctx) -> list[Flowable]:
    st, c, w = ctx.st, ctx.candidate, w4
    L, V, C = st.label, st.cell, st.cell_c
    top = [
        [para(spaced(w.L_NAME), L), para(c.name, C), para(spaced(w.L_GENDER), L),
         para(c.gender, C), para(spaced(w.L_ETHNICITY), L), para(c.ethnicity, C)],
        [para(w.L_EDUCATION, L), para(c.education_level, C), para(w.L_MAJOR, L),
         para(c.major, C), para(w.L_GRADUATION, L), para(ym(c.graduation_month), C)],
        [para(w.L_CATEGORY, L), para(ctx.category_narrow, C), para(w.L_ID_NUMBER, L),
         para(c.id_number, V), para(w.L_ID_VALID, L), para(ymd(c.id_valid_until), C)],
    ]  # fmt: skip
    # 附件4 has 报考类别 inside the grid's third row, so its info grid has no row of its own.
    # Its period is the practice period, from the 执业助理医师 registration (not the trial).
    period = _period(c.practice_start, c.practice_end)
    rows = [
        *top,
        *_unit_rows(ctx, w),
        [para(w.L_PERIOD, L), rich([period], st.cell), "", "", "", ""],
    ]
    span = [
        ("SPAN", (0, 3), (0, 5)),
        ("SPAN", (2, 3), (5, 3)),
        ("SPAN", (2, 4), (3, 4)),
        ("SPAN", (2, 5), (3, 5)),
        ("SPAN", (1, 6), (5, 6)),
    ]
    info = table(rows, INFO_W, min_heights_mm=[11] * len(rows), style=span)
    certs = [
        rich([w.L_QUALIFICATION_NO, "（", field(c.assistant_qualification_no, 50), "）"], st.line),
        rich([w.L_PRACTICE_NO, "（", field(c.assistant_practice_no, 50), "）"], st.line),
    ]
    return [
        para(w.TITLE, st.title),
        gap(2),
        *certs,
        gap(2),
        info,
        _posts_table(ctx, w),
        _opinion_table(ctx, w),
    ]
