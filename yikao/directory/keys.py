"""The search keys of schools and institutions, and the bands that order them.

A key row is (band, key, area, record id). The band says how good a match through that
key is: band = stage × 100 + (100 − size_rank), where stage 0 holds keys that start at
the beginning of the name (the name itself, initials and full pinyin of the whole name,
the code) and stage 1 the keys that start inside it (every Chinese suffix, initials and
pinyin from each place-name boundary). Lower bands are searched first, so prefix
matches come before inner matches and, within a stage, larger institutions first.
"""

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yikao.directory.pinyin import MAX_KEY_LEN, full_of, initials_of, key_text, readings

PREFIX, INNER, OTHER_READING = 0, 1, 2


@dataclass(frozen=True)
class Kind:
    name: str
    code: str  # two digits, part of the generated institution code
    size_rank: int  # larger institutions have a higher rank and are listed first


INSTITUTION_KINDS: dict[str, Kind] = {
    k.name: k
    for k in [
        Kind("市级综合医院", "01", 90),
        Kind("市级中医医院", "02", 85),
        Kind("市级妇幼保健院", "03", 80),
        Kind("县级人民医院", "11", 70),
        Kind("县级中医医院", "12", 65),
        Kind("县级妇幼保健院", "13", 60),
        Kind("民营医院", "14", 55),
        Kind("社区卫生服务中心", "21", 50),
        Kind("乡镇卫生院", "22", 45),
        Kind("门诊部", "31", 30),
        Kind("诊所", "32", 25),
        Kind("社区卫生服务站", "41", 20),
        Kind("村卫生室", "42", 10),
        Kind("其他", "99", 0),
    ]
}
INSTITUTION_RANKS: list[int] = sorted(
    {k.size_rank for k in INSTITUTION_KINDS.values()}, reverse=True
)

# Schools: undergraduate first, then vocational, adult, the rest (hand-entered last).
SCHOOL_RANKS = [90, 80, 70, 10, 0]


def school_rank(*, kind: str, level: str, verified: bool) -> int:
    if not verified:
        return 0
    if kind == "普通高等学校":
        return 90 if level == "本科" else 80
    if kind == "成人高等学校":
        return 70
    return 10


def band(stage: int, size_rank: int) -> int:
    return stage * 100 + (100 - size_rank)


def bands(ranks: Sequence[int], stages: Sequence[int] = (PREFIX, INNER)) -> list[int]:
    return [band(stage, rank) for stage in stages for rank in ranks]


# Word starts inside the non-place parts of a name (第一|人民|医院, 城关镇|卫生院): pinyin
# keys start there too, as the Chinese suffix keys start at every character. Words are
# jieba's dictionary words (2–4 characters, seen at least this often in its corpus), read
# once at load time; a name is cut into the fewest of them.
WORD_MIN_FREQ = 5


@functools.cache
def _words() -> frozenset[str]:
    import jieba  # only where keys are built: the dictionary is ~120 k words

    words = set()
    with jieba.get_dict_file() as fh:
        for line in fh:
            word, freq = line.decode("utf-8").split()[:2]
            if 2 <= len(word) <= 4 and int(freq) >= WORD_MIN_FREQ:
                words.add(word)
    return frozenset(words)


@functools.lru_cache(maxsize=100_000)
def word_starts(text: str) -> tuple[int, ...]:
    """Offsets where a word starts in key_text(text): the cut into the fewest dictionary
    words (single characters otherwise), a four-character word cut again when it is two
    words (社区卫生 → 社区|卫生, 人民医院 → 人民|医院)."""
    text = key_text(text)
    words = _words()
    # fewest[i] = (words needed to cover text[i:], length of the first of them)
    fewest: list[tuple[int, int]] = [(0, 0)] * (len(text) + 1)
    for i in range(len(text) - 1, -1, -1):
        best = (fewest[i + 1][0] + 1, 1)
        for size in (2, 3, 4):
            if i + size <= len(text) and text[i : i + size] in words:
                count = fewest[i + size][0] + 1
                if count < best[0] or (count == best[0] and size > best[1]):
                    best = (count, size)
        fewest[i] = best
    starts, i = [], 0
    while i < len(text):
        starts.append(i)
        size = fewest[i][1]
        if size == 4 and text[i : i + 2] in words and text[i + 2 : i + 4] in words:
            starts.append(i + 2)
        i += size
    return tuple(starts)


