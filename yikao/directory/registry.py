"""Loading a real institution registry (`manage.py load_institutions FILE`).

Rows read by registry_files.py are validated first, all of them (so a duplicate code
is found wherever it is), then the good ones are loaded in batches, each in its own
transaction: a crash leaves whole batches behind and a rerun completes the rest. A row
whose code is already in the directory is compared with it: the same → unchanged; a
different name, region or kind → the institution is updated and its keys rebuilt.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection, transaction
from django.utils import timezone

from yikao.core.text import normalise_input
from yikao.directory.keys import INSTITUTION_KINDS, band, build_keys
from yikao.directory.loader import KEY_COLS, write_rows
from yikao.directory.models import Institution, Region
from yikao.directory.pinyin import key_text
from yikao.directory.registry_files import RawRow
from yikao.directory.services import MANUAL_KINDS

# 统一社会信用代码 (18), 医疗机构登记号 (22), 组织机构代码 (9, without its hyphen) …:
# letters and digits only, because search queries keep only letters and digits.
CODE_RE = re.compile(r"[0-9A-Z]{6,24}")
NAME_MAX = 100  # as for hand-entered units (services._clean_name)
BATCH = 2000

# The registry's 机构类别 (卫生健康统计 names and the usual variants) → the directory's
# kind. A pair is (kind for a 省级/地级 region code, kind for a 县级 or lower one): the
# registry says "综合医院", the directory ranks a city's hospitals above a county's.
# Exact values only; a kind is never guessed from the institution's name.
REGISTRY_KINDS: dict[str, str | tuple[str, str]] = {
    "综合医院": ("市级综合医院", "县级人民医院"),
    "中医医院": ("市级中医医院", "县级中医医院"),
    "中西医结合医院": ("市级中医医院", "县级中医医院"),
    "民族医医院": ("市级中医医院", "县级中医医院"),
    "妇幼保健院": ("市级妇幼保健院", "县级妇幼保健院"),
    "妇幼保健所": ("市级妇幼保健院", "县级妇幼保健院"),
    "妇幼保健站": ("市级妇幼保健院", "县级妇幼保健院"),
    "妇幼保健计划生育服务中心": ("市级妇幼保健院", "县级妇幼保健院"),
    # The statistics' own group names; full-width brackets are half-width after NFKC.
    "妇幼保健院(所、站)": ("市级妇幼保健院", "县级妇幼保健院"),
    "专科医院": "县级及以上医疗机构",
    "护理院": "县级及以上医疗机构",
    "社区卫生服务中心": "社区卫生服务中心",
    "社区卫生服务站": "社区卫生服务站",
    "乡镇卫生院": "乡镇卫生院",
    "中心卫生院": "乡镇卫生院",
    "乡卫生院": "乡镇卫生院",
    "街道卫生院": "乡镇卫生院",
    "门诊部": "门诊部",
    "综合门诊部": "门诊部",
    "中医门诊部": "门诊部",
    "中西医结合门诊部": "门诊部",
    "专科门诊部": "门诊部",
    "诊所": "诊所",
    "中医诊所": "诊所",
    "卫生所": "诊所",
    "医务室": "诊所",
    "村卫生室": "村卫生室",
    "疾病预防控制中心": "疾病预防控制中心",
    "专科疾病防治院": "专业公共卫生机构",
    "专科疾病防治所": "专业公共卫生机构",
    "专科疾病防治站": "专业公共卫生机构",
    "专科疾病防治院(所、站)": "专业公共卫生机构",
    "健康教育所": "专业公共卫生机构",
    "急救中心": "专业公共卫生机构",
    "急救站": "专业公共卫生机构",
    "采供血机构": "专业公共卫生机构",
    "卫生监督所": "专业公共卫生机构",
    # The directory's own kinds and those of hand-entered units are accepted as they are.
    **{kind: kind for kind in INSTITUTION_KINDS},
    **{kind: kind for kind in MANUAL_KINDS},
}
# Search order of the hand-entered units' kinds the generated directory does not have;
# each is one of INSTITUTION_RANKS (the search reads one band per rank).
EXTRA_RANKS = {
    "县级及以上医疗机构": INSTITUTION_KINDS["县级妇幼保健院"].size_rank,
    "军队医疗机构": INSTITUTION_KINDS["县级妇幼保健院"].size_rank,
    "疾病预防控制中心": INSTITUTION_KINDS["社区卫生服务中心"].size_rank,
    "专业公共卫生机构": INSTITUTION_KINDS["社区卫生服务中心"].size_rank,
}


def size_rank(kind: str) -> int:
    known = INSTITUTION_KINDS.get(kind)
    return known.size_rank if known else EXTRA_RANKS.get(kind, 0)


def directory_kind(registry_kind: str, region_level: int) -> str | None:
    mapped = REGISTRY_KINDS.get(registry_kind)
    if isinstance(mapped, tuple):
        return mapped[0] if region_level <= Region.Level.CITY else mapped[1]
    return mapped


@dataclass(frozen=True)
class Place:
    code: str
    level: int
    path: str  # 河南省/郑州市/中原区


@dataclass(frozen=True)
class Entry:
    line: int
    code: str
    name: str
    region: Place
    kind: str

    @property
    def area(self) -> int:
        """As services._area_of: the county code, or the city/province code scaled."""
        code = self.region.code
        if len(code) >= 6:
            return int(code[:6])
        return int(code) * (100 if len(code) == 4 else 10000)


@dataclass(frozen=True)
class RowError:
    line: int
    code: str
    name: str
    message: str


@dataclass
class Result:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def refused(self) -> int:
        return len({e.line for e in self.errors})


# -- names ------------------------------------------------------------------------------
# Words that end a region's name (河南省, 郑州市, 延边朝鲜族自治州 …): a registry writes a
# place with or without them (郑州大学 …). The places themselves come from the Region table.
LEVEL_WORDS = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "街道", "办事处",
    "省", "市", "区", "县", "盟", "旗", "镇", "乡",
)  # fmt: skip


@lru_cache(maxsize=20_000)
def place_names(path: str) -> tuple[str, ...]:
    """The names along a region path and their short forms, longest first."""
    names: set[str] = set()
    for name in path.split("/"):
        names.add(name)
        for word in LEVEL_WORDS:
            if name.endswith(word) and len(name) - len(word) >= 2:
                names.add(name[: -len(word)])
                break
    return tuple(sorted(names, key=len, reverse=True))


def name_parts(name: str, path: str) -> list[tuple[str, bool]]:
    """The name as build_keys parts: leading places of its own region, then the rest
    ("新郑市城关镇卫生院" in 新郑市/城关镇 → 新郑市 | 城关镇 | 卫生院)."""
    places = place_names(path)
    parts: list[tuple[str, bool]] = []
    start = 0
    while hit := next((p for p in places if name.startswith(p, start)), None):
        parts.append((hit, True))
        start += len(hit)
    if not key_text(name[start:]):  # a name that is only a place: no kind part to keep
        return [(name, False)]
    return [*parts, (name[start:], False)]


# -- validation -------------------------------------------------------------------------
def _digits(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def region_candidates(code: str) -> list[str]:
    """The region code as given and, for a code padded with zeros (410100, 410102000000),
    the shorter codes the Region table uses (4101, 410102), longest first."""
    found = [code]
    for length in (9, 6, 4, 2):
        if len(code) > length and set(code[length:]) == {"0"}:
            found.append(code[:length])
    return found


def _regions(codes: Iterable[str]) -> dict[str, Place]:
    wanted = sorted({c for code in codes for c in region_candidates(code)})
    places: dict[str, Place] = {}
    for start in range(0, len(wanted), 500):
        for code, level, path in Region.objects.filter(
            code__in=wanted[start : start + 500]
        ).values_list("code", "level", "path"):
            places[code] = Place(code, level, path)
    return places


def _check(raw: RawRow, places: dict[str, Place]) -> Entry | str:
    """The row as an Entry, or what is wrong with it."""
    v = raw.values
    code = _digits(v["code"]).upper()
    name = normalise_input(v["name"])
    region_code = _digits(v["region_code"])
    kind = normalise_input(v["kind"])
    if not code:
        return "机构代码为空。"
    if not CODE_RE.fullmatch(code):
        return f"机构代码“{code}”格式不对：应为 6–24 位字母或数字（不含空格、连字符）。"
    if not name:
        return "机构名称为空。"
    if len(key_text(name)) < 2:
        return f"机构名称“{name}”过短：至少 2 个字。"
    if len(name) > NAME_MAX:
        return f"机构名称过长：{len(name)} 个字，最多 {NAME_MAX} 个字。"
    if not region_code:
        return "行政区划代码为空。"
    if not region_code.isdigit() or len(region_code) > 12:
        return f"行政区划代码“{region_code}”格式不对：应为 2–12 位数字。"
    place = next((places[c] for c in region_candidates(region_code) if c in places), None)
    if place is None:
        return f"未知的行政区划代码“{region_code}”（行政区划须先用 load_directory 加载）。"
    if not kind:
        return "机构类别为空。"
    mapped = directory_kind(kind, place.level)
    if mapped is None:
        return f"未知的机构类别“{kind}”：可用的类别见 docs/directory.md。"
    return Entry(raw.line, code, name, place, mapped)


def validate(raw_rows: list[RawRow]) -> tuple[list[Entry], list[RowError]]:
    places = _regions(_digits(r.values["region_code"]) for r in raw_rows if not r.problem)
    entries: list[Entry] = []
    errors: list[RowError] = []
    for raw in raw_rows:
        if raw.problem:
            errors.append(RowError(raw.line, "", "", raw.problem))
            continue
        checked = _check(raw, places)
        if isinstance(checked, str):
            code = _digits(raw.values["code"]).upper()
            errors.append(RowError(raw.line, code, raw.values["name"].strip(), checked))
        else:
            entries.append(checked)
    # A code twice in the file: which row is right is unknown, so neither is loaded.
    lines: dict[str, list[int]] = {}
    for entry in entries:
        lines.setdefault(entry.code, []).append(entry.line)
    repeated = {code: found for code, found in lines.items() if len(found) > 1}
    for entry in entries:
        if entry.code in repeated:
            others = "、".join(str(n) for n in repeated[entry.code] if n != entry.line)
            errors.append(
                RowError(
                    entry.line,
                    entry.code,
                    entry.name,
                    f"机构代码“{entry.code}”与第 {others} 行重复，两行都未加载。",
                )
            )
    entries = [e for e in entries if e.code not in repeated]
    errors.sort(key=lambda e: e.line)
    return entries, errors


# -- loading ----------------------------------------------------------------------------
def _keys(entry: Entry) -> tuple[list[tuple[int, str, int]], str, str]:
    """(band, key, area) rows and the prefix/inner Latin keys of an entry."""
    rank = size_rank(entry.kind)
    key_set, prefix_keys, inner_keys = build_keys(
        name_parts(entry.name, entry.region.path), code=entry.code
    )
    rows = [(band(stage, rank), key, entry.area) for stage, key in key_set]
    return rows, prefix_keys, inner_keys


def _same(institution: Institution, entry: Entry) -> bool:
    return (
        institution.name == entry.name
        and institution.region_id == entry.region.code
        and institution.kind == entry.kind
        and institution.verified
    )


def _delete_keys(ids: list[int]) -> None:
    """The key table has no index on institution_id (bulk-load speed): one scan per
    batch of updated institutions, not one per institution."""
    if not ids:
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM directory_institutionkey WHERE institution_id IN ({marks})",  # noqa: S608 - placeholders only
            ids,
        )


def _fill(institution: Institution, entry: Entry) -> None:
    institution.name = entry.name
    institution.region_id = entry.region.code
    institution.region_path = entry.region.path
    institution.area = entry.area
    institution.kind = entry.kind
    institution.size_rank = size_rank(entry.kind)
    institution.verified = True


UPDATED_COLUMNS = (
    "name",
    "region_id",
    "region_path",
    "area",
    "kind",
    "size_rank",
    "verified",
    "prefix_keys",
    "inner_keys",
)


def _update(institutions: list[Institution]) -> None:
    """One UPDATE per row by id, sent as a batch: Django's bulk_update builds a CASE per
    column over the whole batch, which PostgreSQL takes seconds per 2,000 rows to plan."""
    if not institutions:
        return
    sets = ", ".join(f"{column} = %s" for column in UPDATED_COLUMNS)
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE directory_institution SET {sets} WHERE id = %s",  # noqa: S608 - constant columns
            [[*(getattr(i, c) for c in UPDATED_COLUMNS), i.pk] for i in institutions],
        )


def _load_batch(batch: list[Entry], result: Result, *, dry_run: bool) -> None:
    existing = {
        i.code: i
        for i in Institution.objects.filter(code__in=[e.code for e in batch]).only(
            "id", "code", "name", "region_id", "kind", "verified"
        )
    }
    new = [e for e in batch if e.code not in existing]
    changed = [e for e in batch if e.code in existing and not _same(existing[e.code], e)]
    result.added += len(new)
    result.updated += len(changed)
    result.unchanged += len(batch) - len(new) - len(changed)
    if dry_run or not (new or changed):
        return
    # Keys first (pinyin is the slow part), outside the transaction that takes the locks.
    now = timezone.now()
    updated, added, key_rows = [], [], []
    pending: list[tuple[Institution, list[tuple[int, str, int]]]] = []
    for entry in changed + new:
        institution = existing.get(entry.code) or Institution(code=entry.code, created_at=now)
        _fill(institution, entry)
        keys, institution.prefix_keys, institution.inner_keys = _keys(entry)
        (updated if institution.pk else added).append(institution)
        pending.append((institution, keys))
    with transaction.atomic():
        _delete_keys([i.pk for i in updated])
        _update(updated)
        Institution.objects.bulk_create(added)  # sets the ids on SQLite and PostgreSQL
        for institution, keys in pending:
            key_rows.extend((*key, institution.pk) for key in keys)
        key_rows.sort()  # B-tree inserts in key order
        write_rows("directory_institutionkey", KEY_COLS, key_rows)


def load(
    entries: list[Entry],
    *,
    dry_run: bool = False,
    batch_size: int = BATCH,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Add, update or leave each validated entry; the counts say which."""
    result = Result(rows=len(entries))
    for start in range(0, len(entries), batch_size):
        batch = entries[start : start + batch_size]
        _load_batch(batch, result, dry_run=dry_run)
        if progress:
            progress(len(batch))
    return result
