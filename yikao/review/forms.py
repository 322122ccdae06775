"""Forms of the back office: they normalise input; services decide."""

import datetime

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from yikao.accounts.forms import IdentityFieldsMixin
from yikao.accounts.identity import GENDER_LABELS, ID_TYPE_LABELS, Gender, IdType
from yikao.core.text import to_half_width
from yikao.exams.models import ExamCategory
from yikao.registrations.models import Status
from yikao.review.audit_labels import action_choices
from yikao.review.selectors import PENDING, AuditFilters, QueueFilters, exams_for_filter
from yikao.review.services import RETURN_REASONS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERROR = {"invalid": "日期格式为YYYY-MM-DD。"}
# The dates a filter may name: the lists add a day to the last one and turn both into
# times, which overflows near year 1 or 9999 (a saved filter would then fail every page).
FILTER_FIRST_DAY, FILTER_LAST_DAY = datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)
FILTER_DAY_ERROR = "请填写2000年1月1日至2099年12月31日之间的日期。"


def filter_date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DATE_WIDGET,
        error_messages=DATE_ERROR,
        validators=[
            MinValueValidator(FILTER_FIRST_DAY, message=FILTER_DAY_ERROR),
            MaxValueValidator(FILTER_LAST_DAY, message=FILTER_DAY_ERROR),
        ],
    )


class StaffLoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    otp_token = forms.CharField(
        label="动态验证码",
        max_length=8,
        help_text="身份验证器应用（如微信小程序“腾讯身份验证器”）中显示的6位数字。",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    error = "用户名、密码或动态验证码不正确，请重新输入。"

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        # The backend checks the password and the one-time code together (verified on the
        # TOTP device, with django-otp's throttling), and a refusal of either is a failed
        # login that the lock counts against the account and the address.
        user = authenticate(
            self.request,
            username=cleaned["username"],
            password=cleaned["password"],
            otp_token=cleaned["otp_token"],
        )
        device = getattr(user, "otp_device", None)
        if user is None or device is None or getattr(user, "staff_scope", None) is None:
            raise ValidationError(self.error)
        self.user, self.device = user, device
        return cleaned


class SessionFilterForm(forms.Form):
    """A filter form whose values post and wait in the session under a key (the views'
    `_save_filters`): some fields take a full ID number, which must not reach URLs or
    access logs. ``from_url`` marks a form bound from a link's query string."""

    def __init__(self, *args, from_url: bool = False, **kwargs):
        self.from_url = from_url
        super().__init__(*args, **kwargs)

    def data_to_keep(self) -> dict:
        """The submitted values, as the session keeps them for paging and export."""
        return {name: self.data.get(name, "") for name in self.fields}


class QueueFilterForm(SessionFilterForm):
    exam = forms.TypedChoiceField(label="考试", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[(PENDING, "待我审核"), ("", "全部（不含已放弃）"), *Status.choices],
        help_text="搜索时，“待我审核”查找全部状态的报名。",
    )
    category = forms.ChoiceField(label="报考类别", required=False)
    date_from = filter_date("提交日期自")
    date_to = filter_date("至")
    unit = forms.CharField(
        label="工作单位",
        required=False,
        max_length=60,
        help_text="单位代码（精确查找）或单位名称中的文字。",
    )
    verified = forms.ChoiceField(
        label="学历验证",
        required=False,
        choices=[("", "全部"), ("yes", "已验证"), ("no", "未验证")],
    )
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=40,
        help_text="姓名、报名号或完整证件号码（证件号码须完全一致）。",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    url_search_error = "为保护考生信息，请在搜索框中输入后点“筛选”，不要把搜索内容放在网址中。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exam"].choices = [("", "全部考试")] + [
            (e.pk, e.name) for e in exams_for_filter()
        ]
        categories = (
            ExamCategory.objects.exclude(code="")
            .values_list("code", "label")
            .order_by("code")
            .distinct()
        )
        self.fields["category"].choices = [("", "全部类别")] + [
            (code, f"{code} {label}") for code, label in dict(categories).items()
        ]

    def clean_q(self):
        # A search term in a URL (a typed or bookmarked link) may be an ID number, which
        # must not reach access logs; the page's own form posts it.
        if self.from_url and self.cleaned_data["q"].strip():
            raise ValidationError(self.url_search_error)
        return self.cleaned_data["q"]

    def clean_unit(self):
        # A directory code as typed or pasted (full-width, spaced, lower case) becomes the
        # code itself, which the queue matches exactly; a name stays as written.
        value = to_half_width(self.cleaned_data["unit"]).strip()
        compact = "".join(value.split()).upper()
        return compact if compact.isascii() and compact.isalnum() else value

    def described(self) -> str:
        """The chosen filters in words, for the export's audit row (a searched number
        masked: it may be an ID number)."""
        parts = []
        for name, value in self.filters().for_audit().items():
            name = name.removesuffix("_id")  # exam_id is the form's exam
            choices = dict(getattr(self.fields[name], "choices", ()))
            text = value if name == "q" else choices.get(self.cleaned_data[name], value)
            parts.append(f"{self.fields[name].label}：{text}")
        return "；".join(parts) or "无筛选条件"

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters(status="__none__")
        d = self.cleaned_data
        return QueueFilters(
            exam_id=d["exam"], status=d["status"], category=d["category"],
            date_from=d["date_from"], date_to=d["date_to"], unit=d["unit"].strip(),
            verified=d["verified"], q=d["q"].strip(),
        )  # fmt: skip


