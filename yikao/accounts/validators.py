import re

from django.core.exceptions import ValidationError


class LettersAndDigitsPasswordValidator:
    """8–20 characters with at least one letter and one digit (the NMEC rule)."""

    def validate(self, password, user=None):
        if not 8 <= len(password) <= 20:
            raise ValidationError("密码长度为8至20位。", code="password_length")
        if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password):
            raise ValidationError("密码须同时包含英文字母和数字。", code="password_letters_digits")
        if not password.isascii() or not password.isprintable() or " " in password:
            raise ValidationError(
                "密码只能使用英文字母、数字和常用英文符号，不能含空格或中文。",
                code="password_charset",
            )

    def get_help_text(self):
        return "8至20位，须同时包含英文字母和数字，区分大小写。"
