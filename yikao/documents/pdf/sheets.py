"""The papers of an exam room (issue 21): 考场签到表, 门贴 (the door list) and 桌贴 (desk labels).

A pure library like the forms and the receipt (no Django): the caller copies each room's
seats of one session into a ``SheetRoom`` and gets PDF bytes back, one room or a whole site
(every room starts on a new page). Drawn with the forms' fonts, styles and grid
(``layout``). ID numbers arrive masked: a sheet on a door or a desk never carries the full
number.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Flowable, Image, PageBreak, SimpleDocTemplate

from . import fonts
from .layout import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_H, PAGE_W, gap, para, styles, table

SIGNIN, DOOR, DESK = "signin", "door", "desk"
TITLES = {SIGNIN: "考场签到表", DOOR: "门贴", DESK: "桌贴"}
SHADE = colors.HexColor("#EEEEEE")

# 签到表 columns (mm, 180 in all): seat, photo, name, ID (masked), 准考证号, signature.
SIGNIN_W = (16, 24, 28, 38, 42, 32)
SIGNIN_ROW_MM = 22  # a 20 mm photo and room to sign: ten rows a page under the heading
PHOTO_W, PHOTO_H = 18 * mm, 20 * mm
# 门贴: two lists side by side (seat, name, 准考证号) × 2.
DOOR_W = (12, 26, 48, 12, 26, 48)
# 桌贴: 2 × 6 labels of 90 × 42 mm on A4, cut along the dashed lines.
DESK_COLS, DESK_ROWS = 2, 6
DESK_W_MM, DESK_H_MM = 90, 42


@dataclass(frozen=True)
class SheetSeat:
    number: int
    name: str
    id_number_masked: str
    ticket_no: str
    photo_jpeg: bytes | None = None


@dataclass(frozen=True)
class SheetRoom:
    """One room in one session, with its occupied seats (any order; drawn by seat)."""

    exam_name: str
    site_name: str
    room_code: str
    room_name: str
    place: str
    session_label: str
    session_time: str  # "2027年8月20日 09:00–11:30", formatted by the caller
    seats: Sequence[SheetSeat]


def _style(name: str, size: float, leading: float, **kw) -> ParagraphStyle:
    fonts.ensure_font(fonts.MAIN)
    return ParagraphStyle(name, fontName=fonts.MAIN, fontSize=size, leading=leading,
                          wordWrap="CJK", **kw)  # fmt: skip


def _photo(jpeg: bytes | None, st) -> Flowable:
    """The photo scaled into its box; a missing or broken photo leaves a labelled box."""
    if jpeg:
        try:
            iw, ih = ImageReader(io.BytesIO(jpeg)).getSize()
        except Exception:  # a broken photo must not stop the print
            return para("照片无法显示", st.small)
        scale = min(PHOTO_W / iw, PHOTO_H / ih)
        return Image(io.BytesIO(jpeg), width=iw * scale, height=ih * scale)
    return para("无照片", st.small)


class _RoomMark(Flowable):
    """Zero-size marker: tells the canvas which room the following pages belong to, so
    the footer counts pages per room ("第 2 页 共 4 页" of room 003)."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.canv._sheet_room = self.label


