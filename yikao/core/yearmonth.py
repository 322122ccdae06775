"""Year-month values typed as YYYY-MM (the seed's format for every date in a profile)."""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError

from yikao.core.text import to_half_width

_EXACT = re.compile(r"(\d{4})-(\d{2})")
_EXACT_DAY = re.compile(r"(\d{4}-\d{2})-(\d{1,2})")
_LOOSE = re.compile(r"(\d{4})\s*[-/.年]?\s*(\d{1,2})\s*月?")


def this_month() -> str:
    today = datetime.date.today()
    return f"{today.year:04d}-{today.month:02d}"


def add_months(value: str, months: int) -> str:
    year, month = int(value[:4]), int(value[5:7])
    total = year * 12 + (month - 1) + months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def parse_year_month(raw: str) -> str:
    """Return "YYYY-MM" or raise ValidationError with a message that shows the right form."""
    value = to_half_width(raw or "").strip()
    match = _EXACT.fullmatch(value)
    if match is None:
        loose = _LOOSE.fullmatch(value)
        if loose and 1 <= int(loose.group(2)) <= 12:
            hint = f"{loose.group(1)}-{int(loose.group(2)):02d}"
            raise ValidationError(f"年月格式为YYYY-MM，中间用横杠，月份两位，请写作 {hint}。")
        raise ValidationError("年月格式为YYYY-MM，中间用横杠，例如 2008-03。")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValidationError("月份应在01至12之间，例如 2008-03。")
    if year < 1950:
        raise ValidationError("年份不能早于1950年，请核对。")
    if year > 2100:
        raise ValidationError("年份不合理，请核对。")
    return f"{year:04d}-{month:02d}"


class YearMonthField(forms.CharField):
    """A YYYY-MM text input; `future_months` is how far ahead the value may lie."""

    def __init__(self, *, future_months: int | None = 0, **kwargs):
        self.future_months = future_months
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "YYYY-MM", "pattern": r"\d{4}-\d{2}", "inputmode": "numeric"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        result = parse_year_month(value)
        if self.future_months is not None:
            limit = add_months(this_month(), self.future_months)
            if result > limit:
                raise ValidationError(f"该年月不能晚于 {limit}，请核对。")
        return result


def parse_month_or_day(raw: str) -> str:
    """ "YYYY-MM-DD" when a day is given (checked against the calendar), else "YYYY-MM"."""
    value = to_half_width(raw or "").strip()
    match = _EXACT_DAY.fullmatch(value)
    if match is None:
        return parse_year_month(value)
    month = parse_year_month(match.group(1))
    day = int(match.group(2))
    if not 1 <= day <= calendar.monthrange(int(month[:4]), int(month[5:]))[1]:
        raise ValidationError(
            f"{int(month[:4])}年{int(month[5:])}月没有{day}日，请写作 YYYY-MM-DD，如 2024-09-01。"
        )
    return f"{month}-{day:02d}"


class MonthOrDayField(YearMonthField):
    """A start date where the day matters (the trial year counts days): YYYY-MM-DD, or
    YYYY-MM when the day is not known (then the month counts from its first day)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "placeholder": "YYYY-MM-DD",
                    "pattern": r"\d{4}-\d{2}(-\d{2})?",
                    "inputmode": "numeric",
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        if not value:
            return ""
        result = parse_month_or_day(value)
        if self.future_months is not None:
            limit = add_months(this_month(), self.future_months)
            if result[:7] > limit:
                raise ValidationError(f"该日期不能晚于 {limit}，请核对。")
        return result
