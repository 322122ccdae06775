"""Staff forms of the payment back office: fee amounts in 元, the province's channel, a
counter payment's 票据号, a statement to import, a refund's completion note."""

import datetime
import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from yikao.core.text import normalise_input, to_half_width
from yikao.exams.models import ExamCategory
from yikao.payments.models import Channel, Part

MAX_FEE_FEN = 10000 * 100
_YUAN = re.compile(r"([0-9]{1,7})(?:\.([0-9]{0,2}))?")
_RECEIPT = re.compile(r"[A-Za-z0-9-]{1,32}")
_NUMBER = re.compile(r"[0-9]{1,20}")


def parse_yuan(value: str) -> int | None:
    """ "240"、"２４０．５"、"240.50元" → 分 (24000, 24050, 24050); "" → None (not set).
    At most 2 decimals, more than 0 and at most 10000 元."""
    text = normalise_input(value or "").replace(" ", "").removesuffix("元").replace(",", "")
    if not text:
        return None
    if text.startswith("-"):
        raise forms.ValidationError("金额应大于 0；不收此项费用请留空。")
    match = _YUAN.fullmatch(text)
    if match is None:
        if re.fullmatch(r"[0-9]+\.[0-9]{3,}", text):
            raise forms.ValidationError("金额最多保留两位小数。")
        raise forms.ValidationError("请填写金额（元），如 240 或 240.50。")
    whole, cents = match.group(1), (match.group(2) or "").ljust(2, "0")
    fen = int(whole) * 100 + int(cents)
    if fen <= 0:
        raise forms.ValidationError("金额应大于 0；不收此项费用请留空。")
    if fen > MAX_FEE_FEN:
        raise forms.ValidationError("金额不能超过 10000 元。")
    return fen


class FeeScheduleForm(forms.Form):
    """One text field per category and part ("<category id>_<part>"), in 元."""

    def __init__(self, categories, current: dict, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            for part in Part:
                fen = current.get((category.pk, part.value))
                self.fields[self.key(category, part.value)] = forms.CharField(
                    label=f"{category.label} {part.label}",
                    required=False,
                    max_length=20,
                    initial=f"{fen // 100}.{fen % 100:02d}" if fen else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
                )

    @staticmethod
    def key(category, part: str) -> str:
        return f"{category.pk}_{part}"

    def clean(self):
        data = super().clean()
        for name in list(self.fields):
            if name in self.errors:
                continue
            try:
                data[name] = parse_yuan(data.get(name, ""))
            except forms.ValidationError as error:
                self.add_error(name, error)
        return data

    def amounts(self) -> list[tuple[ExamCategory, str, int | None]]:
        """(category, part, 分 or None = not set) for every field."""
        return [
            (category, part.value, self.cleaned_data[self.key(category, part.value)])
            for category in self.categories
            for part in Part
        ]

    def rows(self):
        """For the template: each category with its two (part label, bound field)."""
        return [
            (category, [(part.label, self[self.key(category, part.value)]) for part in Part])
            for category in self.categories
        ]


class LevelFillForm(forms.Form):
    """One amount for every category of a level (执业 / 助理) at once."""

    level = forms.ChoiceField(label="级别", choices=ExamCategory.LEVELS)
    part = forms.ChoiceField(label="收费项目", choices=Part.choices)
    amount = forms.CharField(
        label="金额（元）", max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
        error_messages={"required": "请填写金额（元）。"},
    )  # fmt: skip

    def clean_amount(self):
        fen = parse_yuan(self.cleaned_data["amount"])
        if fen is None:
            raise forms.ValidationError("请填写金额（元）。")
        return fen


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label="缴费方式", choices=Channel.choices, widget=forms.RadioSelect,
        error_messages={"required": "请选择缴费方式。", "invalid_choice": "请选择缴费方式。"},
    )  # fmt: skip


class CounterLookupForm(forms.Form):
    number = forms.CharField(
        label="报名号", max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "请输入报名号。", "max_length": "报名号不超过 20 位数字。"},
    )  # fmt: skip

    def clean_number(self):
        number = to_half_width(self.cleaned_data["number"]).replace(" ", "").strip()
        if not _NUMBER.fullmatch(number):
            raise forms.ValidationError("报名号应为数字（不超过 20 位）。")
        return number


class CounterPayForm(forms.Form):
    receipt_no = forms.CharField(
        label="票据号", max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": "请输入票据号。", "max_length": "票据号不超过 32 个字符。"},
    )  # fmt: skip

    def clean_receipt_no(self):
        # Upper case: the paper receipt "ab-12" and "AB-12" are one receipt, and the unique
        # (channel, reference) constraint must see them as one.
        value = normalise_input(self.cleaned_data["receipt_no"]).replace(" ", "").upper()
        if not _RECEIPT.fullmatch(value):
            raise forms.ValidationError("票据号为 1–32 位字母、数字或“-”。")
        return value


DAY_RANGE = [
    MinValueValidator(datetime.date(2000, 1, 1), message="请填写2000年至2099年之间的日期。"),
    MaxValueValidator(datetime.date(2099, 12, 31), message="请填写2000年至2099年之间的日期。"),
]


class StatementForm(forms.Form):
    """A day's statement: a file uploaded, or (without a file) downloaded from the platform."""

    date = forms.DateField(
        label="对账日期", validators=DAY_RANGE,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请选择对账日期。", "invalid": "请填写有效的日期，如 2027-03-05。"},
    )  # fmt: skip
    file = forms.FileField(
        label="对账单文件（CSV）", required=False,
        error_messages={"invalid": "请选择对账单文件。", "empty": "对账单文件是空的。"},
    )  # fmt: skip


class RefundDoneForm(forms.Form):
    note = forms.CharField(
        label="退款说明", max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "如：已原路退回，银行流水号…"}),
        error_messages={"required": "请填写退款说明。", "max_length": "退款说明不超过 200 字。"},
    )  # fmt: skip

    def clean_note(self):
        note = normalise_input(self.cleaned_data["note"])
        if not note:
            raise forms.ValidationError("请填写退款说明。")
        return note
