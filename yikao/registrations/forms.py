"""The wizard's step forms. Each reads the candidate's own entries; none saves anything."""

from django import forms
from django.core.exceptions import ValidationError

from yikao.accounts.identity import IdentityError, IdType, parse_id_number
from yikao.exams.models import ExamArea
from yikao.profiles.models import Certificate, Education, Profile, Training

MILITARY_CHOICES = [("none", "无"), ("active", "现役军人"), ("civilian", "军队文职人员")]
NO_DIPLOMA_NEEDED = {"师承", "确有专长"}


class ExamFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="考试类型", required=False, choices=[("", "全部"), ("医师资格考试", "医师资格考试")]
    )
    level = forms.ChoiceField(
        label="级别", required=False,
        choices=[("", "全部"), ("physician", "执业医师"), ("assistant", "执业助理医师")],
    )  # fmt: skip
    group = forms.ChoiceField(
        label="类别", required=False,
        choices=[("", "全部")] + [(g, g) for g in ("临床", "口腔", "公共卫生", "中医", "乡村全科")],
    )  # fmt: skip
    q = forms.CharField(label="关键字", required=False, max_length=30)


class BasicStepForm(forms.Form):
    military = forms.ChoiceField(
        label="本人身份",
        choices=MILITARY_CHOICES,
        help_text="现役军人和军队文职人员须加试军事医学。",
    )
    hmt_permit = forms.CharField(
        label="往来大陆通行证号码",
        required=False,
        max_length=20,
        help_text="台港澳人士必填，按通行证填写。",
    )

    def __init__(self, *args, identity_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.identity_kind = identity_kind
        if identity_kind != "hk_mo_tw":
            del self.fields["hmt_permit"]

    def clean_hmt_permit(self):
        value = self.cleaned_data.get("hmt_permit", "")
        if not value:
            raise ValidationError("台港澳人士请填写往来大陆通行证号码。")
        try:
            return parse_id_number(IdType.HMT_TRAVEL_PERMIT, value).number
        except IdentityError as exc:
            raise ValidationError(str(exc)) from None


class _EntryChoice(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


class RecordsStepForm(forms.Form):
    educations = _EntryChoice(
        queryset=Education.objects.none(),
        label="用于报考的教育经历",
        error_messages={"required": "请至少勾选一条用于报考的教育经历。"},
    )
    trainings = _EntryChoice(
        queryset=Training.objects.none(),
        label="用于报考的培训经历",
        required=False,
        help_text="勾选报考依据的培训：住院医师规范化培训；以西医学习中医报考中西医结合的，勾选西医学习中医培训或中医系统学习。",
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.all_educations = list(Education.objects.filter(candidate=candidate))
        self.fields["educations"].queryset = Education.objects.filter(candidate=candidate)
        self.fields["trainings"].queryset = Training.objects.filter(candidate=candidate)

    def clean_educations(self):
        chosen = self.cleaned_data["educations"]
        profile = Profile.objects.filter(candidate=self.candidate).first()
        graduating_postgraduate = profile is not None and profile.duty_status == "当年毕业研究生"
        has_undergraduate = any(e.level in ("本科", "专科") for e in self.all_educations)
        if any(e.level.startswith("研究生") for e in chosen) and not has_undergraduate:
            raise ValidationError(
                "以研究生学历报考的，还应在个人信息中补充本科或专科的教育经历（不用勾选）。"
            )
        for entry in chosen:
            if entry.diploma_number or entry.study_form in NO_DIPLOMA_NEEDED:
                continue
            if graduating_postgraduate and entry.level.startswith("研究生"):
                continue
            raise ValidationError(
                f"“{entry}”未填写毕业证书编号。当年毕业研究生请在工作情况的在岗情况中选择“当年毕业研究生”；"
                "其他情况请在个人信息中补充毕业证书编号。"
            )
        return chosen


class CertificateStepForm(forms.Form):
    certificates = _EntryChoice(
        queryset=Certificate.objects.none(), label="用于报考的证书", required=False
    )

    def __init__(self, *args, candidate, required: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        self.fields["certificates"].queryset = Certificate.objects.filter(candidate=candidate)

    def clean_certificates(self):
        chosen = self.cleaned_data["certificates"]
        if any(c.cert_type == "执业助理医师（乡镇）" for c in chosen):
            raise ValidationError(
                "“执业助理医师（乡镇）”类型的证书不具备报考资格，请选择“执业助理医师”证书。"
            )
        if self.required and not any(c.cert_type == "执业助理医师" for c in chosen):
            raise ValidationError("以专科或中专学历报考执业医师，须选择“执业助理医师”证书。")
        return chosen


class SiteStepForm(forms.Form):
    area = forms.ModelChoiceField(
        label="考区", queryset=ExamArea.objects.all(), to_field_name="code", empty_label="请选择考区",
        error_messages={"required": "请选择考区。", "invalid_choice": "请选择列表中的考区。"},
    )  # fmt: skip
    site = forms.ChoiceField(
        label="考点", choices=[], widget=forms.RadioSelect,
        error_messages={"required": "请选择考点。", "invalid_choice": "请选择所选考区中的考点。"},
    )  # fmt: skip
    shortline = forms.ChoiceField(
        label="短线医学专业加试",
        required=False,
        choices=[("", "不申请"), ("院前急救", "院前急救"), ("儿科", "儿科")],
        widget=forms.RadioSelect,
        help_text="在院前急救或儿科岗位工作的临床执业医师报考者可申请；通过加试取得的医师资格限定在相应岗位执业。",
    )

    def __init__(self, *args, seats, offer_shortline: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.fields["site"].choices = [
            (str(s.site.pk), f"{s.site.name}（剩余名额 {s.left}）") for s in seats if s.left > 0
        ]
        if not offer_shortline:
            del self.fields["shortline"]
