"""Sign-up errors: only on fields the candidate sees, in words that say what to do, and
the cursor on the first of them (autofocus, no script needed)."""

import re

import pytest
from factories import resident_id

from yikao.accounts.forms import SignUpForm

URL = "/accounts/register/"
GENERIC = ["这个字段是必填项。", "This field is required.", "输入一个有效的值。"]


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


def autofocused(html: str) -> list[str]:
    """Names of the inputs that carry autofocus."""
    tags = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    return [re.search(r'name="([^"]+)"', t).group(1) for t in tags if " autofocus" in t]


@pytest.mark.django_db
def test_signup_empty_submit_with_resident_id_says_what_to_do_per_field(client):
    response = client.post(URL, {"id_type": "resident_id"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] == ["请填写姓名，与证件上的一致。"]
    assert errors["id_number"] == ["请填写证件号码。"]
    assert errors["username"] == ["请填写用户名：4至20位英文字母、数字或下划线，以字母开头。"]
    assert errors["password1"] == ["请设置密码：8至20位，须同时包含英文字母和数字。"]
    assert errors["password2"] == ["请再次输入密码，与上面的一致。"]
    assert errors["security_question"] == ["请选择或填写一个密码提示问题。"]
    assert errors["security_answer"] == ["请填写密码提示答案，4至30个字符。"]
    assert errors["mobile"] == ["请填写手机号码，11位数字。"]
    assert errors["accept_terms"] == ["请阅读并勾选同意《用户服务协议》和《隐私政策》。"]
    assert "gender" not in errors
    assert "birth_date" not in errors
    assert "email" not in errors  # optional


@pytest.mark.django_db
def test_signup_empty_submit_shows_no_generic_message(client):
    html = client.post(URL, {}).content.decode()
    for text in GENERIC:
        assert text not in html
    assert "请选择证件类型。" in html


@pytest.mark.django_db
def test_signup_resident_id_bad_number_errors_only_on_the_number(client):
    response = client.post(URL, form_data(id_number="110101199003071234"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["id_number"]
    assert len(errors["id_number"]) == 1
    html = response.content.decode()
    assert 'id="id_gender_group"' in html
    gender_group = html.split('id="id_gender_group"')[1].split('id="id_birth_date_group"')[0]
    assert "field-error" not in gender_group
    assert "has-error" not in html.split('id="id_gender_group"')[0].rsplit("<div", 1)[1]


@pytest.mark.django_db
def test_signup_resident_id_ignores_typed_gender_and_bad_birth_date(client):
    # Typed while another document type was chosen; a resident ID carries both.
    response = client.post(URL, form_data(gender="X", birth_date="not-a-date"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_signup_resident_id_empty_number_has_one_error(client):
    response = client.post(URL, form_data(id_number=""))
    assert response.context["form"].errors == {"id_number": ["请填写证件号码。"]}


@pytest.mark.django_db
def test_signup_passport_still_asks_for_gender_and_birth_date(client):
    data = form_data(id_type="passport", id_number="E12345678", full_name="John Smith")
    errors = client.post(URL, data).context["form"].errors
    assert errors["gender"] == ["请选择性别。"]
    assert errors["birth_date"] == ["请填写出生日期，格式YYYY-MM-DD。"]


@pytest.mark.django_db
def test_signup_refused_submit_autofocuses_the_first_invalid_field(client):
    html = client.post(URL, {"id_type": "resident_id"}).content.decode()
    assert autofocused(html) == ["full_name"]
    html = client.post(URL, form_data(id_number="110101199003071234")).content.decode()
    assert autofocused(html) == ["id_number"]
    html = client.post(URL, form_data(password2="Other2026b")).content.decode()
    assert autofocused(html) == ["password2"]


@pytest.mark.django_db
def test_signup_first_visit_has_no_autofocus(client):
    assert autofocused(client.get(URL).content.decode()) == []


@pytest.mark.django_db
def test_signup_error_for_a_taken_id_number_gets_focus(client):
    assert client.post(URL, form_data()).status_code == 302
    client.logout()
    response = client.post(URL, form_data(username="wangwu2026", mobile="13912345679"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    first = next(iter(errors))
    assert autofocused(response.content.decode()) == [first]


def test_signup_form_has_a_specific_required_message_for_every_required_field():
    form = SignUpForm(data={})
    assert not form.is_valid()
    for name, field in form.fields.items():
        if field.required:
            message = str(field.error_messages["required"])
            assert message not in GENERIC, name
            assert message.startswith("请"), name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "张" * 61),
        ("id_number", "1" * 41),
        ("username", "a" * 21),
        ("security_question", "问"),
        ("security_question", "问" * 51),
        ("security_answer", "答" * 31),
        ("mobile", "1" * 21),
        ("email", "a" * 250 + "@example.com"),
        ("id_type", "nonsense"),
    ],
)
def test_signup_too_long_or_wrong_value_says_what_to_do(client, field, value):
    response = client.post(URL, form_data(**{field: value}))
    assert response.status_code == 200
    messages = response.context["form"].errors[field]
    assert messages
    for message in messages:
        assert message.startswith("请") or "最多" in message or "至少" in message, message
        assert "Ensure" not in message and "确保" not in message
