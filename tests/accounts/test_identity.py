import datetime

import pytest
from factories import resident_id

from yikao.accounts.identity import (
    Gender,
    IdentityError,
    IdType,
    normalise_mobile,
    normalise_name,
    normalise_security_answer,
    normalise_username,
    parse_id_number,
)


def test_resident_id_valid_derives_gender_and_birth_date():
    facts = parse_id_number(IdType.RESIDENT_ID, "11010519491231002X")
    assert facts.number == "11010519491231002X"
    assert facts.gender == Gender.FEMALE
    assert facts.birth_date == datetime.date(1949, 12, 31)


def test_resident_id_lowercase_x_and_full_width_are_normalised():
    assert parse_id_number("resident_id", "１１０１０５１９４９１２３１００２ｘ").number == (
        "11010519491231002X"
    )


def test_resident_id_male_from_odd_seventeenth_digit():
    number = resident_id(birth="19900101", male=True)
    assert parse_id_number(IdType.RESIDENT_ID, number).gender == Gender.MALE


@pytest.mark.parametrize(
    ("number", "fragment"),
    [
        ("110105194912310021", "校验位"),  # wrong check digit
        ("11010519491231002", "18位"),  # 17 characters
        ("110105491231002", "18位"),  # old 15-digit number
        (resident_id(birth="19490230"), "出生日期"),  # 30 February, valid check digit
        ("1101051949123100AX", "17位数字"),
    ],
)
def test_resident_id_invalid(number, fragment):
    with pytest.raises(IdentityError, match=fragment):
        parse_id_number(IdType.RESIDENT_ID, number)


def test_resident_id_unknown_region_refused():
    number = resident_id(region="990101", birth="19900101")
    with pytest.raises(IdentityError, match="行政区划"):
        parse_id_number(IdType.RESIDENT_ID, number)


def test_resident_id_future_birth_date_refused():
    number = resident_id(birth="20991231")
    with pytest.raises(IdentityError):
        parse_id_number(IdType.RESIDENT_ID, number)


def test_residence_permit_needs_hmt_prefix():
    valid = resident_id(region="810000", birth="19950101")
    assert parse_id_number(IdType.HMT_RESIDENCE_PERMIT, valid).birth_date == datetime.date(
        1995, 1, 1
    )
    with pytest.raises(IdentityError, match="810000"):
        parse_id_number(IdType.HMT_RESIDENCE_PERMIT, resident_id(birth="19950101"))


@pytest.mark.parametrize(
    ("id_type", "raw", "normalised"),
    [
        (IdType.TAIWAN_ID, "a123456789", "A123456789"),
        (IdType.HONG_KONG_ID, "A123456(3)", "A1234563"),
        (IdType.MACAU_ID, "1234567(8)", "12345678"),
        (IdType.HMT_TRAVEL_PERMIT, "H12345678", "H12345678"),
        (IdType.HMT_TRAVEL_PERMIT, "12345678", "12345678"),
        (IdType.PASSPORT, "e12345678", "E12345678"),
    ],
)
def test_other_id_types_valid(id_type, raw, normalised):
    facts = parse_id_number(id_type, raw)
    assert facts.number == normalised
    assert facts.gender is None and facts.birth_date is None


@pytest.mark.parametrize(
    ("id_type", "raw"),
    [
        (IdType.TAIWAN_ID, "A12345678"),
        (IdType.TAIWAN_ID, "1123456789"),
        (IdType.HONG_KONG_ID, "A123456(4)"),  # wrong check character
        (IdType.HONG_KONG_ID, "1234567"),
        (IdType.MACAU_ID, "2234567(8)"),
        (IdType.HMT_TRAVEL_PERMIT, "X1234567"),
        (IdType.PASSPORT, "E12"),
        (IdType.PASSPORT, "E1234<script>"),
    ],
)
def test_other_id_types_invalid(id_type, raw):
    with pytest.raises(IdentityError):
        parse_id_number(id_type, raw)


def test_empty_and_overlong_id_numbers():
    with pytest.raises(IdentityError, match="请输入"):
        parse_id_number(IdType.RESIDENT_ID, "")
    with pytest.raises(IdentityError, match="过长"):
        parse_id_number(IdType.PASSPORT, "A" * 10_000)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        (" 张 三 ", "张三"),
        ("买买提.艾力", "买买提·艾力"),
        ("买买提•艾力", "买买提·艾力"),
        ("买买提．艾力", "买买提·艾力"),
        ("𠮷野家", "𠮷野家"),
        ("䶮", None),  # one character: too short for a resident ID holder
    ],
)
def test_chinese_names(raw, expected):
    if expected is None:
        with pytest.raises(IdentityError):
            normalise_name(raw, id_type=IdType.RESIDENT_ID)
    else:
        assert normalise_name(raw, id_type=IdType.RESIDENT_ID) == expected


@pytest.mark.parametrize(
    "raw", ["Zhang San", "张3", "张三<script>", "张三'; DROP TABLE", "·张三", "张" * 29]
)
def test_chinese_names_invalid(raw):
    with pytest.raises(IdentityError):
        normalise_name(raw, id_type=IdType.RESIDENT_ID)


def test_foreign_names_on_passport():
    assert normalise_name("john  o'neil-smith", id_type=IdType.PASSPORT) == "JOHN O'NEIL-SMITH"
    assert normalise_name("ＪＯＨＮ ＳＭＩＴＨ", id_type=IdType.PASSPORT) == "JOHN SMITH"
    with pytest.raises(IdentityError):
        normalise_name("John 3rd", id_type=IdType.PASSPORT)
    with pytest.raises(IdentityError):
        normalise_name("A" * 61, id_type=IdType.PASSPORT)


@pytest.mark.parametrize("raw", ["abcd", "Zhang_2026", "a" * 20])
def test_usernames_valid(raw):
    assert normalise_username(raw) == raw


@pytest.mark.parametrize(
    "raw", ["abc", "1abcd", "a" * 21, "张三丰丰", "ab cd", "110105194912310021", ""]
)
def test_usernames_invalid(raw):
    with pytest.raises(IdentityError):
        normalise_username(raw)


def test_mobile_numbers():
    assert normalise_mobile("138 1234 5678") == "13812345678"
    assert normalise_mobile("+86 138-1234-5678") == "13812345678"
    assert normalise_mobile("１３８１２３４５６７８") == "13812345678"
    assert normalise_mobile("+85291234567") == "+85291234567"
    for bad in ["12812345678", "1381234567", "abc", ""]:
        with pytest.raises(IdentityError):
            normalise_mobile(bad)


def test_security_answer_length_and_case():
    assert normalise_security_answer(" ZhangSan ") == "zhangsan"
    assert normalise_security_answer("ＡＢＣＤ") == "abcd"
    with pytest.raises(IdentityError):
        normalise_security_answer("abc")
    with pytest.raises(IdentityError):
        normalise_security_answer("a" * 31)
