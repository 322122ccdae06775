import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize("password", ["xkcdhorse7", "A1" * 10, "Secret2026a", "pass_word9!"])
def test_passwords_valid(password):
    validate_password(password)


@pytest.mark.parametrize(
    "password",
    ["abc123", "a1" * 11, "abcdefgh", "12345678", "密码abcd1234", "abc 12345", "password1"],
)
def test_passwords_invalid(password):
    with pytest.raises(ValidationError):
        validate_password(password)
