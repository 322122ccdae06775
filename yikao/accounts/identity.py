"""Rules for identity documents, names and security answers.

Pure functions: each takes what a person typed, returns the normalised value, or raises
IdentityError with a Chinese sentence that says what to fix. Formats follow the
NMEC 2022 填写说明 (docs/domain-research.md §3.1).
"""

import datetime
import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength

from yikao.core.text import normalise_name_dots, to_half_width


class IdentityError(ValueError):
    """A value a person typed that breaks a rule; the message is for them."""


class IdType(StrEnum):
    RESIDENT_ID = "resident_id"
    HMT_RESIDENCE_PERMIT = "hmt_residence_permit"
    HMT_TRAVEL_PERMIT = "hmt_travel_permit"
    HONG_KONG_ID = "hong_kong_id"
    MACAU_ID = "macau_id"
    TAIWAN_ID = "taiwan_id"
    PASSPORT = "passport"

    @property
    def label(self) -> str:
        return ID_TYPE_LABELS[self]

    @property
    def identity_kind(self) -> str:
        """mainland, hk_mo_tw or foreign: what the eligibility rules distinguish."""
        if self is IdType.RESIDENT_ID:
            return "mainland"
        if self is IdType.PASSPORT:
            return "foreign"
        return "hk_mo_tw"


ID_TYPE_LABELS = {
    IdType.RESIDENT_ID: "居民身份证",
    IdType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    IdType.HMT_TRAVEL_PERMIT: "台港澳居民往来大陆通行证",
    IdType.HONG_KONG_ID: "香港身份证",
    IdType.MACAU_ID: "澳门身份证",
    IdType.TAIWAN_ID: "台湾身份证",
    IdType.PASSPORT: "外籍护照",
}


class Gender(StrEnum):
    MALE = "M"
    FEMALE = "F"


GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}


@dataclass(frozen=True)
class IdentityFacts:
    """What a document number tells by itself (only a resident ID tells anything)."""

    number: str
    gender: Gender | None = None
    birth_date: datetime.date | None = None


def _compact(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", to_half_width(value)).upper()


def _parse_resident_id(number: str, *, permit: bool) -> IdentityFacts:
    label = "港澳台居民居住证号码" if permit else "身份证号码"
    if len(number) != 18:
        raise IdentityError(f"{label}应为18位，请核对后重新输入（不接受15位旧号码）。")
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise IdentityError(f"{label}由17位数字和1位数字或字母X组成，请核对。")
    if permit and number[:6] not in {"810000", "820000", "830000"}:
        raise IdentityError("港澳台居民居住证号码应以810000、820000或830000开头，请核对。")
    if ric.calc_check_digit(number) != number[-1]:
        raise IdentityError(f"{label}的校验位不正确，请逐位核对证件上的号码。")
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, InvalidFormat, InvalidLength):
        raise IdentityError(f"{label}中的出生日期不存在，请核对。") from None
    if not permit:
        try:
            ric.get_birth_place(number)
        except InvalidComponent:
            raise IdentityError("身份证号码的前6位不是有效的行政区划代码，请核对。") from None
    if not is_plausible_birth_date(birth):
        raise IdentityError(f"{label}中的出生日期不合理，请核对。")
    gender = Gender.MALE if int(number[16]) % 2 == 1 else Gender.FEMALE
    return IdentityFacts(number=number, gender=gender, birth_date=birth)


_PATTERNS: dict[IdType, tuple[str, str]] = {
    # Taiwan: one letter, 1 or 2 (or 8/9 for newer resident certificates), 8 digits.
    IdType.TAIWAN_ID: (r"[A-Z][1289]\d{8}", "台湾身份证号码为1位字母加9位数字，例如A123456789。"),
    # Hong Kong: 1-2 letters, 6 digits and a check character (parentheses dropped).
    IdType.HONG_KONG_ID: (
        r"[A-Z]{1,2}\d{6}[\dA]",
        "香港身份证号码为1至2位字母、6位数字和1位校验码，例如A123456(7)，括号可不输入。",
    ),
    # Macau: 8 characters, the first 1, 5 or 7, the check digit in parentheses.
    IdType.MACAU_ID: (r"[157]\d{7}", "澳门身份证号码为8位数字，例如1234567(8)，括号可不输入。"),
    # 往来大陆通行证: 台胞证 8 digits (or 10 with the renewal count), 回乡证 H/M + 8 or 10 digits.
    IdType.HMT_TRAVEL_PERMIT: (
        r"(?:[HM]\d{8}|[HM]\d{10}|\d{8}|\d{10})",
        "往来大陆通行证号码为8位数字，或字母H、M加8位数字，请按证件填写。",
    ),
    IdType.PASSPORT: (r"[A-Z0-9]{6,20}", "护照号码为6至20位字母或数字，请按护照填写。"),
}


