"""Search keys: pinyin (full and initials) and the normalised text that keys are built from.

pypinyin's phrase dictionaries get most place names right (重庆 chongqing, 长沙 changsha,
厦门 xiamen, 六安 luan, 蚌埠 bengbu); PHRASE_OVERRIDES is the reviewed table for the ones
it gets wrong. Every province, city and county name was read through once (2023 NBS list);
tests/directory/test_directory_pinyin.py asserts the tricky ones.

Keys are computed once, in bulk, when the directory is loaded (pypinyin costs tens of
microseconds per name): never per request, except for the query itself, which is never
converted to pinyin at all.
"""

import csv
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

# Place names (and a few words inside school names) that pypinyin reads wrongly.
# Reviewed against 《中华人民共和国行政区划简册》 readings.
PHRASE_OVERRIDES: dict[str, str] = {
    "单县": "shan xian",
    "六合": "lu he",
    "蚌山": "beng shan",
    "朝阳": "chao yang",
    "解州": "xie zhou",
    "繁峙": "fan shi",
    "洪洞": "hong tong",
    "南乐": "nan le",
    "民乐": "min le",
    "马尾": "ma wei",
    "浚县": "xun xian",
    "荥经": "ying jing",
    "佛冈": "fo gang",
    "佛坪": "fo ping",
    "乌什": "wu shi",
    "什邡": "shi fang",
    "克什克腾": "ke shi ke teng",
    "塔什库尔干": "ta shi ku er gan",
    "阿图什": "a tu shi",
    "锡林郭勒": "xi lin guo le",
    "霍林郭勒": "huo lin guo le",
    "阿勒泰": "a le tai",
    "克孜勒苏": "ke zi le su",
    "长丰": "chang feng",
    "长垣": "chang yuan",
    "长宁": "chang ning",
    "长岭": "chang ling",
    "长武": "chang wu",
    "长治": "chang zhi",
    "长泰": "chang tai",
    "长洲": "chang zhou",
    "长海": "chang hai",
    "长清": "chang qing",
    "长白": "chang bai",
    "长葛": "chang ge",
    "长阳": "chang yang",
    "长顺": "chang shun",
    "长子": "zhang zi",
    "都江堰": "du jiang yan",
    "首都": "shou du",
    "大都": "da du",
    "三都": "san du",
    "丰都": "feng du",
    "于都": "yu du",
    "信都": "xin du",
    "商都": "shang du",
    "花都": "hua du",
    "莲都": "lian du",
    "郫都": "pi du",
    "魏都": "wei du",
    "襄都": "xiang du",
    "都兰": "du lan",
    "都匀": "du yun",
    "都安": "du an",
    "都昌": "du chang",
    "乐亭": "lao ting",
    "乐清": "yue qing",
    "重庆": "chong qing",
    "六安": "lu an",
    "蚌埠": "beng bu",
    "厦门": "xia men",
    "长沙": "chang sha",
    "长春": "chang chun",
    "番禺": "pan yu",
    "涡阳": "guo yang",
    "亳州": "bo zhou",
    "莘县": "shen xian",
    "铅山": "yan shan",
    "大埔": "da bu",
    "东阿": "dong e",
    "蔚县": "yu xian",
    "尉氏": "wei shi",
    "台州": "tai zhou",
    "天台": "tian tai",
    "黄陂": "huang pi",
    "曲阜": "qu fu",
    "会稽": "kuai ji",
    "吴堡": "wu bu",
    "红寺堡": "hong si bu",
    "枞阳": "zong yang",
    "歙县": "she xian",
    "黟县": "yi xian",
    "筠连": "jun lian",
    "犍为": "qian wei",
    "沈丘": "shen qiu",
    "华县": "hua xian",
    "华阴": "hua yin",
    "华山": "hua shan",
    "济南": "ji nan",
    "济宁": "ji ning",
    "济源": "ji yuan",
}

# Characters whose place-name reading differs from everyday speech, applied only to
# region names (villages and towns too): 都 is dū in every Chinese place name.
_PLACE_CHARS = {"都": "du"}

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_KEEP = re.compile(f"[^0-9a-z{_HAN}]+")
_HAN_RE = re.compile(f"[{_HAN}]")

MAX_KEY_LEN = 24


def key_text(value: str) -> str:
    """The form both names and queries are compared in: half-width, lower case, only
    letters, digits and Chinese characters (brackets, dots, spaces and junk dropped)."""
    return _KEEP.sub("", unicodedata.normalize("NFKC", value).lower())


def is_han(value: str) -> bool:
    return bool(_HAN_RE.search(value))