# The readings of a name are its standard reading and, for each place part, that part read
# another way (readings()): at most this many per name, earlier (larger) places first.
MAX_NAME_READINGS = 8


def _name_readings(parts: list[tuple[str, bool]]) -> list[tuple[list[str], int]]:
    """(syllables, start): the name's readings, standard first (start 0); another reading
    is the standard one with one place part read another way, and `start` is where that
    part starts: its keys are the pinyin from there (what one types who reads the place
    that way), not from every earlier boundary again."""
    per_part = [readings(text, place=place) for text, place in parts]
    standard = [s for part in per_part for s in part[0]]
    found = [(standard, 0)]
    offset = 0
    for part in per_part:
        end = offset + len(part[0])
        for other in part[1:]:
            if len(found) >= MAX_NAME_READINGS:
                return found
            found.append(([*standard[:offset], *other, *standard[end:]], offset))
        offset = end
    return found


def build_keys(
    parts: Iterable[tuple[str, bool]],
    *,
    code: str,
    extra_codes: Iterable[str] = (),
    all_positions: bool = False,
) -> tuple[set[tuple[int, str]], str, str]:
    """Keys of one record whose name is the concatenation of `parts` ((text, is_place)).

    Returns ({(stage, key)}, prefix_keys, inner_keys); the two strings are " "-led lists
    of the untruncated Latin keys, initials and full pinyin in pairs (used by the county
    scan and to confirm long queries): prefix_keys of the standard reading of the whole
    name, inner_keys from each word start and of the other readings.
    Latin keys start at each part boundary and each word start inside a part that is not
    a place (place names are one word), or at every character with all_positions
    (schools: short list, "dx" finds every 大学). Place parts are also read with their
    other readings (heteronyms): those keys are OTHER_READING, after the standard
    reading's.
    """
    texts: list[str] = []
    starts: set[int] = set()
    kept: list[tuple[str, bool]] = []
    for text, place in parts:
        t = key_text(text)
        if not t:
            continue
        starts.add(len(texts))
        if not place:
            starts.update(len(texts) + s for s in word_starts(text))
        texts.extend(t)
        kept.append((text, place))
    name = "".join(texts)
    keys: set[tuple[int, str]] = set()
    if not name:
        return keys, "", ""
    all_readings = _name_readings(kept)
    standard = all_readings[0][0]
    full_initials, full_pinyin = initials_of(standard), full_of(standard)
    for key in (name, full_initials, full_pinyin, code.lower(), *(c.lower() for c in extra_codes)):
        if key:
            keys.add((PREFIX, key[:MAX_KEY_LEN]))
    for i in range(1, len(name) - 1):
        keys.add((INNER, name[i : i + MAX_KEY_LEN]))
    # A word start leaves at least two characters: "s"/"shi" from the last 室 of 卫生室
    # would match half the directory and help no one.
    boundaries = (
        list(range(1, len(name)))
        if all_positions
        else sorted(b for b in starts if 0 < b < len(name) - 1)
    )
    inner_latin: dict[tuple[str, str], None] = {}
    for index, (sylls, start) in enumerate(all_readings):
        stage = OTHER_READING if index else INNER
        for b in [start] if index else boundaries:
            pair = (initials_of(sylls[b:]), full_of(sylls[b:]))
            if len(pair[1]) >= 2:
                inner_latin.setdefault(pair)
                keys.update((stage, key[:MAX_KEY_LEN]) for key in pair if len(key) >= 2)
    # A key is kept in its best stage only.
    best: dict[str, int] = {}
    for stage, key in sorted(keys):
        best.setdefault(key, stage)
    keys = {(stage, key) for key, stage in best.items()}
    # In pairs, initials then full pinyin (the benchmark draws its queries from them).
    inner = " ".join(key for pair in inner_latin for key in pair)
    return keys, f" {full_initials} {full_pinyin}", f" {inner}" if inner else " "
