"""The 报名资格自测 page: form, answers, bad input, prefill and rate limit."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from factories import make_candidate
from selfcheck_helpers import GRADUATE, form_data, page_statuses

from yikao.eligibility_web.selfcheck import default_exam_year
from yikao.profiles import models as pm

URL = "/eligibility/"
pytestmark = pytest.mark.django_db


class _Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.controls.append(a.get("id", ""))


def _post(client, **changes):
    data = {**form_data(GRADUATE), **changes}
    return client.post(URL, data)


def test_selfcheck_url_name_resolves():
    assert reverse("eligibility_web:selfcheck") == URL


def test_selfcheck_get_shows_empty_form_without_login(client):
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>报名资格自测</h1>" in html
    assert f'name="exam_year" value="{default_exam_year()}"' in html
    assert '<datalist id="selfcheck-majors">' in html
    assert '<option value="临床医学"></option>' in html
    assert 'list="selfcheck-majors"' in html
    assert "已根据您的" not in html
    assert 'id="results"' not in html


def test_selfcheck_every_control_has_a_label_and_no_inline_code(client):
    html = client.get(URL).content.decode()
    parser = _Inputs()
    parser.feed(html)
    assert len(parser.controls) > 30
    assert all(c and c in parser.labels for c in parser.controls), (
        set(parser.controls) - parser.labels
    )
    assert "style=" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_selfcheck_post_graduate_shows_answers_in_order(client):
    response = _post(client)
    html = response.content.decode()
    statuses = page_statuses(html)
    assert response.status_code == 200
    assert statuses[("clinical", "physician")] == "eligible"
    assert statuses[("clinical", "assistant")] == "eligible"
    assert statuses[("dental", "physician")] == "not_eligible"
    assert len(statuses) == 33
    order = [s for s in re.findall(r'data-status="([a-z_]+)"', html)]
    assert order == sorted(order, key=["eligible", "undecided", "not_eligible"].index)
    # Not eligible ones are folded away in one <details>.
    folded = html[html.index('<details class="not-eligible">') :]
    assert folded.count('data-status="not_eligible"') == 31
    first = html[html.index('data-category="clinical" data-level="physician"') :]
    first = first[: first.index("</article>")]
    assert "reason reason-warning" in first and "应届毕业生承诺书" in first
    assert "五年制及以上临床医学类本科学历" in first  # the basis
    assert (
        "所依据的学历</span>第一条教育经历：本科，全日制，临床医学，5年制（2020-09 至 2025-07）"
        in first
    )
    for appendix in ("附件3", "附件7", "附件11"):
        assert f'<span class="appendix">{appendix}</span>' in first
    assert "有效身份证件原件及复印件" in first


def test_selfcheck_post_blocking_reasons_are_styled_apart(client):
    html = _post(client).content.decode()
    dental = html[html.index('data-category="dental" data-level="physician"') :]
    dental = dental[: dental.index("</article>")]
    assert 'class="reason reason-blocking"' in dental
    assert '<span class="reason-tag">不符合</span>' in dental


def test_selfcheck_post_applied_category_limits_the_answers(client):
    html = _post(client, applied_category="clinical", applied_level="physician").content.decode()
    assert page_statuses(html) == {("clinical", "physician"): "eligible"}
    assert '<details class="not-eligible">' not in html


def test_selfcheck_post_missing_facts_are_undecided_with_what_to_provide(client):
    html = _post(client, **{"edu1-level": "研究生", "edu1-major_name": "内科学"}).content.decode()
    assert page_statuses(html)[("clinical", "physician")] == "undecided"
    assert (
        '<span class="reason-tag">待补充</span>无法判断：请提供教育经历「第一条」（研究生内科学）的学位类型'
        in html
    )
    assert "reason reason-blocking reason-missing" in html


# "cert-type:…" means the message belongs next to another field than the one changed.
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("edu1-entry", "2020/9", "年月格式为YYYY-MM，中间用横杠，月份两位，请写作 2020-09。"),
        ("edu1-graduation", "2020-13", "月份应在01至12之间，例如 2008-03。"),
        ("edu1-graduation", "2019-07", "毕业年月不能早于入学年月。"),
        ("edu1-major_name", "临" * 61, "所学专业最多60个字。"),
        ("edu1-length_years", "99", "学制应在1至9年之间。"),
        ("edu1-length_years", "五", "学制请填写整数年，例如 5。"),
        ("edu1-major_code", "1002'01", "专业代码由数字和字母组成"),
        ("identity", "martian", "请从列表中选择身份类别。"),
        ("exam_year", "abc", "考试年度为4位数字，例如 2027。"),
        ("exam_year", "1900", "考试年度应在2014至"),
        ("exam_year", "9" * 40, "考试年度应在2014至"),
        ("graduating", "", "请选择是否应届毕业生。"),
        ("work-end", "2024-01", "结束年月不能早于开始日期。"),
        ("work-department", "科\x00室", "空字符"),
        ("cert-registered_day", "32", "注册日请填写1至31的整数。"),
        ("cert-issued", "2020-01", "cert-type:填写了证书信息，请选择证书类型。"),
        ("training-end", "2021-01", "training-kind:填写了培训信息，请选择培训类型。"),
        ("applied_level", "physician", "该类别没有这个级别，请改选级别或选“全部级别”。"),
    ],
)
def test_selfcheck_post_bad_input_gets_message_next_to_field(client, field, value, message):
    extra = {"applied_category": "rural_general"} if field == "applied_level" else {}
    at, _, message = message.rpartition(":") if ":" in message[:14] else (field, "", message)
    response = _post(client, **{field: value, **extra})
    html = response.content.decode()
    assert response.status_code == 200
    assert "有几项填写不正确" in html
    assert 'id="results"' not in html
    group = html[html.index(f'id="id_{at}_group"') :]
    end = group.find('<div class="field ', 10)
    group = group[: end if end > 0 else None]
    assert message in group, group[:800]


def test_selfcheck_post_hostile_text_is_escaped(client):
    html = _post(client, **{"work-department": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_selfcheck_post_garbage_never_fails(client):
    response = client.post(
        URL, {"edu2-level": ["本科", "专科"], "cert-type": "x" * 10_000, "zzz": "1"}
    )
    assert response.status_code == 200
    assert "有几项填写不正确" in response.content.decode()


def test_selfcheck_post_rate_limited_per_ip(client, settings):
    settings.YIKAO_SELFCHECK_RATE = (2, 60)
    assert _post(client).status_code == 200
    assert _post(client).status_code == 200
    response = _post(client)
    html = response.content.decode()
    assert response.status_code == 429
    assert "提交过于频繁：同一网络每60秒最多自测2次。请稍等一分钟后再试。" in html
    assert 'id="results"' not in html
    other = client.post(URL, form_data(GRADUATE), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_selfcheck_get_is_not_rate_limited(client, settings):
    settings.YIKAO_SELFCHECK_RATE = (1, 60)
    assert all(client.get(URL).status_code == 200 for _ in range(3))


def test_selfcheck_prefills_from_personal_information(client):
    candidate = make_candidate()
    pm.Profile.objects.create(
        candidate=candidate,
        work_unit_name="某县人民医院",
        post_category="临床",
        department="儿科",
        work_start="2019-08",
        duty_status="在岗",
    )
    pm.Education.objects.create(
        candidate=candidate,
        level="专科",
        length_years=3,
        study_form="全日制",
        entry_date="2016-09",
        graduation_date="2019-07",
        school_name="某医学高等专科学校",
        major_name="临床医学",
    )
    pm.Certificate.objects.create(
        candidate=candidate,
        cert_type="执业助理医师",
        issue_date="2020-12",
        number="2020410000001",
        registration_date="2021-03",
        practice_category="临床",
    )
    client.force_login(candidate.user)
    html = client.get(URL).content.decode()
    assert "已根据您的" in html and "预填" in html
    assert 'name="edu1-major_name" value="临床医学"' in html
    assert 'name="edu1-entry" value="2016-09"' in html
    assert '<option value="专科" selected>专科</option>' in html
    assert 'name="cert-registered" value="2021-03"' in html
    assert 'name="work-department" value="儿科"' in html
    assert 'name="work-start" value="2019-08"' in html
    assert '<option value="clinical" selected>临床</option>' in html
    # The certificate group holds values, so it is shown unfolded.
    assert '<details class="more" open>\n      <summary>执业助理医师证书' in html


def test_selfcheck_logged_in_post_uses_what_was_typed(client):
    candidate = make_candidate()
    client.force_login(candidate.user)
    html = _post(client).content.decode()
    assert page_statuses(html)[("clinical", "physician")] == "eligible"
    assert "已根据您的" not in html
