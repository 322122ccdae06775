"""Staff forms of the seating pages: a room, a session (with the units of the 医学综合), an
access need. Everything typed is normalised first (full-width digits and punctuation are
what a Chinese keyboard gives), and every error is a Chinese message on its field."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from yikao.core.text import normalise_input, to_half_width
from yikao.seating.models import Part, Room, Session

_CODE = re.compile(r"[0-9]{3}")
_SMALL = re.compile(r"[0-9]{1,2}")
_SEAT_SPLIT = re.compile(r"[,，、;；\s]+")
_UNIT = re.compile(r"(\S{1,20})\s+([0-9]{1,2}):([0-9]{2})\s*[-~至]\s*([0-9]{1,2}):([0-9]{2})")
_NUMBER = re.compile(r"[0-9]{1,20}")
MAX_UNITS = 8


def _text(value: str) -> str:
    return normalise_input(value or "")


def _small_int(value: str, *, label: str, low: int, high: int) -> int:
    """ "３５" → 35; the message names the field and the range."""
    text = _text(value).replace(" ", "")
    if not _SMALL.fullmatch(text) or not low <= int(text) <= high:
        raise forms.ValidationError(f"{label}应为 {low}–{high} 之间的整数。")
    return int(text)


def parse_seats(value: str, capacity: int | None) -> list[int]:
    """ "1,2，3、4" → [1, 2, 3, 4]; empty → []; every number within 1..capacity."""
    text = to_half_width(value or "").strip()
    if not text:
        return []
    seats = set()
    for part in _SEAT_SPLIT.split(text):
        if not part:
            continue
        if not _SMALL.fullmatch(part):
            raise forms.ValidationError("无障碍座位请填写座位号，用逗号分隔，如 1,2,3。")
        seats.add(int(part))
    if capacity is not None and any(not 1 <= n <= capacity for n in seats):
        raise forms.ValidationError(f"无障碍座位号应在 1–{capacity} 之间。")
    return sorted(seats)


def _char(label: str, max_length: int, *, required: bool = True, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length * 2, required=required,
        widget=forms.TextInput(attrs={"autocomplete": "off", **attrs}),
        error_messages={"required": f"请填写{label}。",
                        "max_length": f"{label}不超过 {max_length} 个字。"},
    )  # fmt: skip


class RoomForm(forms.Form):
    code = _char("考场号", 3, inputmode="numeric", size=4)
    name = _char("考场名称", 40)
    place = _char("位置", 80, required=False, placeholder="楼栋、楼层、房间号")
    capacity = _char("座位数", 2, inputmode="numeric", size=4)
    columns = _char("每排座位数", 2, inputmode="numeric", size=4)
    accessible_seats = _char("无障碍座位", 200, required=False, placeholder="如 1,2,3")

    def __init__(self, *args, site, room: Room | None = None, **kwargs):
        self.site, self.room = site, room
        if room is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": room.code, "name": room.name, "place": room.place,
                "capacity": room.capacity, "columns": room.columns,
                "accessible_seats": ",".join(str(n) for n in room.accessible_seats),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "三位数字，如 001；印在准考证号中，同一考点内不重复。"
        self.fields["capacity"].help_text = "1–99；机考考场一般 30–40 座。"
        self.fields["columns"].help_text = "1–20，用于相邻座位的判断。"
        self.fields["accessible_seats"].help_text = "座位号，用逗号分隔；可留空。"

    def clean_code(self):
        code = _text(self.cleaned_data["code"]).replace(" ", "")
        if not _CODE.fullmatch(code):
            raise forms.ValidationError("考场号应为三位数字，如 001。")
        others = Room.objects.filter(site=self.site, code=code)
        if self.room is not None:
            others = others.exclude(pk=self.room.pk)
            if code != self.room.code and self.room.seats.exists():
                raise forms.ValidationError("该考场已有编排的座位，考场号不能再修改。")
        if others.exists():
            raise forms.ValidationError("本考点已有这个考场号。")
        return code

    def clean_name(self):
        name = _text(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError("请填写考场名称。")
        if len(name) > 40:
            raise forms.ValidationError("考场名称不超过 40 个字。")
        return name

    def clean_place(self):
        place = _text(self.cleaned_data["place"])
        if len(place) > 80:
            raise forms.ValidationError("位置不超过 80 个字。")
        return place

    def clean_capacity(self):
        return _small_int(self.cleaned_data["capacity"], label="座位数", low=1, high=99)

    def clean_columns(self):
        return _small_int(self.cleaned_data["columns"], label="每排座位数", low=1, high=20)

    def clean(self):
        data = super().clean()
        if "accessible_seats" in self.errors:
            return data
        try:
            data["accessible_seats"] = parse_seats(
                data.get("accessible_seats", ""), data.get("capacity")
            )
        except forms.ValidationError as error:
            self.add_error("accessible_seats", error)
        return data


def _time(value: str, label: str) -> datetime.time:
    text = _text(value).replace(" ", "").replace("：", ":")
    match = re.fullmatch(r"([0-9]{1,2}):([0-9]{2})", text)
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise forms.ValidationError(f"{label}请按“时:分”填写，如 09:00。")
    return datetime.time(int(match.group(1)), int(match.group(2)))


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def parse_units(text: str, day: datetime.date) -> list[dict]:
    """Lines "第一单元 09:00-11:30" → [{"name", "starts_at", "ends_at"}] (ISO, Beijing)."""
    units = []
    lines = [line for line in (to_half_width(text or "")).splitlines() if line.strip()]
    if len(lines) > MAX_UNITS:
        raise forms.ValidationError(f"单元不超过 {MAX_UNITS} 个。")
    for n, line in enumerate(lines, 1):
        match = _UNIT.fullmatch(" ".join(line.split()))
        if match is None:
            raise forms.ValidationError(
                f"第 {n} 行应为“单元名称 开始-结束”，如 第一单元 09:00-11:30。"
            )
        name, h1, m1, h2, m2 = match.groups()
        try:
            start, end = datetime.time(int(h1), int(m1)), datetime.time(int(h2), int(m2))
        except ValueError:
            raise forms.ValidationError(f"第 {n} 行的时间无效。") from None
        if end <= start:
            raise forms.ValidationError(f"第 {n} 行的结束时间应晚于开始时间。")
        units.append({"name": name, "starts_at": _at(day, start).isoformat(),
                      "ends_at": _at(day, end).isoformat()})  # fmt: skip
    return units


def units_text(units: list) -> str:
    """The stored units back as the lines staff typed."""
    lines = []
    for unit in units or ():
        try:
            start = timezone.localtime(datetime.datetime.fromisoformat(unit["starts_at"]))
            end = timezone.localtime(datetime.datetime.fromisoformat(unit["ends_at"]))
        except (KeyError, TypeError, ValueError):
            continue
        lines.append(f"{unit.get('name', '')} {start:%H:%M}-{end:%H:%M}")
    return "\n".join(lines)


class SessionForm(forms.Form):
    part = forms.ChoiceField(
        label="考试部分", choices=Part.choices,
        error_messages={"required": "请选择考试部分。", "invalid_choice": "请选择考试部分。"},
    )  # fmt: skip
    number = _char("场次号", 2, inputmode="numeric", size=4)
    label = _char("场次名称", 40, placeholder="如 第1天上午")
    day = forms.DateField(
        label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请选择日期。", "invalid": "请填写有效的日期，如 2027-08-20。"},
    )  # fmt: skip
    starts = _char("开始时间", 5, size=6, placeholder="09:00")
    ends = _char("结束时间", 5, size=6, placeholder="11:30")
    units = forms.CharField(
        label="单元安排（医学综合）", required=False, max_length=400,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "第一单元 09:00-11:30\n第二单元 14:00-16:30"}),
        error_messages={"max_length": "单元安排不超过 400 个字。"},
    )  # fmt: skip

    def __init__(self, *args, exam, site, session: Session | None = None, **kwargs):
        self.exam, self.site, self.session = exam, site, session
        if session is not None and "initial" not in kwargs:
            start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
            kwargs["initial"] = {
                "part": session.part, "number": session.number, "label": session.label,
                "day": start.date(), "starts": f"{start:%H:%M}", "ends": f"{end:%H:%M}",
                "units": units_text(session.units),
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = "1–99，印在准考证号中；同一考点同一部分内不重复。"
        self.fields["units"].help_text = "每行一个单元，如“第一单元 09:00-11:30”；实践技能留空。"

    def clean_number(self):
        return _small_int(self.cleaned_data["number"], label="场次号", low=1, high=99)

    def clean_label(self):
        label = _text(self.cleaned_data["label"])
        if not label:
            raise forms.ValidationError("请填写场次名称。")
        if len(label) > 40:
            raise forms.ValidationError("场次名称不超过 40 个字。")
        return label

    def clean_day(self):
        day = self.cleaned_data["day"]
        if not datetime.date(2000, 1, 1) <= day <= datetime.date(2099, 12, 31):
            raise forms.ValidationError("请填写2000年至2099年之间的日期。")
        return day

    def clean_starts(self):
        return _time(self.cleaned_data["starts"], "开始时间")

    def clean_ends(self):
        return _time(self.cleaned_data["ends"], "结束时间")

    def clean(self):
        data = super().clean()
        day, part = data.get("day"), data.get("part")
        if day and data.get("starts") and data.get("ends"):
            data["starts_at"], data["ends_at"] = _at(day, data["starts"]), _at(day, data["ends"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", "结束时间应晚于开始时间。")
        if day and "units" not in self.errors:
            try:
                data["units"] = parse_units(data.get("units", ""), day)
            except forms.ValidationError as error:
                self.add_error("units", error)
            if part == Part.SKILLS and data.get("units"):
                self.add_error("units", "实践技能考试不分单元，请留空。")
        if part and data.get("number") and "number" not in self.errors:
            self._check_number(part, data["number"])
        return data

    def _check_number(self, part: str, number: int) -> None:
        others = Session.objects.filter(exam=self.exam, site=self.site, part=part, number=number)
        if self.session is not None:
            others = others.exclude(pk=self.session.pk)
            changed = (part, number) != (self.session.part, self.session.number)
            if changed and self.session.seats.exists():
                self.add_error("number", "该场次已有编排的座位，考试部分和场次号不能再修改。")
                return
        if others.exists():
            self.add_error("number", "本考点该考试部分已有这个场次号。")


class AccessNeedForm(forms.Form):
    number = forms.CharField(
        label="报名号", max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请输入报名号。", "max_length": "报名号不超过 20 位数字。"},
    )  # fmt: skip
    note = _char("说明", 100, required=False, placeholder="如 轮椅，需一层考场")

    def clean_number(self):
        number = to_half_width(self.cleaned_data["number"]).replace(" ", "").strip()
        if not _NUMBER.fullmatch(number):
            raise forms.ValidationError("报名号应为数字（不超过 20 位）。")
        return number

    def clean_note(self):
        note = _text(self.cleaned_data["note"])
        if len(note) > 100:
            raise forms.ValidationError("说明不超过 100 个字。")
        return note
