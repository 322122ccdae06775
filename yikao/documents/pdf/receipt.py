"""缴费凭证: one A4 page proving that a registration's fees were paid.

A pure library like the forms (no Django): the caller copies the order into a
``ReceiptInfo`` and gets PDF bytes back. It draws with the forms' fonts, styles and grid
(``layout``), so the receipt looks like the rest of the candidate's papers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepInFrame, SimpleDocTemplate

from . import fonts
from .layout import (
    CONTENT_W,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    Styles,
    at,
    gap,
    para,
    styles,
    table,
)

TITLE = "缴费凭证"
GENERATED_BY = "本凭证由医考考生服务系统生成"

# Column widths (mm), each grid 180 wide (A4 less 2 × 15 mm): label, value, label, value.
FACTS_W = (28, 62, 28, 62)
ITEMS_W = (16, 114, 50)
SHADE = colors.HexColor("#EEEEEE")

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_PLACES = ("", "拾", "佰", "仟")
_GROUPS = ("", "万", "亿", "万亿")


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    amount_fen: int


@dataclass(frozen=True)
class ReceiptInfo:
    """What the receipt shows, already formatted by the caller (times in Beijing time).
    The ID number arrives masked: the receipt never carries the full number."""

    exam_name: str
    candidate_name: str
    id_number_masked: str
    registration_number: str
    category: str
    area: str
    site: str
    order_no: str
    lines: Sequence[ReceiptLine]
    total_fen: int
    paid_at: str
    channel: str  # 网上支付 / 考点现场缴费
    reference_label: str  # 交易流水号 (online) or 票据号 (counter)
    reference: str
    generated_at: str


def yuan(fen: int) -> str:
    """54000 → "540.00" (amounts travel in 分; the library takes no Django helper)."""
    return f"{fen // 100}.{fen % 100:02d}"


def _group_capital(value: int) -> str:
    """0–9999 in capital figures, with one 零 for each run of zeros inside: 1005 → 壹仟零伍."""
    out, zero = "", False
    for place in (3, 2, 1, 0):
        digit = value // 10**place % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[digit] + _PLACES[place]
    return out


def _integer_capital(value: int) -> str:
    """A whole number of 元 in capital figures: 100100 → 壹拾万零壹佰. 拾 keeps its 壹
    (壹拾), as the rules for bills require."""
    if value == 0:
        return "零"
    groups = []
    while value:
        groups.append(value % 10000)
        value //= 10000
    if len(groups) > len(_GROUPS):
        raise ValueError("金额过大")
    out, gap_seen = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap_seen = bool(out)
            continue
        # A zero between two groups (壹万零伍) or inside the lower group's top (壹万零伍佰).
        if out and (gap_seen or group < 1000):
            out += "零"
        out += _group_capital(group) + _GROUPS[index]
        gap_seen = False
    return out


def rmb_capital(fen: int) -> str:
    """An amount in 分 as Chinese capital figures (人民币大写), by the usual rules for bills
    (中国人民银行《正确填写票据和结算凭证的基本规定》): 整 after a whole 元, none after
    角 or 分; 零 where 元 is followed by 分 alone.

    54000 → 伍佰肆拾元整, 1005 → 壹拾元零伍分, 50 → 伍角, 0 → 零元整."""
    if isinstance(fen, bool) or not isinstance(fen, int) or fen < 0:
        raise ValueError("金额应为不小于 0 的整数（分）")
    whole, jiao, cents = fen // 100, fen // 10 % 10, fen % 10
    if jiao == 0 and cents == 0:
        return _integer_capital(whole) + "元整"
    out = _integer_capital(whole) + "元" if whole else ""
    if jiao:
        out += _DIGITS[jiao] + "角"
    if cents:
        if whole and not jiao:
            out += "零"
        out += _DIGITS[cents] + "分"
    return out


# --- drawing ------------------------------------------------------------------------------


def _right(st: Styles) -> ParagraphStyle:
    return at(st.cell, align="right")


def _facts(info: ReceiptInfo, st: Styles):
    L, V = st.label, st.cell
    rows = [
        [para("姓名", L), para(info.candidate_name, V), para("证件号码", L),
         para(info.id_number_masked, V)],
        [para("报名号", L), para(info.registration_number, V), para("报考类别", L),
         para(info.category, V)],
        [para("考区/考点", L), para(f"{info.area} / {info.site}", V), "", ""],
        [para("订单号", L), para(info.order_no, V), para("缴费方式", L), para(info.channel, V)],
        [para("支付时间", L), para(info.paid_at, V), para(info.reference_label, L),
         para(info.reference, V)],
    ]  # fmt: skip
    style = [
        ("SPAN", (1, 2), (3, 2)),
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("BACKGROUND", (2, 0), (2, 1), SHADE),
        ("BACKGROUND", (2, 3), (2, 4), SHADE),
    ]
    return table(rows, FACTS_W, min_heights_mm=[9] * len(rows), style=style)


def _items(info: ReceiptInfo, st: Styles):
    L, V, R = st.label, st.cell, _right(st)
    rows = [[para("序号", L), para("收费项目", L), para("金额（元）", L)]]
    rows += [
        [para(str(i), st.cell_c), para(line.label, V), para(yuan(line.amount_fen), R)]
        for i, line in enumerate(info.lines, 1)
    ]
    # The total in words and in figures on one line, as on a bill: 合计 人民币（大写）… ¥540.00
    words = f"人民币（大写）：{rmb_capital(info.total_fen)}"
    rows.append([para("合计", L), para(words, V), para(f"¥{yuan(info.total_fen)}", R)])
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BACKGROUND", (0, -1), (0, -1), SHADE),
        ("LINEABOVE", (0, -1), (-1, -1), 1.2, colors.black),
    ]
    return table(rows, ITEMS_W, min_heights_mm=[9] * len(rows), style=style)


def _story(info: ReceiptInfo) -> list:
    st = styles()
    return [
        para(TITLE, st.title),
        para(info.exam_name, st.subtitle),
        gap(4),
        _facts(info, st),
        gap(6),
        _items(info, st),
        gap(8),
        para(f"{GENERATED_BY}，生成时间：{info.generated_at}。", st.note),
        para("凭证中的证件号码已部分隐藏。", st.note),
    ]


def render_receipt(info: ReceiptInfo) -> bytes:
    """The receipt as PDF bytes: A4 portrait, always one page (an extreme text shrinks to
    fit rather than spill onto a second page)."""
    fonts.ensure_font(fonts.MAIN)
    height = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        title=f"{TITLE} {info.order_no}",
        author="医考 Yikao",
        subject=info.exam_name,
        creator="Yikao (ReportLab)",
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        initialFontName=fonts.MAIN,  # no unused, unembedded Helvetica in the font list
    )
    doc.build([KeepInFrame(CONTENT_W, height, _story(info), mode="shrink")])
    return buf.getvalue()
