"""Named reads of the directory: search (schools, institutions, majors) and regions.

Search runs as raw SQL on purpose: it is the hot path (p50 ≤ 1 ms over 1.07 M rows) and
the ORM's per-query overhead would be most of the budget. See docs/directory.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from yikao.core.text import normalise_input
from yikao.directory.keys import (
    INNER,
    INSTITUTION_RANKS,
    OTHER_READING,
    PREFIX,
    SCHOOL_RANKS,
    bands,
)
from yikao.directory.models import Major, Region
from yikao.directory.pinyin import MAX_KEY_LEN, key_text

MAX_RESULTS = 20
MAX_QUERY_CHARS = 40  # after normalisation; longer input is refused
_TOP = "\U0010ffff"  # above every character: [q, q + _TOP) is "starts with q"


def _digits(value: str) -> bool:
    """ASCII digits only ("²".isdigit() is True, and int("²") fails)."""
    return value.isascii() and value.isdigit()


class QueryError(ValueError):
    """A query the user must change (the message says how)."""


@dataclass(frozen=True)
class Hit:
    id: int
    code: str
    name: str
    region: str
    kind: str
    verified: bool


def normalise_query(raw: str | None) -> str:
    """The query as keys are stored: half-width, lower case, letters/digits/Chinese only.
    Raises QueryError for input too long to be a name; returns "" for junk."""
    raw = raw or ""
    if len(raw) > 200:
        raise QueryError("查询内容过长，请输入名称中的几个字、拼音首字母或代码。")
    query = key_text(normalise_input(raw))
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError("查询内容过长，请输入名称中的几个字、拼音首字母或代码。")
    return query


@dataclass(frozen=True)
class Area:
    """A region filter as a range of area numbers (county code, or city code × 100)."""

    low: int
    high: int
    county: bool


def area_of(code: str | None) -> Area | None:
    """Province (2 digits or xx0000), city (4 or xxxx00) or county (6 digits)."""
    code = (code or "").strip()
    if not code:
        return None
    if not _digits(code) or len(code) not in (2, 4, 6):
        raise QueryError("地区代码无效，请从列表中选择省、市或区县。")
    if len(code) == 6 and code.endswith("0000") and not Region.objects.filter(code=code).exists():
        code = code[:2]
    elif len(code) == 6 and code.endswith("00") and not Region.objects.filter(code=code).exists():
        code = code[:4]
    if len(code) == 2:
        return Area(int(code) * 10000, (int(code) + 1) * 10000, False)
    if len(code) == 4:
        return Area(int(code) * 100, (int(code) + 1) * 100, False)
    return Area(int(code), int(code) + 1, True)


# -- key-table search ----------------------------------------------------------------------
SCAN_CAP = 1000  # index entries a region-filtered band may examine (see docs/directory.md)


def _band_sql(table: str, id_column: str, n_bands: int, with_area: bool) -> str:
    cols = f"band, key, area, {id_column} AS rid"
    if not with_area:
        branch = (
            f"SELECT * FROM (SELECT {cols} FROM {table}"  # noqa: S608 - constants
            f" WHERE band = %s AND key >= %s AND key < %s"
            f" ORDER BY key, area, {id_column} LIMIT %s) AS b{{n}}"
        )
    else:
        # The area is checked on the index entries while the key range is walked; a
        # range full of other regions' rows (a broad query) stops after SCAN_CAP entries.
        # Rows whose key *equals* the query are sorted by area, so a second branch seeks
        # straight to the region (卫生室 in 南阳市 among 460 k village clinics).
        branch = (
            f"SELECT * FROM (SELECT * FROM (SELECT {cols} FROM {table}"  # noqa: S608 - constants
            f" WHERE band = %s AND key >= %s AND key < %s"
            f" ORDER BY key, area, {id_column} LIMIT {SCAN_CAP}) AS c{{n}}"
            f" WHERE area >= %s AND area < %s ORDER BY key, area, rid LIMIT %s) AS b{{n}}"
            f" UNION ALL SELECT * FROM (SELECT {cols} FROM {table}"
            f" WHERE band = %s AND key = %s AND area >= %s AND area < %s"
            f" ORDER BY area, {id_column} LIMIT %s) AS e{{n}}"
        )
    return " UNION ALL ".join(branch.format(n=n) for n in range(n_bands))


def _lateral_sql(table: str, id_column: str, with_area: bool) -> str:
    """The same branches for PostgreSQL as one LATERAL subquery over the band list: a
    28-branch UNION ALL takes longer to plan (~3 ms) than to run."""
    cols = f"t.key, t.area, t.{id_column}"
    if not with_area:
        # The nested loop emits band after band (the array is in rank order), each band in
        # key order, so the outer LIMIT stops probing bands once the list is full: a broad
        # query ("卫生", "zz") reads one or two bands instead of all of them.
        return (
            f"SELECT b.band, k.* FROM unnest(%s::smallint[]) AS b(band) CROSS JOIN LATERAL"  # noqa: S608 - constants
            f" (SELECT {cols} FROM {table} t WHERE t.band = b.band AND t.key >= %s"
            f" AND t.key < %s ORDER BY t.key, t.area, t.{id_column} LIMIT %s) AS k LIMIT %s"
        )
    return (
        f"SELECT b.band, k.* FROM unnest(%s::smallint[]) AS b(band) CROSS JOIN LATERAL"  # noqa: S608 - constants
        f" (SELECT * FROM (SELECT {cols} FROM {table} t WHERE t.band = b.band"
        f" AND t.key >= %s AND t.key < %s ORDER BY t.key, t.area, t.{id_column}"
        f" LIMIT {SCAN_CAP}) AS c WHERE c.area >= %s AND c.area < %s"
        f" ORDER BY c.key, c.area, c.{id_column} LIMIT %s) AS k"
        f" UNION ALL SELECT b.band, e.* FROM unnest(%s::smallint[]) AS b(band) CROSS JOIN LATERAL"
        f" (SELECT {cols} FROM {table} t WHERE t.band = b.band AND t.key = %s"
        f" AND t.area >= %s AND t.area < %s ORDER BY t.area, t.{id_column} LIMIT %s) AS e"
    )


_SQL_CACHE: dict[tuple, str] = {}


def _fetchall(sql: str, params: list) -> list[tuple]:
    """Run a search statement. On PostgreSQL as a server-side prepared statement: the
    band union has dozens of branches, and planning it on every call (Django's psycopg
    cursors bind client-side) would cost more than executing it. Needs session-level
    connections (not a transaction-pooling PgBouncer)."""
    if connection.vendor == "postgresql":
        import psycopg

        connection.ensure_connection()
        with psycopg.Cursor(connection.connection) as cur:
            cur.execute(sql, params, prepare=True)
            return cur.fetchall()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _ranked_ids(
    table: str,
    id_column: str,
    ranks: list[int],
    query: str,
    area: Area | None,
    limit: int,
    stages: tuple[int, ...] = (PREFIX, INNER),
) -> list[int]:
    """Ids in rank order: lower band first, then key order; each band capped at limit."""
    lookup = query[:MAX_KEY_LEN]
    all_bands = bands(ranks, stages)
    # Without a region every branch is a seek plus ≤ limit rows: one statement for all.
    # With one, branches may walk SCAN_CAP entries: prefix bands first, then the next
    # stage's only when the earlier matches do not fill the list.
    n = len(ranks)
    groups = (
        [all_bands] if area is None else [all_bands[i : i + n] for i in range(0, len(all_bands), n)]
    )
    seen: dict[int, None] = {}
    for band_list in groups:
        if connection.vendor == "postgresql":
            sql = _lateral_sql(table, id_column, area is not None)
            params = [band_list, lookup, lookup + _TOP]
            if area is not None:
                params += [area.low, area.high, limit, band_list, lookup, area.low, area.high]
            params.append(limit)
            if area is None:
                params.append(limit)
        else:
            cache_key = (table, len(band_list), area is not None)
            sql = _SQL_CACHE.get(cache_key)
            if sql is None:
                sql = _SQL_CACHE[cache_key] = _band_sql(
                    table, id_column, len(band_list), area is not None
                )
            params = []
            for b in band_list:
                params += [b, lookup, lookup + _TOP]
                if area is not None:
                    params += [area.low, area.high, limit, b, lookup, area.low, area.high]
                params.append(limit)
        rows = _fetchall(sql, params)
        rows.sort()
        for row in rows:
            seen.setdefault(row[3])
        if len(seen) >= limit:
            break
    return list(seen)


def _matches(query: str, name: str, prefix_keys: str, inner_keys: str, code: str) -> bool:
    """Confirms a match when the query is longer than the stored (truncated) keys."""
    needle = " " + query
    return (
        query in key_text(name)
        or needle in prefix_keys
        or needle in inner_keys
        or code.lower().startswith(query)
    )


_INSTITUTION_COLUMNS = "id, code, name, region_path, kind, verified, prefix_keys, inner_keys"


def _fetch_institutions(ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"SELECT {_INSTITUTION_COLUMNS} FROM directory_institution WHERE id IN ({marks})"  # noqa: S608 - constants
    return {row[0]: row for row in _fetchall(sql, ids)}


def _exact_institutions(query: str, area: Area | None) -> list[int]:
    sql = "SELECT id FROM directory_institution WHERE (name = %s OR code = %s)"
    params: list = [query, query.upper()]
    if area is not None:
        sql += " AND area >= %s AND area < %s"
        params += [area.low, area.high]
    return [row[0] for row in _fetchall(sql + " ORDER BY size_rank DESC, id LIMIT 20", params)]


def _county_scan(query: str, area: Area, limit: int) -> list[int]:
    """Inside one county (≤ ~1,300 institutions) a direct scan beats the key table, whose
    ranges would hold matches from the whole country."""
    pos = "strpos" if connection.vendor == "postgresql" else "instr"
    n = len(query)
    sql = (
        f"SELECT id FROM directory_institution WHERE area = %s AND ("  # noqa: S608 - table names and placeholders are constants
        f"{pos}(name, %s) > 0 OR {pos}(prefix_keys, %s) > 0 OR {pos}(inner_keys, %s) > 0"
        f" OR lower(substr(code, 1, %s)) = %s)"
        f" ORDER BY CASE WHEN name = %s OR lower(code) = %s THEN 0"
        f" WHEN substr(name, 1, %s) = %s OR lower(substr(code, 1, %s)) = %s"
        f" OR {pos}(prefix_keys, %s) > 0 THEN 1 ELSE 2 END, size_rank DESC, name, id LIMIT %s"
    )
    needle = " " + query
    params = [area.low, query, needle, needle, n, query, query, query, n, query, n, query]
    params += [needle, limit]
    return [row[0] for row in _fetchall(sql, params)]


def search_institutions(
    raw: str | None, *, region: str | None = None, limit: int = 20
) -> list[Hit]:
    """Work units matching a name substring, pinyin initials/full pinyin or a code: exact
    and prefix matches first, then larger institutions first. Region narrows to a
    province, city or county code."""
    query = normalise_query(raw)
    area = area_of(region)
    limit = max(1, min(limit, MAX_RESULTS))
    if not query:
        return []
    if area is not None and area.county:
        ids = _county_scan(query, area, limit)
    else:
        ids = list(
            dict.fromkeys(
                _exact_institutions(query, area)
                + _ranked_ids(
                    "directory_institutionkey",
                    "institution_id",
                    INSTITUTION_RANKS,
                    query,
                    area,
                    limit + 4,
                    (PREFIX, INNER, OTHER_READING),
                )
            )
        )
    rows = _fetch_institutions(ids[: limit * 2])
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        if len(query) > MAX_KEY_LEN and not _matches(query, row[2], row[6], row[7], row[1]):
            continue
        hits.append(Hit(row[0], row[1], row[2], row[3], row[4], bool(row[5])))
        if len(hits) == limit:
            break
    return hits


def search_institutions_naive(raw: str | None, *, limit: int = 20) -> list[int]:
    """The scan the key table replaces (for the benchmark only): LIKE '%q%' over all rows."""
    query = normalise_query(raw)
    if not query:
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM directory_institution WHERE name LIKE %s OR prefix_keys LIKE %s"
            " OR inner_keys LIKE %s OR code LIKE %s ORDER BY size_rank DESC LIMIT %s",
            [f"%{query}%", f"% {query}%", f"% {query}%", f"{query}%", limit],
        )
        return [row[0] for row in cur.fetchall()]


def search_schools(raw: str | None, *, limit: int = 20) -> list[Hit]:
    """Schools by name substring, pinyin initials ("bjdx"), full pinyin or code (10-digit
    MOE code or the 5-digit 院校代码): exact and prefix first, 本科 before 专科."""
    query = normalise_query(raw)
    limit = max(1, min(limit, MAX_RESULTS))
    if not query:
        return []
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id FROM directory_school WHERE name = %s OR code = %s ORDER BY verified DESC",
            [query, query.upper()],
        )
        exact = [row[0] for row in cur.fetchall()]
    ids = list(
        dict.fromkeys(
            exact
            + _ranked_ids("directory_schoolkey", "school_id", SCHOOL_RANKS, query, None, limit + 4)
        )
    )[: limit * 2]
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT id, code, name, province, kind, verified, initials, pinyin"  # noqa: S608 - table names and placeholders are constants
            f" FROM directory_school WHERE id IN ({marks})",
            ids,
        )
        rows = {row[0]: row for row in cur.fetchall()}
    hits = []
    for pk in ids:
        row = rows.get(pk)
        if row is None:
            continue
        if len(query) > MAX_KEY_LEN and not _matches(
            query, row[2], f" {row[6]} {row[7]}", "", row[1]
        ):
            continue
        hits.append(Hit(row[0], row[1], row[2], row[3], row[4], bool(row[5])))
        if len(hits) == limit:
            break
    return hits


def search_majors(raw: str | None, *, level: str = "", limit: int = 20) -> list[Major]:
    """Majors (a catalogue of ~100): name substring, initials, pinyin or code prefix."""
    query = normalise_query(raw)
    if not query:
        return []
    majors = Major.objects.all()
    if level:
        majors = majors.filter(level=level)
    found: list[tuple[int, Major]] = []
    for major in majors:
        name = key_text(major.name)
        if name == query or major.code.lower() == query:
            found.append((0, major))
        elif (
            name.startswith(query)
            or major.initials.startswith(query)
            or major.pinyin.startswith(query)
            or major.code.lower().startswith(query)
        ):
            found.append((1, major))
        elif query in name or query in major.initials or query in major.pinyin:
            found.append((2, major))
    found.sort(key=lambda item: (item[0], item[1].level != "本科", item[1].code))
    return [major for _, major in found[:limit]]


def regions_under(parent: str | None) -> list[Region]:
    """Children of a region (provinces when parent is empty); unknown parent → []."""
    parent = (parent or "").strip()
    if parent and (not _digits(parent) or len(parent) > 12):
        raise QueryError("地区代码无效，请从列表中选择。")
    if not parent:
        return list(Region.objects.filter(level=Region.Level.PROVINCE))
    return list(Region.objects.filter(parent_id=parent))


def region_chain(code: str | None) -> list[Region]:
    """The region and its ancestors, province first ([] for an unknown code)."""
    chain: list[Region] = []
    region = Region.objects.filter(code=code).first() if code and _digits(code) else None
    while region is not None:
        chain.insert(0, region)
        region = region.parent
    return chain


def county_institutions(county_code: str, *, limit: int = 20) -> list[Hit]:
    """The largest institutions of a county (the picker's list before anything is typed)."""
    if not _digits(county_code) or len(county_code) != 6:
        return []
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {_INSTITUTION_COLUMNS} FROM directory_institution WHERE area = %s"  # noqa: S608 - table names and placeholders are constants
            " ORDER BY size_rank DESC, name, id LIMIT %s",
            [int(county_code), limit],
        )
        return [Hit(r[0], r[1], r[2], r[3], r[4], bool(r[5])) for r in cur.fetchall()]