class ReturnForm(forms.Form):
    preset = forms.ChoiceField(
        label="常用退回原因",
        required=False,
        choices=[("", "请选择，或在下面填写")] + [(r, r) for r in RETURN_REASONS],
    )
    reason = forms.CharField(
        label="退回原因",
        required=False,
        max_length=500,
        help_text="考生将在“考试报名”页面看到此原因，请写明需要怎样修改。",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        text = " ".join(
            part for part in (cleaned.get("preset", ""), cleaned.get("reason", "").strip()) if part
        )
        if not text:
            self.add_error("reason", "请选择或填写退回原因。")
        cleaned["text"] = text
        return cleaned


class ResetPasswordForm(forms.Form):
    reason = forms.CharField(
        label="核验情况",
        max_length=200,
        help_text="例如：已核验居民身份证原件，本人到场。",
    )
    confirm = forms.BooleanField(
        label="我已当面核验考生本人的身份证件原件",
        error_messages={"required": "请先当面核验考生的身份证件原件并勾选。"},
    )


class CorrectionForm(IdentityFieldsMixin, forms.Form):
    full_name = forms.CharField(label="姓名", max_length=60)
    id_type = forms.ChoiceField(
        label="证件类型", choices=[(t.value, ID_TYPE_LABELS[t]) for t in IdType]
    )
    id_number = forms.CharField(
        label="证件号码", max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    gender = forms.ChoiceField(
        label="性别",
        required=False,
        choices=[(g.value, GENDER_LABELS[g]) for g in Gender],
        widget=forms.RadioSelect,
        help_text="居民身份证按号码确定。",
    )
    birth_date = forms.DateField(
        label="出生日期",
        required=False,
        widget=DATE_WIDGET,
        help_text="居民身份证按号码确定。",
        error_messages=DATE_ERROR,
    )
    reason = forms.CharField(
        label="更正原因",
        max_length=200,
        help_text="必填，写明依据（如“按身份证原件更正姓名”）。考生可看到信息已被更正。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        return self.clean_identity(super().clean())

    def values(self) -> dict:
        d = self.cleaned_data
        return {
            "full_name": d["full_name"], "id_type": IdType(d["id_type"]),
            "id_number": d["id_number"], "gender": Gender(d["gender"]),
            "birth_date": d["birth_date"], "reason": d["reason"],
        }  # fmt: skip


class UnitRejectForm(forms.Form):
    reason = forms.CharField(label="驳回原因", max_length=200)


class UnitMergeForm(forms.Form):
    into = forms.CharField(
        label="并入的单位（机构代码）",
        max_length=24,
        help_text="在工作单位目录中查到的已核实单位的机构代码。",
    )


class AuditFilterForm(SessionFilterForm):
    staff = forms.CharField(label="工作人员用户名", required=False, max_length=40)
    candidate = forms.CharField(
        label="考生",
        required=False,
        max_length=40,
        help_text="完整证件号码或报名号。",
    )
    action = forms.ChoiceField(label="操作", required=False, choices=action_choices)
    date_from = filter_date("日期自")
    date_to = filter_date("至")

    url_candidate_error = (
        "为保护考生信息，请在“考生”框中输入后点“筛选”，不要把考生证件号码放在网址中。"
    )

    def clean_candidate(self):
        # The field takes a full ID number, which must not reach URLs and access logs: the
        # page's own form posts it, and a value typed into a link is refused, not run.
        if self.from_url and self.cleaned_data["candidate"].strip():
            raise ValidationError(self.url_candidate_error)
        return self.cleaned_data["candidate"]

    def filters(self) -> AuditFilters:
        if not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        return AuditFilters(
            staff=d["staff"].strip(), candidate=d["candidate"].strip(),
            action=d["action"].strip(), date_from=d["date_from"], date_to=d["date_to"],
        )  # fmt: skip
