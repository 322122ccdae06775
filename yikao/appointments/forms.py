"""Staff forms: slots in bulk, a slot's change and closing, check-in by code."""

import datetime
import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone

MAX_DAYS = 62
_RANGE = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*[-–~至]\s*([0-9]{1,2}):([0-9]{2})\s*$")
# As selectors.FIRST_DAY/LAST_DAY (not imported: forms stay free of queries' modules).
DAY_RANGE = {
    "validators": [
        MinValueValidator(datetime.date(2000, 1, 1), message="请填写2000年至2099年之间的日期。"),
        MaxValueValidator(datetime.date(2099, 12, 31), message="请填写2000年至2099年之间的日期。"),
    ]
}


def _codes(value: str, *, digits: tuple[int, ...], label: str) -> list[str]:
    codes = [c for c in re.split(r"[\s,，、;；]+", value or "") if c]
    for code in codes:
        if not (code.isascii() and code.isdigit()) or len(code) not in digits:
            raise forms.ValidationError(f"“{code}”不是有效的{label}，请用逗号分隔数字代码。")
    return codes


class ReservationFields(forms.Form):
    category_codes = forms.CharField(
        label="仅限报考类别代码", required=False, max_length=200,
        help_text="留空则不限。多个用逗号分隔，如 110,210。",
    )  # fmt: skip
    counties = forms.CharField(
        label="仅限县区（区划代码）", required=False, max_length=400,
        help_text="留空则不限。按考生工作单位所在地，6 位县区或 4 位地市代码，如 410102,4103。",
    )  # fmt: skip

    def clean_category_codes(self):
        return _codes(self.cleaned_data["category_codes"], digits=(3,), label="报考类别代码")

    def clean_counties(self):
        return _codes(self.cleaned_data["counties"], digits=(4, 6), label="区划代码")


class SlotBulkForm(ReservationFields):
    first_day = forms.DateField(
        label="开始日期", widget=forms.DateInput(attrs={"type": "date"}), **DAY_RANGE
    )
    last_day = forms.DateField(
        label="结束日期", widget=forms.DateInput(attrs={"type": "date"}), **DAY_RANGE
    )
    skip_weekends = forms.BooleanField(label="跳过周六、周日", required=False, initial=True)
    ranges = forms.CharField(
        label="时间段",
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="08:30-11:30\n14:30-17:00",
        help_text="每行一个，如 08:30-11:30。",
    )
    capacity = forms.IntegerField(label="每个时段名额", min_value=1, max_value=5000)
    place = forms.CharField(label="采集地点", required=False, max_length=60)

    field_order = ["first_day", "last_day", "skip_weekends", "ranges", "capacity", "place"]

    def clean_ranges(self):
        ranges = []
        for line in self.cleaned_data["ranges"].splitlines():
            if not line.strip():
                continue
            match = _RANGE.match(line)
            try:
                h1, m1, h2, m2 = (int(x) for x in match.groups()) if match else (None,) * 4
                start, end = datetime.time(h1, m1), datetime.time(h2, m2)
            except (TypeError, ValueError):
                raise forms.ValidationError(f"“{line.strip()}”不是有效的时间段，格式如 08:30-11:30。") from None  # fmt: skip
            if end <= start:
                raise forms.ValidationError(f"“{line.strip()}”的结束时间应晚于开始时间。")
            ranges.append((start, end))
        if not ranges:
            raise forms.ValidationError("请至少填写一个时间段。")
        return ranges

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last:
            if last < first:
                self.add_error("last_day", "结束日期不能早于开始日期。")
            elif (last - first).days >= MAX_DAYS:
                self.add_error("last_day", f"一次最多发布 {MAX_DAYS} 天。")
            elif first < timezone.localdate():
                self.add_error("first_day", "开始日期不能早于今天。")
        return data

    def days(self) -> list[datetime.date]:
        first, last = self.cleaned_data["first_day"], self.cleaned_data["last_day"]
        days = [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]
        if self.cleaned_data["skip_weekends"]:
            days = [d for d in days if d.weekday() < 5]
        return days


class SlotForm(ReservationFields):
    day = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}), **DAY_RANGE)
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=5000)
    place = forms.CharField(label="采集地点", required=False, max_length=60)

    field_order = ["day", "start", "end", "capacity", "place"]

    @classmethod
    def for_slot(cls, slot, data=None):
        start, end = timezone.localtime(slot.starts_at), timezone.localtime(slot.ends_at)
        initial = {
            "day": start.date(), "start": start.time(), "end": end.time(),
            "capacity": slot.capacity, "place": slot.place,
            "category_codes": ",".join(slot.category_codes), "counties": ",".join(slot.counties),
        }  # fmt: skip
        return cls(data, initial=initial)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", "结束时间应晚于开始时间。")
        return data

    def times(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["day"]
        return tuple(
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data[k]))
            for k in ("start", "end")
        )


class SlotCloseForm(forms.Form):
    reason = forms.CharField(label="关闭原因（将通知已预约考生）", max_length=100)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="预约码",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                   "autofocus": True, "enterkeyhint": "go"}
        ),
        help_text="扫描考生的二维码，或输入 8 位预约码。",
    )  # fmt: skip
