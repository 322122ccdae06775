from django import forms

from yikao.directory.models import Region
from yikao.directory.services import AFFILIATIONS, MANUAL_KINDS


def _choices(regions, prompt: str) -> list[tuple[str, str]]:
    return [("", prompt), *((r.code, r.name) for r in regions)]


class InstitutionNewForm(forms.Form):
    """未找到单位: full name, province → city → county, 隶属. Without JavaScript the
    lower selects fill in after "更新市、区县列表" (the page reloads with the choice)."""

    name = forms.CharField(
        label="单位全称",
        max_length=100,
        help_text="请按《医疗机构执业许可证》填写完整名称，如“郑州市中原区林山寨街道社区卫生服务中心”。",
        error_messages={"required": "请填写单位全称。"},
    )
    province = forms.ChoiceField(label="所在省份", error_messages={"required": "请选择省份。"})
    city = forms.ChoiceField(label="所在城市", error_messages={"required": "请选择城市。"})
    county = forms.ChoiceField(label="所在区县", error_messages={"required": "请选择区县。"})
    kind = forms.ChoiceField(
        label="机构类别",
        choices=[("", "请选择"), *((k, k) for k in MANUAL_KINDS)],
        help_text="按《医疗机构执业许可证》上的类别选择；报考乡村全科等类别按机构类别判断。",
        error_messages={
            "required": "请选择机构类别。",
            "invalid_choice": "请从列表中选择机构类别。",
        },
    )
    affiliation = forms.ChoiceField(
        label="单位隶属",
        choices=[("", "请选择"), *((a, a) for a in AFFILIATIONS)],
        error_messages={"required": "请选择单位隶属关系。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        source = self.data if self.is_bound else self.initial
        province = (source.get("province") or "").strip()
        city = (source.get("city") or "").strip()
        self.fields["province"].choices = _choices(
            Region.objects.filter(level=Region.Level.PROVINCE), "请选择省份"
        )
        cities = (
            Region.objects.filter(parent_id=province)
            if province.isascii() and province.isdigit()
            else []
        )
        self.fields["city"].choices = _choices(
            cities, "请先选择省份" if not province else "请选择城市"
        )
        counties = (
            Region.objects.filter(parent_id=city)
            if city.isascii() and city.isdigit() and city[:2] == province
            else []
        )
        self.fields["county"].choices = _choices(
            counties, "请先选择城市" if not city else "请选择区县"
        )
        for name in ("province", "city"):
            self.fields[name].widget.attrs["data-refresh-on-change"] = "1"

    def clean_county(self) -> Region:
        code = self.cleaned_data["county"]
        region = Region.objects.filter(code=code, level=Region.Level.COUNTY).first()
        if region is None or region.parent_id != self.cleaned_data.get("city"):
            raise forms.ValidationError("请选择所选城市下的区县。")
        return region


class PickSearchForm(forms.Form):
    q = forms.CharField(
        label="单位名称、拼音首字母或机构代码",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "如：林山寨 或 lsz"}),
    )
