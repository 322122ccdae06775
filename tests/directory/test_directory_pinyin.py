import csv

import pytest

from yikao.directory.generator import DATA_DIR
from yikao.directory.pinyin import (
    MAX_PART_READINGS,
    PHRASE_OVERRIDES,
    is_han,
    key_text,
    pinyin_full,
    pinyin_initials,
    readings,
    syllables,
)

TRICKY = {
    "重庆市": "cqs",
    "长沙市": "css",
    "厦门市": "xms",
    "六安市": "las",
    "蚌埠市": "bbs",
    "长治市": "czs",
    "长春市": "ccs",
    "长垣市": "cys",
    "长宁区": "cnq",
    "长子县": "zzx",
    "朝阳区": "cyq",
    "朝阳市": "cys",
    "单县": "sx",
    "六合区": "lhq",
    "蚌山区": "bsq",
    "洪洞县": "htx",
    "繁峙县": "fsx",
    "南乐县": "nlx",
    "马尾区": "mwq",
    "浚县": "xx",
    "乐亭县": "ltx",
    "乐清市": "yqs",
    "番禺区": "pyq",
    "铅山县": "ysx",
    "大埔县": "dbx",
    "东阿县": "dex",
    "蔚县": "yx",
    "莘县": "sx",
    "涡阳县": "gyx",
    "亳州市": "bzs",
    "丰都县": "fdx",
    "于都县": "ydx",
    "成都市": "cds",
    "都匀市": "dys",
    "什邡市": "sfs",
    "锡林郭勒盟": "xlglm",
    "阿勒泰地区": "altdq",
    "黄陂区": "hpq",
    "佛山市": "fss",
    "吴堡县": "wbx",
}

FULL = {
    "重庆市": "chongqingshi",
    "六安市": "luanshi",
    "蚌埠市": "bengbushi",
    "长治市": "changzhishi",
    "单县": "shanxian",
    "洪洞县": "hongtongxian",
    "浚县": "xunxian",
    "乐亭县": "laotingxian",
    "成都市": "chengdushi",
    "北京大学": "beijingdaxue",
}


@pytest.mark.parametrize(("name", "initials"), sorted(TRICKY.items()))
def test_pinyin_initials_of_polyphonic_place_names(name, initials):
    assert pinyin_initials(name, place=True) == initials


@pytest.mark.parametrize(("name", "full"), sorted(FULL.items()))
def test_pinyin_full_of_polyphonic_names(name, full):
    assert pinyin_full(name, place=True) == full


def test_pinyin_of_school_names():
    assert pinyin_initials("北京大学") == "bjdx"
    assert pinyin_initials("重庆医科大学") == "cqykdx"
    assert pinyin_initials("长治医学院") == "czyxy"
    assert pinyin_initials("首都医科大学") == "sdykdx"


def _region_names():
    names = []
    for file in ("provinces.csv", "cities.csv", "areas.csv"):
        with open(DATA_DIR / file, encoding="utf-8") as fh:
            names += [row["name"] for row in csv.DictReader(fh)]
    return names


def test_pinyin_of_every_province_city_and_county_name_is_complete():
    names = _region_names()
    assert len(names) == 31 + 342 + 2978
    for name in names:
        text = key_text(name)
        sylls = syllables(name, place=True)
        assert len(sylls) == len(text), name
        assert all(s.isascii() and s.isalpha() for s in sylls), name
        assert len(pinyin_initials(name, place=True)) == sum(1 for ch in text if is_han(ch))


def test_key_text_normalises_width_case_and_junk():
    assert key_text("ＢＪＤＸ") == "bjdx"
    assert key_text(" 北京 大学（医学部） ") == "北京大学医学部"
    assert key_text("'; drop table x;--") == "droptablex"
    assert key_text("😀") == ""


# Counties and cities read a special way, with the reading used there (《中华人民共和国
# 行政区划简册》, the 现代汉语词典's place-name entries) and the one a stranger reads off the
# characters. Not chosen to fit the code: the first seven are not in PHRASE_OVERRIDES.
LOCAL_AND_STRANGER = {
    "覃塘区": ("qin tang qu", "tan tang qu"),
    "召陵区": ("shao ling qu", "zhao ling qu"),
    "漯河市": ("luo he shi", "ta he shi"),
    "尉犁县": ("yu li xian", "wei li xian"),
    "柞水县": ("zha shui xian", "zuo shui xian"),
    "泌阳县": ("bi yang xian", "mi yang xian"),
    "莎车县": ("sha che xian", "suo che xian"),
    "六安市": ("lu an shi", "liu an shi"),
    "蚌埠市": ("beng bu shi", "bang bu shi"),
    "洪洞县": ("hong tong xian", "hong dong xian"),
    "铅山县": ("yan shan xian", "qian shan xian"),
    "乐亭县": ("lao ting xian", "le ting xian"),
    "莘县": ("shen xian", "xin xian"),
    "番禺区": ("pan yu qu", "fan yu qu"),
    "涡阳县": ("guo yang xian", "wo yang xian"),
    "蔚县": ("yu xian", "wei xian"),
    "单县": ("shan xian", "dan xian"),
    "长子县": ("zhang zi xian", "chang zi xian"),
    "筠连县": ("jun lian xian", "yun lian xian"),
    "东阿县": ("dong e xian", "dong a xian"),
    "浚县": ("xun xian", "jun xian"),
    "枞阳县": ("zong yang xian", "cong yang xian"),
    "歙县": ("she xian", "xi xian"),
    "犍为县": ("qian wei xian", "jian wei xian"),
}


def test_special_readings_are_in_the_region_data():
    names = set(_region_names())
    assert set(LOCAL_AND_STRANGER) <= names


@pytest.mark.parametrize(("name", "pair"), sorted(LOCAL_AND_STRANGER.items()))
def test_a_place_is_read_both_the_local_way_and_the_strangers_way(name, pair):
    local, stranger = (tuple(r.split()) for r in pair)
    found = readings(name, place=True)
    assert local in found and stranger in found
    if any(phrase in name for phrase in PHRASE_OVERRIDES):
        assert found[0] == local  # the reviewed reading is the standard one


def test_every_place_name_gets_its_strangers_reading_within_the_bound():
    # Every county and town name with a character that has several readings: the reading
    # of each character on its own is there, the standard one first, never more than the
    # bound, and the unit (区 qū, never ōu; 市 shì, never fú) is read one way only.
    from pypinyin import Style, pinyin

    names = _region_names()
    with open(DATA_DIR / "streets.csv", encoding="utf-8") as fh:
        names += [row["name"] for row in csv.DictReader(fh)]
    several = 0
    for name in names:
        found = readings(name, place=True)
        assert found[0] == syllables(name, place=True)
        assert 1 <= len(found) <= MAX_PART_READINGS, name
        assert len({r[-1] for r in found}) == 1 or name[-1] not in "市区县镇乡", name
        text = key_text(name)
        chars = [ch for ch in text if is_han(ch)]
        if len(chars) == len(text) and any(
            len({r for r in pinyin(ch, style=Style.NORMAL, heteronym=True)[0]}) > 1
            for ch in chars[:-1]
        ):
            several += 1
            everyday = tuple(pinyin(ch, style=Style.NORMAL)[0][0] for ch in text[:-1])
            assert any(r[:-1] == everyday for r in found), name
    assert several > 5000  # the check ran over the many names it is about
