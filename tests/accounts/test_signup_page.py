import pytest
from django.urls import reverse
from factories import make_candidate, resident_id

from yikao.accounts.models import Candidate, User
from yikao.core.models import AuditEntry

URL = "/accounts/register/"


def form_data(**overrides):
    data = {
        "full_name": "李四",
        "id_type": "resident_id",
        "id_number": resident_id(birth="19990303", male=False, seq=7),
        "username": "lisi2026",
        "password1": "Secret2026a",
        "password2": "Secret2026a",
        "security_question": "您的出生地是？",
        "security_answer": "郑州金水",
        "email": "lisi@example.com",
        "mobile": "13912345678",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.django_db
def test_signup_page_get_has_every_label(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for label in [
        "姓名",
        "证件类型",
        "证件号码",
        "用户名",
        "密码",
        "确认密码",
        "密码提示问题",
        "密码提示答案",
        "电子邮箱",
        "手机号码",
        "用户服务协议",
        "隐私政策",
    ]:
        assert label in html
    for option in [
        "居民身份证",
        "港澳台居民居住证",
        "台港澳居民往来大陆通行证",
        "香港身份证",
        "澳门身份证",
        "台湾身份证",
        "外籍护照",
    ]:
        assert option in html
    # every visible input has a label pointing at it
    form = response.context["form"]
    for field in form.visible_fields():
        if field.use_fieldset:  # radio groups: a legend, and a label on each choice
            assert f"<legend>{field.label}</legend>" in html
        else:
            assert f'for="{field.id_for_label}"' in html


@pytest.mark.django_db
def test_signup_valid_creates_account_and_lands_on_profile(client):
    response = client.post(URL, form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("profiles:index")
    candidate = Candidate.objects.get()
    assert candidate.full_name == "李四"
    assert candidate.gender == "F"
    assert str(candidate.birth_date) == "1999-03-03"
    assert candidate.user.username == "lisi2026"
    assert candidate.user.password.startswith("argon2$argon2id$")
    assert candidate.security_answer_hash.startswith("argon2")
    assert (
        AuditEntry.objects.filter(action="account.registered", subject=candidate.user).count() == 1
    )
    assert client.get(reverse("profiles:index")).status_code == 200


@pytest.mark.django_db
def test_signup_full_width_input_is_normalised(client):
    number = resident_id(birth="19990303", seq=9)
    full_width = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    response = client.post(
        URL,
        form_data(
            id_number=full_width, mobile="１３９１２３４５６７８", username="ｌｉｓｉ２０２６"
        ),
    )
    assert response.status_code == 302
    candidate = Candidate.objects.get()
    assert candidate.id_number == number
    assert candidate.mobile == "13912345678"
    assert candidate.user.username == "lisi2026"


@pytest.mark.django_db
def test_signup_passport_asks_for_gender_and_birth_date(client):
    data = form_data(id_type="passport", id_number="E12345678", full_name="John Smith")
    response = client.post(URL, data)
    assert response.status_code == 200
    assert field_errors(response, "gender") == ["请选择性别。"]
    assert field_errors(response, "birth_date")
    response = client.post(URL, {**data, "gender": "M", "birth_date": "1990-02-03"})
    assert response.status_code == 302
    assert Candidate.objects.get().full_name == "JOHN SMITH"


@pytest.mark.django_db
@pytest.mark.parametrize("birth_date", ["2090-01-01", "1899-12-31"])
def test_signup_passport_refuses_an_impossible_birth_date(client, birth_date):
    data = form_data(id_type="passport", id_number="E12345678", full_name="John Smith")
    response = client.post(URL, {**data, "gender": "M", "birth_date": birth_date})
    assert response.status_code == 200
    assert field_errors(response, "birth_date") == [
        "出生日期不合理（不能晚于今天，也不能早于1900年），请核对。"
    ]
    assert not Candidate.objects.exists()


BAD_INPUTS = [
    ("full_name", "", "full_name"),
    ("full_name", "张" * 10_000, "full_name"),
    ("full_name", "<script>alert(1)</script>", "full_name"),
    ("full_name", "Robert'); DROP TABLE accounts_user;--", "full_name"),
    ("id_number", "", "id_number"),
    ("id_number", "1" * 10_000, "id_number"),
    ("id_number", "110105194912310021", "id_number"),
    ("id_number", "' OR 1=1 --", "id_number"),
    ("id_type", "driving_licence", "id_type"),
    ("id_type", "", "id_type"),
    ("username", "", "username"),
    ("username", "ab", "username"),
    ("username", "x" * 10_000, "username"),
    ("username", "<b>bold</b>", "username"),
    ("password1", "short1", "password1"),
    ("password1", "x" * 10_000, "password1"),
    ("password2", "Different2026", "password2"),
    ("security_question", "", "security_question"),
    ("security_question", "问" * 10_000, "security_question"),
    ("security_answer", "abc", "security_answer"),
    ("security_answer", "答" * 10_000, "security_answer"),
    ("email", "not-an-email", "email"),
    ("email", "a" * 10_000 + "@x.cn", "email"),
    ("mobile", "", "mobile"),
    ("mobile", "12345", "mobile"),
    ("mobile", "1" * 10_000, "mobile"),
    ("accept_terms", "", "accept_terms"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "error_field"), BAD_INPUTS)
def test_signup_bad_input_gets_field_error_and_stores_nothing(client, field, value, error_field):
    data = form_data(**{field: value})
    if value == "":
        data.pop(field)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert field_errors(response, error_field), response.context["form"].errors
    assert User.objects.count() == 0
    html = response.content.decode()
    assert 'class="field-error"' in html
    assert "<script>alert(1)</script>" not in html  # escaped when echoed back
    assert "Secret2026a" not in html  # passwords are never echoed


@pytest.mark.django_db
def test_signup_wrong_type_values_never_500(client):
    response = client.post(
        URL,
        {
            "full_name": ["a", "b"],
            "birth_date": "not-a-date",
            "gender": "X",
            "id_type": "passport",
            "accept_terms": "maybe",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "birth_date" in errors and "gender" in errors
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_signup_keeps_typed_values_except_passwords(client):
    response = client.post(URL, form_data(mobile="123"))
    html = response.content.decode()
    assert 'value="李四"' in html and 'value="lisi2026"' in html
    assert 'value="Secret2026a"' not in html


@pytest.mark.django_db
def test_signup_duplicate_id_refused_without_revealing_username(client):
    existing = make_candidate(username="wangwu01")
    response = client.post(URL, form_data(id_number=existing.id_number))
    assert response.status_code == 200
    [message] = field_errors(response, "id_number")
    assert "已注册" in message and "找回密码" in message and "考点" in message
    assert "wangwu01" not in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_duplicate_username_differing_in_case_refused(client):
    make_candidate(username="LiSi2026")
    response = client.post(URL, form_data(username="lisi2026"))
    assert field_errors(response, "username") == ["该用户名已被使用，请换一个用户名。"]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_page_logged_in_redirects_home(client, candidate):
    client.force_login(candidate.user)
    assert client.get(URL).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/terms/", "/privacy/"])
def test_legal_pages_are_readable(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "个人信息" in response.content.decode()
