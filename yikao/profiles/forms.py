"""The six groups as forms. Forms normalise and check values; profile_submit saves."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from yikao.accounts.identity import IdentityError, normalise_mobile
from yikao.core.text import normalise_input
from yikao.core.yearmonth import YearMonthField
from yikao.profiles import choices

MAX_ENTRIES = 10


def _select(label: str, values: list[str], *, required: bool = True) -> forms.ChoiceField:
    options = [("", "请选择"), *choices.pairs(values)]
    return forms.ChoiceField(label=label, choices=options, required=required)


def _text(label: str, max_length: int, *, required: bool = True, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=forms.TextInput(attrs=attrs)
    )


class QuietForm(forms.Form):
    """A form re-shown without judging it yet (after "+" or a trip to the unit picker):
    it keeps what was typed but shows no errors until 提交."""

    quiet = False

    @property
    def errors(self):
        if self.quiet:
            return ErrorDict()
        return super().errors

    # Numbers people copy from certificates: full-width digits and letters become ASCII.
    # Names keep their Chinese punctuation (（）) as the directory writes them.
    ascii_fields = frozenset(
        {"diploma_number", "number", "registration_number", "certificate_number", "postcode"}
    )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                value = (
                    normalise_input(value) if name in self.ascii_fields else " ".join(value.split())
                )
                cleaned[name] = value
        return cleaned


class ContactForm(QuietForm):
    # Shown in the 基本信息 card (index.html), saved with the other groups.
    ethnicity = _select("民族", choices.ETHNICITIES, required=False)
    ethnicity.help_text = "用于打印的报名材料；与其他信息一起点击“提交”保存。"
    mobile = _text("手机号码", 20, autocomplete="tel", inputmode="tel")
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        error_messages={"invalid": "请输入有效的电子邮箱，例如name@example.com。"},
    )
    postal_address = _text("通讯地址", 120, required=False, autocomplete="street-address")
    postcode = _text("邮政编码", 6, required=False, inputmode="numeric", autocomplete="postal-code")

    def clean_mobile(self):
        try:
            return normalise_mobile(self.cleaned_data["mobile"])
        except IdentityError as exc:
            raise ValidationError(str(exc)) from None

    def clean_postcode(self):
        value = normalise_input(self.cleaned_data["postcode"])
        if value and not re.fullmatch(r"\d{6}", value):
            raise ValidationError("邮政编码为6位数字。")
        return value


class WorkForm(QuietForm):
    work_unit_code = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    work_unit_name = forms.CharField(
        label="工作单位",
        required=False,
        max_length=100,
        help_text="点击“选择单位”按地区和拼音首字母查找；找不到时可手工填写。",
        widget=forms.TextInput(attrs={"readonly": True}),
    )
    unit_nature = _select("单位性质", choices.UNIT_NATURES, required=False)
    position = _text("职务", 30, required=False)
    title = _select("职称", choices.TITLES, required=False)
    title_date = YearMonthField(
        label="取得职称年月", required=False, help_text="格式YYYY-MM，如2008-03。"
    )
    duty_status = _select("在岗情况", choices.DUTY_STATUSES, required=False)
    post_category = _select("岗位类别", choices.POST_CATEGORIES, required=False)
    department = _text("岗位（科室）", 30, required=False)
    work_start = YearMonthField(label="工作起始年月", required=False, help_text="格式YYYY-MM。")

    def clean(self):
        cleaned = super().clean()
        title, title_date = cleaned.get("title"), cleaned.get("title_date")
        if title and title != "无" and not title_date and "title_date" not in self._errors:
            self.add_error("title_date", "填写了职称时，请同时填写取得职称年月。")
        return cleaned


class EntryForm(QuietForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A formset renders its forms without `required` (the hidden empty template and a
        # blank extra entry must not block 提交), so site.js checks data-required on blur.
        for field in self.fields.values():
            if field.required and not field.widget.is_hidden:
                field.widget.attrs.update({"data-required": "", "aria-required": "true"})

    def _order(self, start: str, end: str, message: str) -> None:
        first, last = self.cleaned_data.get(start), self.cleaned_data.get(end)
        if first and last and last <= first:
            self.add_error(end, message)


class EducationForm(EntryForm):
    level = _select("学历层次", choices.EDUCATION_LEVELS)
    degree_type = _select("学位类型", choices.DEGREE_TYPES, required=False)
    length_years = forms.IntegerField(
        label="学制（年）",
        min_value=1,
        max_value=9,
        error_messages={
            "invalid": "学制请填写数字，例如5。",
            "min_value": "学制为1至9年。",
            "max_value": "学制为1至9年。",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    study_form = _select("学习形式", choices.STUDY_FORMS)
    entry_date = YearMonthField(label="入学年月", help_text="YYYY-MM")
    # A current student may enter a graduation date up to two years ahead.
    graduation_date = YearMonthField(label="毕业年月", future_months=24, help_text="YYYY-MM")
    school_name = forms.CharField(
        label="毕业学校",
        min_length=2,
        max_length=100,
        help_text="输入拼音首字母（如bjdx）或校名检索；列表中没有的学校可直接填写全称。",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    school_code = forms.CharField(required=False, max_length=32, widget=forms.HiddenInput)
    major_name = _text("所学专业", 60, autocomplete="off")
    major_code = forms.CharField(required=False, max_length=16, widget=forms.HiddenInput)
    diploma_number = _text("毕业证书编号", 40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The live search (autocomplete.js) fills the hidden code beside the typed name.
        self.fields["school_name"].widget.attrs.update(
            {
                "data-autocomplete-url": "/api/v1/directory/schools",
                "data-autocomplete-target": self["school_code"].auto_id,
            }
        )
        self.fields["major_name"].widget.attrs.update(
            {
                "data-autocomplete-url": "/api/v1/directory/majors",
                "data-autocomplete-target": self["major_code"].auto_id,
            }
        )

    def clean(self):
        cleaned = super().clean()
        self._order("entry_date", "graduation_date", "毕业年月应晚于入学年月。")
        level = cleaned.get("level", "")
        if level.startswith("研究生") and not cleaned.get("degree_type"):
            self.add_error("degree_type", "研究生学历请选择学位类型（专业学位或学术学位）。")
        if not level.startswith("研究生"):
            cleaned["degree_type"] = ""
        return cleaned


class TrainingForm(EntryForm):
    kind = _select("培训类型", choices.TRAINING_KINDS)
    base_name = _text("培训基地", 100)
    major_name = _text("专业", 60)
    start_date = YearMonthField(label="开始年月", help_text="YYYY-MM")
    end_date = YearMonthField(
        label="结束年月", future_months=60, help_text="YYYY-MM，尚未结束的填预计结束年月"
    )
    certificate_number = _text("证书编号", 40, required=False)

    def clean(self):
        cleaned = super().clean()
        self._order("start_date", "end_date", "结束年月应晚于开始年月。")
        return cleaned


class CertificateForm(EntryForm):
    cert_type = _select("证书类型", choices.CERTIFICATE_TYPES)
    issue_date = YearMonthField(label="发证年月", help_text="YYYY-MM")
    number = _text("证书编号", 40)
    registration_date = YearMonthField(
        label="注册年月", required=False, help_text="执业证书上的注册年月"
    )
    registration_number = _text("注册编号", 40, required=False)
    practice_category = _select("执业类别", choices.PRACTICE_CATEGORIES, required=False)
    practice_scope = _text("执业范围", 40, required=False)

    def clean(self):
        cleaned = super().clean()
        issued, registered = cleaned.get("issue_date"), cleaned.get("registration_date")
        if issued and registered and registered < issued:
            self.add_error("registration_date", "注册年月不能早于发证年月。")
        return cleaned


class BaseEntryFormSet(forms.BaseFormSet):
    quiet = False

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "删除此条"

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.quiet = self.quiet
        return form

    @property
    def errors(self):
        if self.quiet:
            return [ErrorDict() for _ in self.forms]
        return super().errors

    def non_form_errors(self):
        if self.quiet:
            return self.error_class()
        return super().non_form_errors()


def _formset(form):
    return forms.formset_factory(
        form,
        formset=BaseEntryFormSet,
        extra=0,
        can_delete=True,
        max_num=MAX_ENTRIES,
        validate_max=True,
        absolute_max=MAX_ENTRIES * 2,
    )


EducationFormSet = _formset(EducationForm)
TrainingFormSet = _formset(TrainingForm)
CertificateFormSet = _formset(CertificateForm)

ENTRY_FORMSETS = {
    "educations": (EducationFormSet, "edu"),
    "trainings": (TrainingFormSet, "trn"),
    "certificates": (CertificateFormSet, "crt"),
}
