import re

import pytest
from django.urls import reverse
from factories import make_candidate

from yikao.directory.models import School
from yikao.profiles.models import Certificate, Education, Profile, Training

URL = "/profile/"


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client


def management(prefix, total=0, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "10"}  # fmt: skip


def form_data(**overrides):
    data = {
        "action": "submit",
        "contact-mobile": "13800001111", "contact-email": "me@example.com",
        "contact-postal_address": "郑州市金水区", "contact-postcode": "450000",
        "work-work_unit_code": "", "work-work_unit_name": "", "work-unit_nature": "医疗机构",
        "work-position": "住院医师", "work-title": "无", "work-title_date": "",
        "work-duty_status": "试用期", "work-post_category": "临床", "work-department": "内科",
        "work-work_start": "2024-08",
        **management("edu", 1), **management("trn", 1), **management("crt", 0),
        "edu-0-id": "", "edu-0-level": "本科", "edu-0-degree_type": "", "edu-0-length_years": "5",
        "edu-0-study_form": "全日制", "edu-0-entry_date": "2019-09", "edu-0-graduation_date": "2024-06",
        "edu-0-school_name": "郑州大学", "edu-0-school_code": "4141010459",
        "edu-0-major_name": "临床医学", "edu-0-major_code": "", "edu-0-diploma_number": "10459123",
        "trn-0-id": "", "trn-0-kind": "住院医师规范化培训", "trn-0-base_name": "郑州大学第一附属医院",
        "trn-0-major_name": "内科", "trn-0-start_date": "2024-09", "trn-0-end_date": "2027-08",
        "trn-0-certificate_number": "",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def zzu(db):
    return School.objects.get_or_create(
        code="4141010459", defaults={"name": "郑州大学", "kind": "普通高等学校"}
    )[0]


@pytest.mark.django_db
def test_page_shows_the_six_groups(logged_in, candidate):
    html = logged_in.get(URL).content.decode()
    for title in ["基本信息", "联系方式", "工作情况", "教育经历", "培训经历", "证书情况"]:
        assert title in html
    assert candidate.masked_id_number in html and candidate.id_number not in html


@pytest.mark.django_db
def test_submit_saves_everything_and_reload_shows_it(logged_in, candidate):
    response = logged_in.post(URL, form_data())
    assert response.status_code == 302
    html = logged_in.get(URL).content.decode()
    assert "郑州大学第一附属医院" in html and 'value="临床医学"' in html and "450000" in html
    assert Education.objects.get(candidate=candidate).school_code == "4141010459"
    assert Training.objects.filter(candidate=candidate).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("edu-0-entry_date", "2019-9", "2019-09"),
        ("edu-0-entry_date", "2019/09", "2019-09"),
        ("edu-0-entry_date", "201909", "2019-09"),
        ("edu-0-entry_date", "2019-13", "月份"),
        ("edu-0-graduation_date", "2018-06", "晚于入学"),
        ("edu-0-entry_date", "2099-01", "不能晚于"),
        ("trn-0-end_date", "2024-01", "晚于开始"),
        ("edu-0-length_years", "五", "数字"),
        ("edu-0-school_name", "", "必填"),
        ("edu-0-level", "博士后", "选择"),
        ("edu-0-school_name", "大" * 10_000, "100"),
        ("contact-mobile", "12345", "11位"),
        ("contact-postcode", "45000a", "6位数字"),
        ("contact-email", "<script>", "电子邮箱"),
        ("work-title", "主治医师（中级）", "取得职称年月"),
    ],
)
def test_bad_input_gets_message_next_to_field_and_saves_nothing(
    logged_in, candidate, field, value, fragment
):
    response = logged_in.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert fragment in html
    assert 'class="field-error"' in html
    assert "有内容未填写或格式不正确" in html
    assert not Education.objects.filter(candidate=candidate).exists()
    assert not Profile.objects.filter(candidate=candidate).exists()


@pytest.mark.django_db
def test_plus_without_javascript_adds_an_empty_entry_and_saves_nothing(logged_in, candidate):
    response = logged_in.post(URL, form_data(action="add:educations"))
    assert response.status_code == 200
    assert response.context["page"].formsets["educations"].total_form_count() == 2
    assert 'class="field-error"' not in response.content.decode()
    assert not Education.objects.exists()


@pytest.mark.django_db
def test_blank_extra_entry_is_ignored(logged_in, candidate):
    data = form_data(**management("crt", 1))
    data.update({f"crt-0-{k}": "" for k in ["id", "cert_type", "issue_date", "number"]})
    assert logged_in.post(URL, data).status_code == 302


@pytest.mark.django_db
def test_locked_entry_is_read_only_and_not_in_the_form(logged_in, candidate):
    Education.objects.create(candidate=candidate, level="本科", study_form="全日制", entry_date="2015-09",
                             graduation_date="2020-06", school_name="郑州大学", major_name="临床医学",
                             locked=True)  # fmt: skip
    response = logged_in.get(URL)
    assert response.context["page"].formsets["educations"].total_form_count() == 0
    assert "已锁定" in response.content.decode()
    # A hostile POST naming the locked entry is refused, and nothing changes.
    locked = Education.objects.get(candidate=candidate)
    data = form_data(**{"edu-0-id": str(locked.pk), "edu-0-major_name": "改名"})
    response = logged_in.post(URL, data)
    assert response.status_code == 200
    locked.refresh_from_db()
    assert locked.major_name == "临床医学"


