"""The six groups as forms. Forms normalise and check values; profile_submit saves."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from yikao.accounts.identity import IdentityError, normalise_mobile
from yikao.core.text import normalise_input
from yikao.core.yearmonth import MonthOrDayField, YearMonthField
from yikao.profiles import choices

MAX_ENTRIES = 10


def _select(label: str, values: list[str], *, required: bool = True) -> forms.ChoiceField:
    options = [("", "请选择"), *choices.pairs(values)]
    return forms.ChoiceField(label=label, choices=options, required=required)


def _kind_select(label: str = "机构类型", *, required: bool = True) -> forms.ChoiceField:
    options = [
        ("", "请选择"),
        *((v, choices.INSTITUTION_KIND_LABELS.get(v, v)) for v in choices.INSTITUTION_KINDS),
    ]
    return forms.ChoiceField(
        label=label,
        choices=options,
        required=required,
        error_messages={"required": "请选择机构类型（报考资格按机构类型判断）。"},
    )


class ProgramFiledSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("unknown", "不适用 / 不清楚"), ("true", "是"), ("false", "否")]


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
    id_valid_until = forms.CharField(
        label="证件有效期至",
        required=False,
        max_length=10,
        help_text="按证件填写，如 2035-06-30；长期有效的填“长期”。",
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM-DD"}),
    )

    def clean_id_valid_until(self):
        value = normalise_input(self.cleaned_data["id_valid_until"]).strip()
        if not value or value == "长期":
            return value
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValidationError(
                "请写作 YYYY-MM-DD，如 2035-06-30；长期有效的填“长期”。"
            ) from None

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
        help_text="点击“选择单位”按地区和拼音首字母查找；名录中找不到时可直接填写全称，并选择机构类型。",
    )
    work_unit_kind = _kind_select(required=False)
    work_unit_kind.help_text = "从名录选择的单位按名录的机构类别自动填写。"
    work_unit_address = _text("单位地址", 120, required=False)
    work_unit_postcode = _text("单位邮编", 6, required=False, inputmode="numeric")
    unit_nature = _select("单位性质", choices.UNIT_NATURES, required=False)
    position = _text("职务", 30, required=False)
    title = _select("职称", choices.TITLES, required=False)
    title_date = YearMonthField(
        label="取得职称年月", required=False, help_text="格式YYYY-MM，如2008-03。"
    )
    duty_status = _select("在岗情况", choices.DUTY_STATUSES, required=False)
    post_category = _select("岗位类别", choices.POST_CATEGORIES, required=False)
    department = _text("岗位（科室）", 30, required=False)
    work_start = MonthOrDayField(
        label="工作起始日期",
        required=False,
        help_text="格式YYYY-MM-DD，如2024-08-01；试用期满一年按日计算。",
    )
    trial_assessed = _select("试用期考核", choices.ASSESSMENTS, required=False)
    trial_assessed.help_text = "试用期满一年并经考核的，选择考核结果；尚未考核的不选。"
    ascii_fields = QuietForm.ascii_fields | {"work_unit_postcode"}

    def clean_work_unit_postcode(self):
        value = normalise_input(self.cleaned_data["work_unit_postcode"])
        if value and not re.fullmatch(r"\d{6}", value):
            raise ValidationError("邮政编码为6位数字。")
        return value

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("work_unit_name")
            and not cleaned.get("work_unit_code")
            and not cleaned.get("work_unit_kind")
            and "work_unit_kind" not in self._errors
        ):
            self.add_error(
                "work_unit_kind", "名录外的单位请选择机构类型（报考资格按机构类型判断）。"
            )
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
    major_direction = _text("加注专业方向", 60, required=False)
    major_direction.help_text = (
        "毕业证书上加注了专业方向的（如 临床医学（眼视光方向）），照证书填写。"
    )
    upgrade = forms.BooleanField(label="专升本", required=False)
    overseas = forms.BooleanField(
        label="境外学历",
        required=False,
        help_text="国（境）外取得的学历，须有教育部留学服务中心认证。",
    )
    program_filed = forms.NullBooleanField(
        label="专业已备案",
        required=False,
        widget=ProgramFiledSelect,
        help_text="中专中医、民族医专业：是否经教育部、国家中医药管理局备案。",
    )

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


class WorkRecordForm(EntryForm):
    unit_name = _text("单位名称", 100)
    unit_kind = _kind_select()
    post_category = _select("岗位类别", choices.POST_CATEGORIES)
    department = _text("岗位（科室）", 30, required=False)
    start_date = MonthOrDayField(label="开始日期", help_text="YYYY-MM-DD，如2022-08-01")
    end_date = YearMonthField(label="结束年月", help_text="YYYY-MM")
    assessed = _select("试用期考核", choices.ASSESSMENTS, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start[:7]:
            self.add_error("end_date", "结束年月不能早于开始日期。")
        return cleaned


class CertificateForm(EntryForm):
    cert_type = _select("证书类型", choices.CERTIFICATE_TYPES)
    issue_date = YearMonthField(label="发证年月", help_text="YYYY-MM")
    number = _text("证书编号", 40)
    registration_date = MonthOrDayField(
        label="注册日期",
        required=False,
        help_text="执业证书上的注册日期，YYYY-MM-DD；只知年月的填 YYYY-MM",
    )
    registration_number = _text("注册编号", 40, required=False)
    practice_category = _select("执业类别", choices.PRACTICE_CATEGORIES, required=False)
    practice_scope = _text("执业范围", 40, required=False)

    def clean(self):
        cleaned = super().clean()
        issued, registered = cleaned.get("issue_date"), cleaned.get("registration_date")
        if issued and registered and registered[:7] < issued:
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
WorkRecordFormSet = _formset(WorkRecordForm)

ENTRY_FORMSETS = {
    "works": (WorkRecordFormSet, "wrk"),
    "educations": (EducationFormSet, "edu"),
    "trainings": (TrainingFormSet, "trn"),
    "certificates": (CertificateFormSet, "crt"),
}
