"""附件6–附件9: letters the candidate signs (承诺书, 知情同意书)."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ..dates import month_day, trial_year_complete
from ..fonts import markup
from ..layout import NBSP, blank, field, gap, para, rich
from ..layout import date_parts as parts
from ..wording import five_year_consent as w8
from ..wording import graduate_pledge as w7
from ..wording import postgraduate_pledge as w6
from ..wording import rural_consent as w9
from ._base import Ctx

DATE_LINE = f"{NBSP * 10}年{NBSP * 6}月{NBSP * 6}日"


def _titles(ctx: Ctx, lines: tuple[str, ...]) -> list[Flowable]:
    return [para(t, ctx.st.title) for t in lines]


def _candidate_sign(ctx: Ctx, sign: str, id_label: str, phone_label: str) -> list[Flowable]:
    st, c = ctx.st, ctx.candidate
    return [
        rich([sign, blank(20)], st.sign),
        rich([id_label, field(c.id_number, 20)], st.sign),
        rich([phone_label, field(c.phone, 20)], st.sign),
        gap(4),
        rich([NBSP * 8, DATE_LINE], st.sign),
    ]


def build_postgraduate(ctx: Ctx) -> list[Flowable]:
    st, c, w = ctx.st, ctx.candidate, w6
    y, m, d = parts(c.postgraduate_graduation)
    day = month_day(ctx.exam.graduate_documents_deadline)
    deadline = markup(day) if day else blank(10)
    p = w.INTRO_PARTS
    intro = [
        p[0], field(c.school, 24), p[1], field(c.major, 16), p[2],
        field(y, 8), p[3], field(m, 4), p[4], field(d, 4), p[5],
    ]  # fmt: skip
    return [
        *_titles(ctx, w.TITLE_LINES),
        gap(10),
        rich(intro, st.body),
        rich([markup(w.RULES + w.PROMISE_PARTS[0]), deadline, markup(w.PROMISE_PARTS[1])], st.body),
        para(w.BREACH, st.body),
        gap(14),
        *_candidate_sign(ctx, w.SIGN, w.ID_NUMBER, w.PHONE),
    ]


def build_graduate(ctx: Ctx) -> list[Flowable]:
    st, c, w = ctx.st, ctx.candidate, w7
    gy, gm, gd = parts(c.graduation_month)
    ty, tm, _ = parts(c.trial_start)
    ey, em = trial_year_complete(c.trial_start)  # the engine's count (dates.py)
    p = w.INTRO_PARTS
    intro = [
        p[0], field(gy, 8), p[1], field(gm, 4), p[2], field(gd, 4), p[3],
        field(c.school, 20), p[4], field(c.major, 16), p[5],
        field(ty, 8), p[6], field(tm, 4), p[7], field(c.work_unit, 24), p[8],
        field(ey, 8), p[9], field(em, 4), p[10],
    ]  # fmt: skip
    return [
        para(w.TITLE, st.title),
        gap(10),
        rich(intro, st.body),
        para(w.PROMISE, st.body),
        para(w.BREACH, st.body),
        gap(20),
        *_candidate_sign(ctx, w.SIGN, w.ID_NUMBER, w.PHONE),
    ]


def _consent(ctx: Ctx, w) -> list[Flowable]:
    st = ctx.st
    return [
        *_titles(ctx, w.TITLE_LINES),
        gap(10),
        para(w.BASIS, st.body_plain),
        *(para(item, st.body) for item in w.ITEMS),
        para(w.ACK, st.body),
        gap(24),
        rich(
            [
                w.SIGN,
                blank(22),
                NBSP * 4,
                w.SIGN_DATE,
                NBSP * 8,
                "年",
                NBSP * 5,
                "月",
                NBSP * 5,
                "日",
            ],
            st.body_plain,
        ),
    ]


def build_five_year(ctx: Ctx) -> list[Flowable]:
    return _consent(ctx, w8)


def build_rural(ctx: Ctx) -> list[Flowable]:
    return _consent(ctx, w9)
