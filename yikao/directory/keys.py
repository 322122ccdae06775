"""The search keys of schools and institutions, and the bands that order them.

A key row is (band, key, area, record id). The band says how good a match through that
key is: band = stage × 100 + (100 − size_rank), where stage 0 holds keys that start at
the beginning of the name (the name itself, initials and full pinyin of the whole name,
the code) and stage 1 the keys that start inside it (every Chinese suffix, initials and
pinyin from each place-name boundary). Lower bands are searched first, so prefix
matches come before inner matches and, within a stage, larger institutions first.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yikao.directory.pinyin import MAX_KEY_LEN, full_of, initials_of, key_text, syllables

PREFIX, INNER = 0, 1


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


def bands(ranks: Sequence[int]) -> list[int]:
    return [band(stage, rank) for stage in (PREFIX, INNER) for rank in ranks]


def build_keys(
    parts: Iterable[tuple[str, bool]],
    *,
    code: str,
    extra_codes: Iterable[str] = (),
    all_positions: bool = False,
) -> tuple[set[tuple[int, str]], str, str]:
    """Keys of one record whose name is the concatenation of `parts` ((text, is_place)).

    Returns ({(stage, key)}, prefix_keys, inner_keys); the two strings are " "-led lists
    of the untruncated Latin keys (used by the county scan and to confirm long queries).
    Latin keys start at each part boundary but the last, or at every character with all_positions
    (schools: short list, "dx" finds every 大学).
    """
    texts: list[str] = []
    sylls: list[str] = []
    starts: list[int] = []
    for text, place in parts:
        t = key_text(text)
        if not t:
            continue
        starts.append(len(texts))
        texts.extend(t)
        sylls.extend(syllables(text, place=place))
    name = "".join(texts)
    keys: set[tuple[int, str]] = set()
    if not name:
        return keys, "", ""
    full_initials, full_pinyin = initials_of(sylls), full_of(sylls)
    for key in (name, full_initials, full_pinyin, code.lower(), *(c.lower() for c in extra_codes)):
        if key:
            keys.add((PREFIX, key[:MAX_KEY_LEN]))
    for i in range(1, len(name) - 1):
        keys.add((INNER, name[i : i + MAX_KEY_LEN]))
    # The last part is the kind (卫生室, 人民医院 …): a key starting there would match
    # half the directory and help no one.
    boundaries = range(1, len(name)) if all_positions else starts[1:-1]
    inner_latin: list[str] = []
    for b in boundaries:
        for key in (initials_of(sylls[b:]), full_of(sylls[b:])):
            if len(key) >= 2:
                inner_latin.append(key)
                keys.add((INNER, key[:MAX_KEY_LEN]))
    prefix = {key for stage, key in keys if stage == PREFIX}
    keys = {(stage, key) for stage, key in keys if stage == PREFIX or key not in prefix}
    return keys, f" {full_initials} {full_pinyin}", " " + " ".join(dict.fromkeys(inner_latin))
