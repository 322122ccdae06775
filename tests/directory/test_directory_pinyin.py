import csv

import pytest

from yikao.directory.generator import DATA_DIR
from yikao.directory.pinyin import is_han, key_text, pinyin_full, pinyin_initials, syllables

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