def _apply_overrides(text: str, syllables: list[str]) -> list[str]:
    for phrase, reading in PHRASE_OVERRIDES.items():
        start = text.find(phrase)
        while start != -1:
            syllables[start : start + len(phrase)] = reading.split()
            start = text.find(phrase, start + len(phrase))
    return syllables


@lru_cache(maxsize=400_000)
def syllables(text: str, *, place: bool = False) -> tuple[str, ...]:
    """One lower-case pinyin syllable per character of key_text(text); letters and digits
    stand for themselves."""
    # Imported here, not at the top: its phrase dictionaries cost ~57 MB of every server
    # process's memory, and requests (query normalisation) never need them.
    from pypinyin import Style, lazy_pinyin

    text = key_text(text)
    if not text:
        return ()
    result = lazy_pinyin(text, style=Style.NORMAL, errors=list, v_to_u=False)
    # lazy_pinyin yields one item per character here (errors=list splits non-Han runs); a
    # rare character pypinyin does not know stays as itself and has no initial.
    if len(result) != len(text):  # pragma: no cover - defensive
        result = [lazy_pinyin(ch, errors=list)[0] if is_han(ch) else ch for ch in text]
    result = [s.lower() for s in result]
    if place:
        for index, ch in enumerate(text):
            if ch in _PLACE_CHARS:
                result[index] = _PLACE_CHARS[ch]
        # A leading 长 in a place name means "long" (cháng): 长岭村, 长寿镇 …
        if text[0] == "长" and not text.startswith("长子"):
            result[0] = "chang"
    return tuple(_apply_overrides(text, result))


# Readings of a place name beyond the standard one: every reading pypinyin knows for each
# character (its heteronyms), so that both the local reading and the one a stranger reads
# off the characters find the place. Bounded: one character differs from the standard
# reading per variant, and a name part has at most this many readings in all.
MAX_PART_READINGS = 4
# A name's last character is its administrative unit (市, 区, 县, 镇, 乡, 街道 …) when that
# many of the bundled province, city, county and town names end with it; a unit word is
# read one way (区 is never ōu in a place name) and is not varied.
UNIT_MIN_NAMES = 50
_DATA_DIR = Path(__file__).resolve().parent / "data"
_REGION_FILES = ("provinces.csv", "cities.csv", "areas.csv", "streets.csv")


@cache
def _unit_chars() -> frozenset[str]:
    counts: Counter[str] = Counter()
    for name in _REGION_FILES:
        with open(_DATA_DIR / name, encoding="utf-8", newline="") as fh:
            counts.update(row["name"][-1:] for row in csv.DictReader(fh))
    return frozenset(ch for ch, n in counts.items() if n >= UNIT_MIN_NAMES)


@lru_cache(maxsize=20_000)
def _char_readings(ch: str) -> tuple[str, ...]:
    """The toneless readings pypinyin knows for one character, most common first."""
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, errors=lambda _: [ch])[0]
    return tuple(dict.fromkeys(r.lower() for r in found if r))


@lru_cache(maxsize=400_000)
def readings(text: str, *, place: bool = False) -> tuple[tuple[str, ...], ...]:
    """The readings of a name part, the standard one (syllables()) first. A place part also
    gets the reading of each character on its own (what someone who does not know the
    place types: 六安 liu an) and then each other heteronym of one character (覃塘
    qin tang, which pypinyin reads tan tang), at most MAX_PART_READINGS in all."""
    standard = syllables(text, place=place)
    if not place:
        return (standard,)
    chars = key_text(text)
    if chars and chars[-1] in _unit_chars():
        chars = chars[:-1]
    found = dict.fromkeys([standard])
    # Everyday reading first: the one a stranger types.
    everyday = [
        (_char_readings(ch) or (s,))[0] if is_han(ch) else s
        for ch, s in zip(chars, standard, strict=False)
    ]
    found.setdefault((*everyday, *standard[len(chars) :]))
    for index, ch in enumerate(chars):
        if not is_han(ch):
            continue
        for reading in _char_readings(ch):
            if len(found) >= MAX_PART_READINGS:
                return tuple(found)
            if reading != standard[index]:
                found.setdefault((*standard[:index], reading, *standard[index + 1 :]))
    return tuple(found)


def initials_of(sylls: tuple[str, ...] | list[str]) -> str:
    return "".join(s[0] for s in sylls if s and s[0].isascii())


def full_of(sylls: tuple[str, ...] | list[str]) -> str:
    return "".join(s for s in sylls if s.isascii())


def pinyin_initials(text: str, *, place: bool = False) -> str:
    """'北京大学' → 'bjdx'."""
    return initials_of(syllables(text, place=place))


def pinyin_full(text: str, *, place: bool = False) -> str:
    """'北京大学' → 'beijingdaxue'."""
    return full_of(syllables(text, place=place))
