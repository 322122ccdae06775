"""准考证: one A4 LANDSCAPE page per ticket (self-print is A4 landscape from the candidate
system, research.md §3.5), with photo, the facts of the seat and the signed QR code.

A pure library like the receipt (no Django): the caller copies a seat into a
``TicketInfo`` and gets PDF bytes back; ``render_tickets`` puts many on one PDF (集中打印).
It draws with the forms' fonts, styles, grid and QR (``layout``, ``qr``).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepInFrame, PageBreak, SimpleDocTemplate

from . import fonts
from .layout import gap, para, styles, table
from .qr import QRFlowable

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 12 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
CONTENT_H = PAGE_H - 2 * MARGIN

# Columns (mm), 273 wide: photo, label, value, label, value, QR.
COLUMNS = (40, 24, 84, 22, 55, 48)
PHOTO_W, PHOTO_H = 33 * mm, 44 * mm  # 小二寸, as on the registration form
QR_SIZE = 44 * mm
SHADE = colors.HexColor("#EEEEEE")
PHOTO_MISSING = "照片"

# 考生须知. The timing rules are the national CBT rules of the 医学综合考试 (research.md §3.5,
# "CBT rules": log in 15 min early with 准考证号 + 证件号; 分段控制 since 2019; no entry
# after 30 min); the skills exam is run by its base, which announces its own times.
NOTICE_COMMON = (
    "考生须携带本准考证和报名时使用的有效身份证件原件参加考试，二者缺一不可。",
    "二维码用于考点入场核验，含防伪签名：请勿折叠、涂改二维码。",
)
NOTICE = {
    "written": (
        "请于开考前15分钟进入考场，凭准考证号和证件号码登录考试系统。",
        "开考30分钟后不得进入考场。",
        "考试实行分段控制：已离开的答题分段不能再次进入。",
    ),
    "skills": (
        "请按本准考证所列场次提前到达考试基地，服从考官安排，按序参加各站考试。",
        "迟到超过规定时间的考生不得参加该场次考试。",
    ),
}


@dataclass(frozen=True)
class TicketInfo:
    """What the ticket shows, already formatted by the caller (times in Beijing time).
    The ID number arrives masked: the ticket never carries the full number."""

    year: int
    exam_name: str  # 医师资格考试
    part: str  # skills / written
    part_label: str  # 医学综合考试
    candidate_name: str
    id_type: str
    id_number_masked: str
    category: str
    registration_number: str
    ticket_no: str
    session_date: str  # 2026年8月22日（星期六）
    session_time: str  # 09:00—11:30
    units: Sequence[tuple[str, str]]  # (第一单元, 08月22日 09:00—11:30), 综合 only
    area: str
    site_name: str
    site_address: str
    room_code: str
    room_name: str
    room_place: str
    seat: int
    qr_payload: str
    photo_jpeg: bytes | None = None
    generated_at: str = ""


@cache
def _style(name: str, size: float, leading: float, align: str = "left") -> ParagraphStyle:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT

    base = styles().cell
    return ParagraphStyle(
        f"ticket_{name}",
        parent=base,
        fontSize=size,
        leading=leading,
        alignment=TA_CENTER if align == "center" else TA_LEFT,
    )


def title_of(info: TicketInfo) -> str:
    return f"{info.year}年{info.exam_name} {info.part_label} 准考证"


def _photo(info: TicketInfo) -> Flowable:
    st = styles()
    if info.photo_jpeg:
        try:
            iw, ih = ImageReader(io.BytesIO(info.photo_jpeg)).getSize()
        except Exception:  # a broken photo must not stop the print; the box says so
            return para(PHOTO_MISSING + "（无法显示）", st.small)
        scale = min(PHOTO_W / iw, PHOTO_H / ih)
        return Image(io.BytesIO(info.photo_jpeg), width=iw * scale, height=ih * scale)
    return para(PHOTO_MISSING, st.small)


def _session(info: TicketInfo) -> list:
    V = styles().cell
    lines = [para(f"{info.session_date}  {info.session_time}", _style("session", 12, 16))]
    lines += [para(f"{name}：{when}", V) for name, when in info.units]
    return lines


def _facts(info: TicketInfo):
    st = styles()
    L, V = st.label, st.cell
    big = _style("big", 20, 24)
    seat = _style("seat", 20, 24, "center")
    site = f"{info.site_name}（{info.area}）" if info.area else info.site_name
    address = f"地址：{info.site_address}" if info.site_address else ""
    room = "  ".join(x for x in (f"第{info.room_code}考场", info.room_name) if x)
    place = info.room_place
    photo, qr = _photo(info), QRFlowable(info.qr_payload, QR_SIZE)
    rows = [
        [photo, para("姓名", L), para(info.candidate_name, _style("name", 14, 18)),
         para("报名号", L), para(info.registration_number, V), qr],
        ["", para(info.id_type or "证件号码", L), para(info.id_number_masked, V),
         para("报考类别", L), para(info.category, V), ""],
        ["", para("准考证号", L), para(info.ticket_no, big), "", "", ""],
        ["", para("考试时间", L), _session(info), "", "", ""],
        ["", para("考点", L), [para(site, V), para(address, V)] if address else para(site, V),
         "", "", ""],
        [para("请核对照片与本人一致", st.small), para("考场", L),
         [para(room, V), para(place, V)] if place else para(room, V),
         para("座位号", L), para(f"{info.seat:02d}", seat), para("入场核验二维码", st.small)],
    ]  # fmt: skip
    style = [
        ("SPAN", (0, 0), (0, 4)),
        ("SPAN", (5, 0), (5, 4)),
        ("SPAN", (2, 2), (4, 2)),
        ("SPAN", (2, 3), (4, 3)),
        ("SPAN", (2, 4), (4, 4)),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (5, 0), (5, -1), "CENTER"),
        ("BACKGROUND", (1, 0), (1, -1), SHADE),
        ("BACKGROUND", (3, 0), (3, 1), SHADE),
        ("BACKGROUND", (3, 5), (3, 5), SHADE),
    ]
    return table(rows, COLUMNS, min_heights_mm=[14, 14, 17, 19, 17, 18], style=style)


def _notice(info: TicketInfo) -> list:
    items = NOTICE_COMMON[:1] + NOTICE.get(info.part, ()) + NOTICE_COMMON[1:]
    out = [para("考生须知", _style("notice_head", 13, 20))]
    out += [para(f"{i}. {text}", _style("notice", 11.5, 18)) for i, text in enumerate(items, 1)]
    return out


def _story(info: TicketInfo) -> list:
    st = styles()
    footer = "本准考证由医考考生服务系统生成，证件号码已部分隐藏"
    if info.generated_at:
        footer += f"；生成时间：{info.generated_at}"
    return [
        para(title_of(info), st.title),
        gap(2),
        _facts(info),
        gap(6),
        *_notice(info),
        gap(2),
        para(footer + "。", _style("footer", 8.5, 11)),
    ]


def render_tickets(infos: Sequence[TicketInfo], *, title: str = "") -> bytes:
    """Tickets as PDF bytes, one A4 landscape page each (an extreme text shrinks to fit
    rather than spill onto a second page)."""
    if not infos:
        raise ValueError("render_tickets needs at least one ticket")
    fonts.ensure_font(fonts.MAIN)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        title=title or title_of(infos[0]),
        author="医考 Yikao",
        subject=infos[0].exam_name,
        creator="Yikao (ReportLab)",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        initialFontName=fonts.MAIN,  # no unused, unembedded Helvetica in the font list
    )
    story: list = []
    for i, info in enumerate(infos):
        if i:
            story.append(PageBreak())
        story.append(KeepInFrame(CONTENT_W, CONTENT_H - 1, _story(info), mode="shrink"))
    doc.build(story)
    return buf.getvalue()


def render_ticket(info: TicketInfo) -> bytes:
    return render_tickets([info])
