"""Bulk loading of the reference data: fast, idempotent, resumable.

Work is split into units (p41 = a province row, c4101 = a city and its hospitals,
a410102 = a county with its towns, villages and institutions, `schools`, `majors`); a
LoadedUnit row records each finished unit in the same transaction as its data, so a
second run skips what is there and an interrupted run resumes. Rows go in with
executemany on SQLite and COPY on PostgreSQL, ids assigned here, pinyin computed once
per distinct place name (pypinyin is the slow part).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from yikao.directory import generator
from yikao.directory.keys import band, build_keys, school_rank
from yikao.directory.models import Institution, LoadedUnit, Major, School
from yikao.directory.pinyin import pinyin_full, pinyin_initials

REGION_COLS = ("code", "name", "level", "parent_id", "path")
INSTITUTION_COLS = (
    "id",
    "code",
    "name",
    "region_id",
    "region_path",
    "area",
    "kind",
    "size_rank",
    "affiliation",
    "verified",
    "prefix_keys",
    "inner_keys",
)
KEY_COLS = ("band", "key", "area", "institution_id")
SCHOOL_COLS = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "province",
    "department",
    "remark",
    "verified",
    "initials",
    "pinyin",
    "created_at",
)
SCHOOL_KEY_COLS = ("band", "key", "area", "school_id")


def write_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, executemany on SQLite."""
    if connection.vendor == "postgresql":
        raw = connection.connection  # psycopg 3 connection, inside Django's transaction
        copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with raw.cursor() as cur, cur.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608 - table names and placeholders are constants
    connection.ensure_connection()
    cur = connection.connection.cursor()
    rows = list(rows)
    for start in range(0, len(rows), 50_000):
        cur.executemany(sql, rows[start : start + 50_000])
    cur.close()


def _next_id(model) -> int:
    with connection.cursor() as cur:
        cur.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 - table names and placeholders are constants
        return (cur.fetchone()[0] or 0) + 1


def _reset_sequence(model) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"  # noqa: S608 - table names and placeholders are constants
                f" COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


@dataclass
class Plan:
    provinces: list[str]
    cities: list[str]
    counties: list[str]

    @property
    def units(self) -> list[str]:
        return (
            [f"p{c}" for c in self.provinces]
            + [f"c{c}" for c in self.cities]
            + [f"a{c}" for c in self.counties]
        )


def plan(
    source: generator.Source,
    *,
    provinces: list[str] | None = None,
    counties: list[str] | None = None,
    slice_: int | None = None,
) -> Plan:
    codes = source.county_codes(provinces)
    if counties:
        unknown = sorted(set(counties) - set(source.counties))
        if unknown:
            raise ValueError(f"未知的区县代码：{', '.join(unknown)}")
        codes = [c for c in codes if c in set(counties)]
    if slice_ is not None:
        codes = codes[:slice_]
    city_codes = sorted({source.counties[c][1] for c in codes})
    if provinces and not counties and slice_ is None:
        # Whole provinces: include cities without counties of their own too.
        city_codes = sorted(c for c in source.cities if c[:2] in provinces)
    province_codes = sorted({c[:2] for c in city_codes})
    return Plan(province_codes, city_codes, codes)


def loaded_units() -> set[str]:
    return set(LoadedUnit.objects.values_list("name", flat=True))


def _institution_rows(rows: list[generator.InstitutionRow], first_id: int):
    inst, keys = [], []
    for offset, row in enumerate(rows):
        pk = first_id + offset
        key_set, prefix_keys, inner_keys = build_keys(row.parts, code=row.code)
        inst.append(
            (
                pk,
                row.code,
                row.name,
                row.region,
                row.region_path,
                row.area,
                row.kind,
                row.size_rank,
                "",
                True,
                prefix_keys,
                inner_keys,
            )
        )
        keys.extend((band(stage, row.size_rank), key, row.area, pk) for stage, key in key_set)
    return inst, keys


KEY_PK = "directory_institutionkey_pkey"
BULK_UNITS = 200  # from this many units on, PostgreSQL builds the key index afterwards


def _key_index_exists() -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_constraint WHERE conname = %s AND contype = 'p'", [KEY_PK])
        return cur.fetchone() is not None


def _drop_key_index() -> None:
    """A B-tree of 25 M keys grows faster by one sorted build than by random inserts."""
    if _key_index_exists():
        with connection.cursor() as cur:
            cur.execute(f"ALTER TABLE directory_institutionkey DROP CONSTRAINT {KEY_PK}")


def _build_key_index() -> None:
    if not _key_index_exists():
        with connection.cursor() as cur:
            cur.execute("SET maintenance_work_mem = '1GB'")
            cur.execute(
                f"ALTER TABLE directory_institutionkey ADD CONSTRAINT {KEY_PK}"
                " PRIMARY KEY (band, key, area, institution_id)"
            )