def is_plausible_birth_date(birth: datetime.date) -> bool:
    """Not in the future and not before 1900: the same rule for a date read from a resident
    ID and for one typed beside another document."""
    return datetime.date(1900, 1, 1) <= birth <= datetime.date.today()


def _hong_kong_check(number: str) -> bool:
    body, check = number[:-1], number[-1]
    letters = body[:-6].rjust(2, " ")
    values = [36 if ch == " " else ord(ch) - 55 for ch in letters] + [int(d) for d in body[-6:]]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    return check == ("A" if expected == 10 else str(expected))


def parse_id_number(id_type: IdType | str, raw: str) -> IdentityFacts:
    """Validate a document number of the given type; return it normalised with what it tells."""
    id_type = IdType(id_type)
    number = _compact(raw or "")
    if not number:
        raise IdentityError("请输入证件号码。")
    if len(number) > 30:
        raise IdentityError("证件号码过长，请核对后重新输入。")
    if id_type is IdType.RESIDENT_ID:
        return _parse_resident_id(number, permit=False)
    if id_type is IdType.HMT_RESIDENCE_PERMIT:
        return _parse_resident_id(number, permit=True)
    pattern, message = _PATTERNS[id_type]
    if not re.fullmatch(pattern, number):
        raise IdentityError(message)
    if id_type is IdType.HONG_KONG_ID and not _hong_kong_check(number):
        raise IdentityError("香港身份证号码的校验码（括号内的字符）不正确，请核对。")
    return IdentityFacts(number=number)


# CJK Unified Ideographs with Extension A and the supplementary-plane extensions B–H, so
# that rare characters (𠮷, 䶮) are typed as they are instead of the old "?" convention.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CHINESE_NAME = re.compile(rf"[{_HAN}]+(?:·[{_HAN}]+)*")
_LATIN_NAME = re.compile(r"[A-Z]+(?:[ '\-.][A-Z]+)*\.?")
MAX_CHINESE_NAME = 28
MAX_LATIN_NAME = 60


def normalise_name(raw: str, *, id_type: IdType | str) -> str:
    """Chinese names: characters and a middle dot, at most 28. Passports also allow Latin."""
    id_type = IdType(id_type)
    value = normalise_name_dots(raw or "")
    value = normalise_name_dots(to_half_width(value)).strip()
    if not value:
        raise IdentityError("请输入姓名。")
    chinese = value.replace(".", "·").replace(" ", "")
    if _CHINESE_NAME.fullmatch(chinese):
        if len(chinese) > MAX_CHINESE_NAME:
            raise IdentityError(f"姓名最多{MAX_CHINESE_NAME}个汉字，请核对。")
        if len(chinese) < 2 and id_type is IdType.RESIDENT_ID:
            raise IdentityError("姓名至少2个汉字，请按身份证填写。")
        return chinese
    if id_type is IdType.PASSPORT:
        latin = " ".join(value.upper().split())
        if _LATIN_NAME.fullmatch(latin):
            if len(latin) > MAX_LATIN_NAME:
                raise IdentityError(f"外文姓名最多{MAX_LATIN_NAME}个字符，请核对。")
            return latin
        raise IdentityError("外文姓名请按护照填写：英文字母，单词之间用空格，可含连字符和撇号。")
    raise IdentityError(
        "姓名只能填写汉字，少数民族姓名中间可用“·”分隔，不能含字母、数字、空格或其他符号。"
    )


USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,19}")


def normalise_username(raw: str) -> str:
    """4–20 letters, digits or underscores, starting with a letter (so never an ID number)."""
    value = to_half_width(raw or "").strip()
    if not value:
        raise IdentityError("请输入用户名。")
    if not USERNAME_PATTERN.fullmatch(value):
        raise IdentityError("用户名为4至20位英文字母、数字或下划线，且以字母开头。")
    return value


MOBILE_PATTERN = re.compile(r"1[3-9]\d{9}")
INTERNATIONAL_PATTERN = re.compile(r"\+\d{6,15}")


def normalise_mobile(raw: str) -> str:
    """A mainland mobile (11 digits) or an international number written +<country><number>."""
    value = re.sub(r"[\s\-]", "", to_half_width(raw or ""))
    if value.startswith("+86"):
        value = value[3:]
    if not value:
        raise IdentityError("请输入手机号码。")
    if MOBILE_PATTERN.fullmatch(value) or INTERNATIONAL_PATTERN.fullmatch(value):
        return value
    raise IdentityError("手机号码应为11位数字（如13812345678）；境外号码请以+和国家区号开头。")


def normalise_security_answer(raw: str) -> str:
    """The answer compared case- and width-insensitively; 4–30 characters."""
    value = " ".join(to_half_width(raw or "").split()).casefold()
    if len(value) < 4 or len(value) > 30:
        raise IdentityError("密码提示答案为4至30个字符。")
    return value
