"""Forms normalise and validate what people type; services decide everything else."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError

from yikao.accounts import identity
from yikao.accounts.identity import GENDER_LABELS, ID_TYPE_LABELS, Gender, IdentityError, IdType
from yikao.accounts.services import SignUp
from yikao.core.text import normalise_input

SECURITY_QUESTIONS = [
    "您母亲的姓名是？",
    "您父亲的姓名是？",
    "您配偶的姓名是？",
    "您的出生地是？",
    "您小学的校名是？",
    "您高中班主任的姓名是？",
    "您最喜欢的一本书是？",
]


def _identity_clean(func, value, **kwargs):
    try:
        return func(value, **kwargs)
    except IdentityError as exc:
        raise ValidationError(str(exc)) from None


class SecurityQuestionField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label="密码提示问题",
            min_length=2,
            max_length=50,
            error_messages={
                "required": "请选择或填写一个密码提示问题。",
                "min_length": "密码提示问题至少2个字，请写完整。",
                "max_length": "密码提示问题最多50个字，请写得短一些。",
            },
            help_text="可从列表中选择，也可自己填写一个只有您知道答案的问题。",
            widget=forms.TextInput(attrs={"list": "security-questions", "autocomplete": "off"}),
            **kwargs,
        )

    def clean(self, value):
        # Chinese punctuation (？) is kept as typed; only whitespace is tidied.
        return " ".join((super().clean(value) or "").split())


class SecurityAnswerField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", "密码提示答案")
        super().__init__(
            max_length=30,
            error_messages={
                "required": "请填写密码提示答案，4至30个字符。",
                "max_length": "密码提示答案最多30个字符，请写得短一些。",
            },
            help_text="4至30个字符，不区分大小写和全角半角。找回密码时需要。",
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            **kwargs,
        )

    def clean(self, value):
        return _identity_clean(identity.normalise_security_answer, super().clean(value))


class NewPasswordMixin:
    """Two password fields that must match and pass the password rules."""

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first:
            try:
                password_validation.validate_password(first)
            except ValidationError as exc:
                self.add_error("password1", exc)
                return cleaned
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致，请重新输入。")
        return cleaned


def password_field(
    label: str, autocomplete: str = "new-password", required_message: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        max_length=128,
        error_messages={
            "required": required_message or f"请填写{label}。",
            "max_length": f"{label}最多128个字符，请核对。",
        },
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class FirstErrorFocusMixin:
    """After a refused submit the first field with an error gets `autofocus`, so the
    cursor lands there with or without JavaScript (CSP allows no inline script). Decided
    at render time, so errors a view adds after validation count too."""

    def get_context(self):
        if self.is_bound and self.errors:
            for name, field in self.fields.items():
                if name in self.errors and not field.widget.is_hidden:
                    field.widget.attrs["autofocus"] = True
                    break
        return super().get_context()


class IdentityFieldsMixin:
    """full_name, id_type, id_number, gender and birth_date checked together: a resident
    ID gives gender and birth date; other documents need them typed. Used by sign-up and
    by the staff correction form.

    For a resident ID the gender and birth-date fields are hidden (site.js) and ignored:
    whatever is wrong with them is a problem of the ID number and is said there, once."""

    def clean_identity(self, cleaned: dict) -> dict:
        id_type = cleaned.get("id_type")
        if not id_type:
            return cleaned
        if id_type == IdType.RESIDENT_ID:
            for name in ("gender", "birth_date"):
                self.errors.pop(name, None)
                cleaned.pop(name, None)
        if "full_name" in cleaned:
            try:
                cleaned["full_name"] = identity.normalise_name(
                    cleaned["full_name"], id_type=id_type
                )
            except IdentityError as exc:
                self.add_error("full_name", str(exc))
        if "id_number" in cleaned:
            try:
                facts = identity.parse_id_number(id_type, cleaned["id_number"])
            except IdentityError as exc:
                self.add_error("id_number", str(exc))
            else:
                cleaned["id_number"] = facts.number
                if facts.gender is not None:
                    cleaned["gender"], cleaned["birth_date"] = facts.gender, facts.birth_date
        if id_type == IdType.RESIDENT_ID:
            if not cleaned.get("birth_date") or not identity.is_plausible_birth_date(
                cleaned["birth_date"]
            ):
                cleaned.pop("gender", None)
                cleaned.pop("birth_date", None)
                if "id_number" not in self.errors:
                    self.add_error(
                        "id_number", "无法从证件号码读出性别和出生日期，请逐位核对身份证号码。"
                    )
            return cleaned
        if not cleaned.get("gender") and "gender" not in self.errors:
            self.add_error("gender", "请选择性别。")
        if not cleaned.get("birth_date") and "birth_date" not in self.errors:
            self.add_error("birth_date", "请填写出生日期，格式YYYY-MM-DD。")
        elif cleaned.get("birth_date") and not identity.is_plausible_birth_date(
            cleaned["birth_date"]
        ):
            self.add_error(
                "birth_date", "出生日期不合理（不能晚于今天，也不能早于1900年），请核对。"
            )
        return cleaned


class SignUpForm(FirstErrorFocusMixin, IdentityFieldsMixin, NewPasswordMixin, forms.Form):
    full_name = forms.CharField(
        label="姓名",
        max_length=60,
        help_text="与证件一致；少数民族姓名中间的点用“·”。",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "请填写姓名，与证件上的一致。",
            "max_length": "姓名最多60个字符，请按证件核对。",
        },
    )
    id_type = forms.ChoiceField(
        label="证件类型",
        choices=[(t.value, ID_TYPE_LABELS[t]) for t in IdType],
        error_messages={
            "required": "请选择证件类型。",
            "invalid_choice": "请从列表中选择证件类型。",
        },
    )
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        error_messages={
            "required": "请填写证件号码。",
            "max_length": "证件号码最多40个字符，请按证件核对。",
        },
        help_text="居民身份证为18位，性别和出生日期将从号码中读取。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    gender = forms.ChoiceField(
        label="性别",
        required=False,
        choices=[(g.value, GENDER_LABELS[g]) for g in Gender],
        widget=forms.RadioSelect,
        help_text="居民身份证无需填写。",
        error_messages={"invalid_choice": "请选择性别：男或女。"},
    )
    birth_date = forms.DateField(
        label="出生日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="居民身份证无需填写；格式YYYY-MM-DD。",
        error_messages={"invalid": "出生日期格式为YYYY-MM-DD，例如1998-05-20。"},
    )
    username = forms.CharField(
        label="用户名",
        max_length=20,
        help_text="4至20位英文字母、数字或下划线，以字母开头。注册后不能修改，请牢记。",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={
            "required": "请填写用户名：4至20位英文字母、数字或下划线，以字母开头。",
            "max_length": "用户名最多20位，请改短一些。",
        },
    )
    password1 = password_field(
        "密码", required_message="请设置密码：8至20位，须同时包含英文字母和数字。"
    )
    password2 = password_field("确认密码", required_message="请再次输入密码，与上面的一致。")
    security_question = SecurityQuestionField()
    security_answer = SecurityAnswerField()
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=254,
        help_text="用于找回密码，建议填写。",
        error_messages={
            "invalid": "请输入有效的电子邮箱，例如name@example.com。",
            "max_length": "电子邮箱最多254个字符，请核对。",
        },
    )
    mobile = forms.CharField(
        label="手机号码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "required": "请填写手机号码，11位数字。",
            "max_length": "手机号码最多20个字符，请核对。",
        },
    )
    accept_terms = forms.BooleanField(
        label="我已阅读并同意《用户服务协议》和《隐私政策》",
        error_messages={"required": "请阅读并勾选同意《用户服务协议》和《隐私政策》。"},
    )

    password1.help_text = "8至20位，须同时包含英文字母和数字，区分大小写。"

    def clean_username(self):
        return _identity_clean(identity.normalise_username, self.cleaned_data["username"])

    def clean_mobile(self):
        return _identity_clean(identity.normalise_mobile, self.cleaned_data["mobile"])

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        return self.clean_identity(super().clean())

    def sign_up(self) -> SignUp:
        data = self.cleaned_data
        return SignUp(
            full_name=data["full_name"],
            id_type=IdType(data["id_type"]),
            id_number=data["id_number"],
            gender=Gender(data["gender"]),
            birth_date=data["birth_date"],
            username=data["username"],
            password=data["password1"],
            security_question=data["security_question"],
            security_answer=data["security_answer"],
            email=data["email"],
            mobile=data["mobile"],
        )


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或证件号码",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = password_field("密码", autocomplete="current-password")

    error_messages = {
        "invalid_login": "用户名（或证件号码）或密码不正确，请重新输入。连续5次错误将锁定30分钟。",
        "inactive": "用户名（或证件号码）或密码不正确，请重新输入。",
    }


def one_time_code_field(**kwargs) -> forms.CharField:
    return forms.CharField(
        label="动态验证码",
        max_length=16,
        help_text="身份验证器应用中显示的6位数字。",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        **kwargs,
    )


class PasswordChangeForm(NewPasswordMixin, forms.Form):
    """Staff (`one_time_code=True`) also give the one-time code of their authenticator."""

    old_password = password_field("原密码", autocomplete="current-password")
    password1 = password_field("新密码")
    password2 = password_field("确认新密码")

    def __init__(self, *args, one_time_code: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if one_time_code:
            self.fields["otp_token"] = one_time_code_field(
                error_messages={"required": "请输入身份验证器中显示的6位动态验证码。"}
            )

    def clean_otp_token(self):
        return "".join(self.cleaned_data["otp_token"].split())


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login: password and one-time code checked in one step by the backend,
    so that a right password with a wrong or missing code answers exactly like a wrong
    password (django-otp's own form then asked for the device: it told the password was
    right)."""

    otp_token = one_time_code_field(required=False)

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        token = "".join((self.cleaned_data.get("otp_token") or "").split())
        if username is not None and password:
            self.user_cache = authenticate(
                self.request, username=username, password=password, otp_token=token
            )
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            if not (self.user_cache.is_active and self.user_cache.is_staff):
                # A candidate's right password: refused like a wrong one, and counted alike.
                user_login_failed.send(
                    sender=__name__, credentials={"username": username}, request=self.request
                )
                self.user_cache = None
                raise self.get_invalid_login_error()
        return self.cleaned_data


class SecurityQuestionForm(forms.Form):
    password = password_field("登录密码", autocomplete="current-password")
    security_question = SecurityQuestionField()
    security_answer = SecurityAnswerField(label="新的密码提示答案")


class RecoveryStartForm(forms.Form):
    id_number = forms.CharField(
        label="证件号码",
        max_length=40,
        help_text="注册时填写的证件号码。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_id_number(self):
        value = "".join(normalise_input(self.cleaned_data["id_number"]).split()).upper()
        if len(value) < 6:
            raise ValidationError("请输入完整的证件号码。")
        return value


class RecoveryFinishForm(NewPasswordMixin, forms.Form):
    security_answer = forms.CharField(label="密码提示答案", max_length=30)
    email_code = forms.CharField(
        label="邮箱验证码",
        required=False,
        max_length=6,
        help_text="如注册时填写了电子邮箱，请输入发送到该邮箱的6位验证码；未填写邮箱的可不填。",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    password1 = password_field("新密码")
    password2 = password_field("确认新密码")

    def clean_security_answer(self):
        return " ".join(normalise_input(self.cleaned_data["security_answer"]).split()).casefold()