def load_regions_and_institutions(
    source: generator.Source,
    the_plan: Plan,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """Load the planned units that are not loaded yet; returns counts of what was added."""
    done = loaded_units()
    added = {"regions": 0, "institutions": 0, "keys": 0, "units": 0}
    todo = [u for u in the_plan.units if u not in done]
    by_province: dict[str, list[str]] = {}
    for unit in todo:
        by_province.setdefault(unit[1:3], []).append(unit)
    bulk = (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and (len(todo) >= BULK_UNITS or not _key_index_exists())
    )
    if bulk:
        _drop_key_index()
    for units in by_province.values():
        with transaction.atomic():
            next_id = _next_id(Institution)
            regions, inst_rows, key_rows, markers = [], [], [], []
            for unit in units:
                kind, code = unit[0], unit[1:]
                unit_regions: list[generator.RegionRow] = []
                unit_inst: list[generator.InstitutionRow] = []
                if kind == "p":
                    unit_regions = [source.province_region(code)]
                elif kind == "c":
                    unit_regions = [source.city_region(code)]
                    unit_inst = source.city_institutions(code)
                else:
                    unit_regions, unit_inst = source.county(code)
                inst, keys = _institution_rows(unit_inst, next_id)
                next_id += len(inst)
                regions.extend((r.code, r.name, r.level, r.parent, r.path) for r in unit_regions)
                inst_rows.extend(inst)
                key_rows.extend(keys)
                markers.append((unit, len(unit_regions) + len(inst)))
                if progress and kind == "a":
                    progress(1, len(inst))
            # Parents before children: the foreign key on Region.parent is checked per row.
            regions.sort(key=lambda r: (r[2], r[0]))
            write_rows("directory_region", REGION_COLS, regions)
            write_rows("directory_institution", INSTITUTION_COLS, inst_rows)
            key_rows.sort()
            write_rows("directory_institutionkey", KEY_COLS, key_rows)
            now = timezone.now()
            LoadedUnit.objects.bulk_create(
                [LoadedUnit(name=n, rows=c, loaded_at=now) for n, c in markers]
            )
            added["regions"] += len(regions)
            added["institutions"] += len(inst_rows)
            added["keys"] += len(key_rows)
            added["units"] += len(markers)
    if bulk:
        # Also after an interrupted bulk run: the index is rebuilt before anyone searches.
        _build_key_index()
    if todo:
        _reset_sequence(Institution)
    return added


@functools.cache
def _school_data() -> list[tuple[tuple, list[tuple]]]:
    """(school row without id, key rows without id) per MOE school; computed once per
    process (the tests load the directory many times)."""
    data = []
    for r in generator.schools():
        name = r["name"]
        row = (
            r["code"],
            name,
            r["kind"],
            r["level"],
            r["province"],
            r["department"],
            r["remark"],
            True,
            pinyin_initials(name),
            pinyin_full(name),
        )
        rank = school_rank(kind=r["kind"], level=r["level"], verified=True)
        key_set, _, _ = build_keys(
            [(name, False)], code=r["code"], extra_codes=[r["school_code5"]], all_positions=True
        )
        area = int(r["province_code"] or 0)
        data.append((row, [(band(stage, rank), key, area) for stage, key in key_set]))
    return data


def load_schools() -> int:
    if LoadedUnit.objects.filter(name="schools").exists():
        return 0
    with transaction.atomic():
        first = _next_id(School)
        existing = set(School.objects.values_list("code", flat=True))
        rows, keys = [], []
        now = timezone.now()
        for row, row_keys in _school_data():
            if row[0] in existing:
                continue
            pk = first + len(rows)
            rows.append((pk, *row, now))
            keys.extend((*key, pk) for key in row_keys)
        write_rows("directory_school", SCHOOL_COLS, rows)
        keys.sort()
        write_rows("directory_schoolkey", SCHOOL_KEY_COLS, keys)
        LoadedUnit.objects.create(name="schools", rows=len(rows))
    _reset_sequence(School)
    return len(rows)


GRADUATE_MAJORS_CSV = "graduate_medical_majors.csv"


def _major(r: dict[str, str], level: str) -> Major:
    return Major(
        code=r["major_code"],
        name=r["major_name"],
        level=level,
        category_code=r["category_code"],
        category_name=r["category_name"],
        class_code=r["class_code"],
        class_name=r["class_name"],
        initials=pinyin_initials(r["major_name"]),
        pinyin=pinyin_full(r["major_name"]),
    )


def _load_major_unit(unit: str, objs: Callable[[], list[Major]]) -> int:
    if LoadedUnit.objects.filter(name=unit).exists():
        return 0
    with transaction.atomic():
        rows = objs()
        Major.objects.bulk_create(rows, ignore_conflicts=True)
        LoadedUnit.objects.create(name=unit, rows=len(rows))
    return len(rows)


def load_majors() -> int:
    """本科/专科 majors (unit `majors`) and the 研究生 medical disciplines (unit
    `majors_graduate`, its own unit so that a directory loaded before it gets them on the
    next run)."""
    undergraduate = _load_major_unit(
        "majors",
        lambda: [_major(r, "本科" if r["level"] == "本科" else "专科") for r in generator.majors()],
    )
    graduate = _load_major_unit(
        "majors_graduate",
        lambda: [_major(r, "研究生") for r in generator._read_csv(GRADUATE_MAJORS_CSV)],
    )
    return undergraduate + graduate


def optimise() -> None:
    """Fresh planner statistics after a bulk load (and the visibility map on PostgreSQL,
    which index-only scans need)."""
    tables = [
        "directory_region",
        "directory_institution",
        "directory_institutionkey",
        "directory_school",
        "directory_schoolkey",
    ]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # VACUUM cannot run inside a transaction (a test, a caller's atomic block).
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for table in tables:
                cur.execute(f"{verb} {table}")
        else:
            cur.execute("ANALYZE")


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.start