@pytest.mark.django_db
def test_delete_checkbox_removes_an_entry(logged_in, candidate):
    logged_in.post(URL, form_data())
    entry = Education.objects.get(candidate=candidate)
    data = form_data(**{**management("edu", 1, 1), "edu-0-id": str(entry.pk), "edu-0-DELETE": "on"})
    assert logged_in.post(URL, data).status_code == 302
    assert not Education.objects.filter(candidate=candidate).exists()


def _tag(html, element_id):
    match = re.search(rf'<(?:input|select)[^>]*id="{element_id}"[^>]*>', html)
    assert match, element_id
    return match.group(0)


@pytest.mark.django_db
def test_entry_required_fields_carry_data_required_not_required(logged_in, candidate):
    logged_in.post(URL, form_data())
    html = logged_in.get(URL).content.decode()
    for name in ["level", "length_years", "study_form", "entry_date", "school_name", "major_name"]:
        tag = _tag(html, f"id_edu-0-{name}")
        assert "data-required" in tag and 'aria-required="true"' in tag
        assert not re.search(r"\srequired[\s>=]", tag), tag
    for name in ["degree_type", "diploma_number", "DELETE"]:
        assert "data-required" not in _tag(html, f"id_edu-0-{name}")
    assert "data-required" not in _tag(html, "id_edu-0-id")
    # The empty template form is marked too, so an entry added in the page is checked.
    assert "data-required" in _tag(html, "id_edu-__prefix__-entry_date")


@pytest.mark.django_db
def test_entry_has_minus_button_and_keeps_the_delete_checkbox(logged_in, candidate):
    logged_in.post(URL, form_data())
    html = logged_in.get(URL).content.decode()
    assert re.search(r'<button type="button"[^>]*data-remove-entry[^>]*aria-label="删除此条"', html)
    assert 'name="edu-0-DELETE"' in html and '<label for="id_edu-0-DELETE">' in html
    assert "撤销" in html


@pytest.mark.django_db
def test_entry_ticked_for_removal_is_shown_greyed_after_an_error(logged_in, candidate):
    logged_in.post(URL, form_data())
    entry = Education.objects.get(candidate=candidate)
    data = form_data(**{**management("edu", 1, 1), "edu-0-id": str(entry.pk),
                        "edu-0-DELETE": "on", "contact-postcode": "12"})  # fmt: skip
    html = logged_in.post(URL, data).content.decode()
    assert '<fieldset class="entry removing" data-entry' in html
    assert Education.objects.filter(candidate=candidate).exists()


@pytest.mark.django_db
def test_read_only_entries_show_their_fields_and_marks(logged_in, candidate):
    Education.objects.create(candidate=candidate, level="本科", length_years=5, study_form="全日制",
                             entry_date="2015-09", graduation_date="2020-06", school_name="郑州大学",
                             school_code="4141010459", major_name="临床医学",
                             diploma_number="104591202005001234", locked=True)  # fmt: skip
    Certificate.objects.create(candidate=candidate, cert_type="医师资格证书", issue_date="2022-01",
                               number="202241110410102199", verified=True)  # fmt: skip
    html = logged_in.get(URL).content.decode()
    for label, value in [("入学年月", "2015-09"), ("毕业年月", "2020-06"), ("学制（年）", "5"),
                         ("毕业证书编号", "104591202005001234"), ("学习形式", "全日制"),
                         ("发证年月", "2022-01"), ("证书编号", "202241110410102199")]:  # fmt: skip
        assert f"<dt>{label}</dt><dd>{value}</dd>" in html
    assert "4141010459" not in html  # codes stay out; empty fields are left out
    assert "<dt>注册编号</dt>" not in html and "<dt>学位类型</dt>" not in html
    assert html.count('class="entry-facts"') == 2
    assert "<span>已锁定</span>" in html and "<span>已验证</span>" in html


@pytest.mark.django_db
def test_pick_work_unit_keeps_typed_values_in_a_draft(logged_in, candidate):
    response = logged_in.post(
        URL, form_data(**{"action": "pick_work_unit", "work-position": "主治"})
    )
    assert response.status_code == 302 and "/directory/" in response["Location"]
    back = logged_in.get(URL + "?institution=NOPE")
    assert back.status_code == 200
    assert 'value="主治"' in back.content.decode()
    assert not Profile.objects.filter(candidate=candidate).exists()


@pytest.mark.django_db
def test_next_returns_to_the_wizard(logged_in):
    response = logged_in.post(URL, form_data(next="/registrations/"))
    assert response["Location"] == "/registrations/"
    response = logged_in.post(URL, form_data(next="https://evil.example/"))
    assert response["Location"] == reverse("profiles:index")


@pytest.mark.django_db
def test_staff_without_candidate_gets_404(client):
    from yikao.accounts.models import User

    client.force_login(User.objects.create_user("staff9", "Staff2026pass", is_staff=True))
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_anonymous_redirected_to_login(client):
    assert "/accounts/login/" in client.get(URL)["Location"]


@pytest.mark.django_db
def test_two_candidates_never_see_each_other(client):
    first, second = make_candidate(), make_candidate()
    client.force_login(first.user)
    client.post(URL, form_data())
    client.force_login(second.user)
    assert "郑州大学第一附属医院" not in client.get(URL).content.decode()