class _NumberedCanvas(pdfcanvas.Canvas):
    """Holds the pages until the end so each footer can say how many pages its room has."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sheet_room = ""
        self._held: list[dict] = []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        counts = Counter(state["_sheet_room"] for state in self._held)
        seen: Counter = Counter()
        for state in self._held:
            self.__dict__.update(state)
            room = state["_sheet_room"]
            seen[room] += 1
            self.setFont(fonts.MAIN, 9)
            self.drawCentredString(
                PAGE_W / 2, MARGIN_BOTTOM - 8 * mm,
                f"{room}　第 {seen[room]} 页 共 {counts[room]} 页",
            )  # fmt: skip
            super().showPage()
        super().save()


def _heading(kind: str, room: SheetRoom) -> list:
    st = styles()
    line = f"{room.site_name}　第 {room.room_code} 考场 {room.room_name}"
    if room.place:
        line += f"（{room.place}）"
    return [
        para(f"{room.exam_name} {TITLES[kind]}", st.title),
        para(line, st.subtitle),
        para(f"{room.session_label}　{room.session_time}　考生 {len(room.seats)} 人", st.subtitle),
    ]


def _ordered(room: SheetRoom) -> list[SheetSeat]:
    return sorted(room.seats, key=lambda s: s.number)


def _signin(room: SheetRoom) -> list:
    st = styles()
    L, C = st.label, st.cell_c
    rows = [[para(h, L) for h in ("座位号", "照片", "姓名", "证件号码", "准考证号", "考生签名")]]
    rows += [
        [para(f"{s.number:02d}", C), _photo(s.photo_jpeg, st), para(s.name, C),
         para(s.id_number_masked, C), para(s.ticket_no, C), ""]
        for s in _ordered(room)
    ]  # fmt: skip
    if len(rows) == 1:
        rows.append([para("本场次本考场没有考生。", C), "", "", "", "", ""])
    heights = [10] + [SIGNIN_ROW_MM] * (len(rows) - 1)
    style = [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
    return [
        *_heading(SIGNIN, room),
        gap(2),
        table(rows, SIGNIN_W, min_heights_mm=heights, style=style, repeat_rows=1),
        gap(4),
        para("监考员签名：________________　________________　　缺考人数：______", st.note),
    ]


def _door(room: SheetRoom) -> list:
    st = styles()
    big = _style("door_big", 40, 52, alignment=TA_CENTER)
    mid = _style("door_mid", 18, 26, alignment=TA_CENTER)
    cell = _style("door_cell", 13, 17, alignment=TA_CENTER)
    seats = _ordered(room)
    half = (len(seats) + 1) // 2
    rows = [[para(h, st.label) for h in ("座位", "姓名", "准考证号") * 2]]
    for i in range(half):
        row = []
        for s in (seats[i], seats[i + half] if i + half < len(seats) else None):
            row += (
                [para(f"{s.number:02d}", cell), para(s.name, cell), para(s.ticket_no, cell)]
                if s else ["", "", ""]
            )  # fmt: skip
        rows.append(row)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEAFTER", (2, 0), (2, -1), 1.5, colors.black),
    ]
    return [
        para(room.exam_name, st.subtitle),
        para(f"第 {room.room_code} 考场", big),
        para(f"{room.room_name}{'（' + room.place + '）' if room.place else ''}", mid),
        para(f"{room.site_name}　{room.session_label}　{room.session_time}", st.subtitle),
        gap(3),
        table(rows, DOOR_W, min_heights_mm=[8] * len(rows), style=style, repeat_rows=1),
    ]


def _label(room: SheetRoom, seat: SheetSeat | None) -> list | str:
    if seat is None:
        return ""
    number = _style("desk_number", 34, 40, alignment=TA_CENTER)
    name = _style("desk_name", 18, 24, alignment=TA_CENTER)
    small = _style("desk_small", 11, 15, alignment=TA_CENTER)
    return [
        para(f"第 {room.room_code} 考场　{room.session_label}", small),
        para(f"{seat.number:02d}", number),
        para(seat.name, name),
        para(f"准考证号 {seat.ticket_no}", small),
    ]


def _desk(room: SheetRoom) -> list:
    seats: list[SheetSeat | None] = list(_ordered(room))
    per_page = DESK_COLS * DESK_ROWS
    story: list = []
    for start in range(0, max(len(seats), 1), per_page):
        chunk = seats[start : start + per_page]
        chunk += [None] * (-len(chunk) % DESK_COLS)
        rows = [
            [_label(room, s) for s in chunk[i : i + DESK_COLS]]
            for i in range(0, len(chunk), DESK_COLS)
        ] or [["", ""]]
        style = [("GRID", (0, 0), (-1, -1), 0.6, colors.grey, None, (3, 3)),
                 ("ALIGN", (0, 0), (-1, -1), "CENTER")]  # fmt: skip
        if start:
            story.append(PageBreak())
        story.append(table(rows, (DESK_W_MM,) * DESK_COLS,
                           min_heights_mm=[DESK_H_MM] * len(rows), style=style))  # fmt: skip
    return story


BUILDERS = {SIGNIN: _signin, DOOR: _door, DESK: _desk}


def render_sheets(kind: str, rooms: Sequence[SheetRoom]) -> bytes:
    """One kind of sheet for every room given (each from a new page), A4 portrait, pages
    numbered per room in the footer."""
    if kind not in BUILDERS:
        raise ValueError(f"unknown sheet {kind!r}; known: {sorted(BUILDERS)}")
    fonts.ensure_font(fonts.MAIN)
    story: list = []
    for i, room in enumerate(rooms):
        if i:
            story.append(PageBreak())
        story.append(_RoomMark(f"{room.session_label} 第 {room.room_code} 考场 {TITLES[kind]}"))
        story.extend(BUILDERS[kind](room))
    if not story:
        story.append(para("没有考场。", styles().note))
    buf = io.BytesIO()
    first = rooms[0] if rooms else None
    doc = SimpleDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        title=f"{TITLES[kind]} {first.site_name if first else ''}".strip(),
        author="医考 Yikao",
        subject=first.exam_name if first else "",
        creator="Yikao (ReportLab)",
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        initialFontName=fonts.MAIN,
    )
    doc.build(story, canvasmaker=_NumberedCanvas)
    return buf.getvalue()
