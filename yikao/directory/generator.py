"""Reads the bundled data files and synthesises the work-unit directory (SOURCES.md §C).

Everything here is a pure function of the data files: the same files give the same
institutions, names and codes on every machine, so codes stay stable across re-loads.

Per county (NBS 2023 codes):
  - a 村卫生室 per village committee (村委会/嘎查/other village-level rows):
    `{village}卫生室`, the 委会 suffix stripped (大孟村委会 → 大孟村卫生室);
  - a 社区卫生服务站 per residents' committee (居委会/社区): `{社区}卫生服务站`;
  - a 社区卫生服务中心 per sub-district (街道/办事处), a 乡镇卫生院 per town (镇/乡/苏木 …);
  - 7–11 诊所/门诊部 per town and 6–10 民营医院 per county (the NHC 2023 total of
    1,070,785 institutions includes ~300k clinics and ~25k private hospitals; §C alone
    gives ~0.68 M rows);
  - the county 人民医院, 中医院 and 妇幼保健院;
and per city 第一/第二人民医院, 中医院 and 妇幼保健院.
Every name is prefixed with its city and county (郑州市中原区林山寨街道社区卫生服务中心)
so that it is unambiguous nationwide.

Institution code: the 12-digit region code (shorter codes padded with zeros) + the
2-digit kind code + a 2-digit sequence number: 16 digits, stable.
"""

import csv
import gzip
import random
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from yikao.directory.keys import INSTITUTION_KINDS

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITIES = {"11", "12", "31", "50"}

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
CLINIC_SUFFIXES = [
    ("氏诊所", "诊所"),
    ("氏中医诊所", "诊所"),
    ("氏口腔诊所", "诊所"),
    ("氏卫生所", "诊所"),
    ("氏综合门诊部", "门诊部"),
]
PRIVATE_HOSPITALS = [
    "仁爱医院", "博爱医院", "华康医院", "康宁医院", "同济医院", "协和医院", "仁和医院",
    "惠民医院", "安康医院", "济民医院", "中西医结合医院", "骨科医院", "眼科医院",
    "口腔医院", "妇产医院", "康复医院", "肿瘤医院", "精神病医院", "儿童医院", "心血管病医院",
]  # fmt: skip
COUNTY_HOSPITALS = [
    ("人民医院", "县级人民医院"),
    ("中医院", "县级中医医院"),
    ("妇幼保健院", "县级妇幼保健院"),
]
CITY_HOSPITALS = [
    ("第一人民医院", "市级综合医院"),
    ("第二人民医院", "市级综合医院"),
    ("中医院", "市级中医医院"),
    ("妇幼保健院", "市级妇幼保健院"),
]


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class RegionRow:
    code: str
    name: str
    level: int
    parent: str | None
    path: str


@dataclass
class InstitutionRow:
    code: str
    name: str
    region: str
    region_path: str
    area: int
    kind: str
    size_rank: int
    # The name as (text, is_place) parts: pinyin keys start at each part boundary.
    parts: list[tuple[str, bool]] = field(default_factory=list)


def village_clinic(name: str) -> tuple[str, str]:
    """(local name, kind) for a village-level row."""
    for suffix in ("居民委员会", "居委会"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return (stem if stem.endswith("社区") else stem + "社区"), "社区卫生服务站"
    if name.endswith("社区"):
        return name, "社区卫生服务站"
    for suffix in ("村民委员会", "村委会"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return (stem if stem.endswith("村") else stem + "村"), "村卫生室"
    if name.endswith("委会"):
        return name[:-2], "村卫生室"
    return name, "村卫生室"


def town_kind(name: str) -> str:
    return "社区卫生服务中心" if name.endswith(("街道", "办事处")) else "乡镇卫生院"


def _code(region_code: str, kind: str, seq: int) -> str:
    return f"{region_code.ljust(12, '0')}{INSTITUTION_KINDS[kind].code}{seq:02d}"


class Source:
    """The bundled NBS region files, indexed for generation. With `counties`, only the
    villages of those counties are parsed (a slice loads in a fraction of a second)."""

    def __init__(self, counties: Iterable[str] | None = None) -> None:
        # Code prefixes (province, city or county codes) whose villages are wanted.
        self.only = tuple(sorted({c[:6] for c in counties})) if counties else None

    @cached_property
    def provinces(self) -> dict[str, str]:
        return {r["code"]: r["name"] for r in _read_csv("provinces.csv")}

    @cached_property
    def cities(self) -> dict[str, tuple[str, str]]:
        return {r["code"]: (r["name"], r["provinceCode"]) for r in _read_csv("cities.csv")}

    @cached_property
    def counties(self) -> dict[str, tuple[str, str]]:
        return {r["code"]: (r["name"], r["cityCode"]) for r in _read_csv("areas.csv")}

    @cached_property
    def towns(self) -> dict[str, list[tuple[str, str]]]:
        by_county: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in _read_csv("streets.csv"):
            by_county[r["areaCode"]].append((r["code"], r["name"]))
        return by_county

    @cached_property
    def villages(self) -> dict[str, list[tuple[str, str]]]:
        by_town: dict[str, list[tuple[str, str]]] = defaultdict(list)
        with gzip.open(DATA_DIR / "villages.csv.gz", "rt", encoding="utf-8", newline="") as fh:
            header = next(csv.reader([fh.readline()]))
            lines = fh if self.only is None else (ln for ln in fh if ln.startswith(self.only))
            for r in csv.DictReader(lines, fieldnames=header):
                by_town[r["streetCode"]].append((r["code"], r["name"]))
        return by_town

    def city_label(self, city_code: str) -> str:
        """How a city is named inside an institution name ('' when it adds nothing)."""
        name, province = self.cities[city_code]
        if name in ("市辖区", "县"):
            return self.provinces[province] if province in MUNICIPALITIES else ""
        if name.endswith("行政区划"):
            return ""
        return name

    def city_path(self, city_code: str) -> str:
        name, province = self.cities[city_code]
        return f"{self.provinces[province]}/{name}"

    # -- regions ---------------------------------------------------------------------
    def province_region(self, code: str) -> RegionRow:
        return RegionRow(code, self.provinces[code], 1, None, self.provinces[code])

    def city_region(self, code: str) -> RegionRow:
        name, province = self.cities[code]
        return RegionRow(code, name, 2, province, self.city_path(code))

    # -- institutions ----------------------------------------------------------------
    def city_institutions(self, city_code: str) -> list[InstitutionRow]:
        label = self.city_label(city_code)
        if not label:
            return []
        path = self.city_path(city_code)
        return [
            InstitutionRow(
                code=_code(city_code, kind, seq),
                name=f"{label}{suffix}",
                region=city_code,
                region_path=path,
                area=int(city_code) * 100,
                kind=kind,
                size_rank=INSTITUTION_KINDS[kind].size_rank,
                parts=[(label, True), (suffix, False)],
            )
            for seq, (suffix, kind) in enumerate(CITY_HOSPITALS, start=1)
        ]

    def county(self, county_code: str) -> tuple[list[RegionRow], list[InstitutionRow]]:
        """The county's regions (county, towns, villages) and all its institutions."""
        county_name, city_code = self.counties[county_code]
        city_name = self.cities[city_code][0]
        county_path = f"{self.city_path(city_code)}/{county_name}"
        area = int(county_code)
        city_part = self.city_label(city_code)
        county_part = "" if county_name == city_name else county_name
        prefix = [(city_part, True), (county_part, True)]
        regions = [RegionRow(county_code, county_name, 3, city_code, county_path)]
        rows: list[InstitutionRow] = []

        def add(code, name_parts, region, path, kind):
            rows.append(
                InstitutionRow(
                    code=code,
                    name="".join(text for text, _ in name_parts),
                    region=region,
                    region_path=path,
                    area=area,
                    kind=kind,
                    size_rank=INSTITUTION_KINDS[kind].size_rank,
                    parts=[p for p in name_parts if p[0]],
                )
            )

        for seq, (suffix, kind) in enumerate(COUNTY_HOSPITALS, start=1):
            add(
                _code(county_code, kind, seq),
                [*prefix, (suffix, False)],
                county_code,
                county_path,
                kind,
            )
        rng = random.Random(zlib.crc32(county_code.encode()))
        for seq, hospital in enumerate(
            rng.sample(PRIVATE_HOSPITALS, 6 + zlib.crc32(county_code.encode()) % 5), start=1
        ):
            stem, tail = hospital[:-2], hospital[-2:]
            add(
                _code(county_code, "民营医院", seq),
                [*prefix, (stem, False), (tail, False)],
                county_code,
                county_path,
                "民营医院",
            )
        for town_code, town_name in sorted(self.towns.get(county_code, ())):
            town_path = f"{county_path}/{town_name}"
            regions.append(RegionRow(town_code, town_name, 4, county_code, town_path))
            # Some towns repeat their county (郑州经济技术开发区潮河街道): say it once.
            town_prefix = [
                (city_part, True),
                ("" if county_part and town_name.startswith(county_part) else county_part, True),
                (town_name, True),
            ]
            kind = town_kind(town_name)
            tail = "社区卫生服务中心" if kind == "社区卫生服务中心" else "卫生院"
            add(
                _code(town_code, kind, 1), [*town_prefix, (tail, False)], town_code, town_path, kind
            )
            rng = random.Random(zlib.crc32(town_code.encode()))
            count = 7 + zlib.crc32(town_code.encode()) % 5
            picks = rng.sample(range(len(SURNAMES) * len(CLINIC_SUFFIXES)), count)
            for seq, pick in enumerate(sorted(picks), start=1):
                surname = SURNAMES[pick // len(CLINIC_SUFFIXES)]
                suffix, clinic_kind = CLINIC_SUFFIXES[pick % len(CLINIC_SUFFIXES)]
                add(
                    _code(town_code, clinic_kind, seq),
                    [*town_prefix, (surname + suffix, False)],
                    town_code,
                    town_path,
                    clinic_kind,
                )
            for village_code, village_name in sorted(self.villages.get(town_code, ())):
                village_path = f"{town_path}/{village_name}"
                regions.append(RegionRow(village_code, village_name, 5, town_code, village_path))
                local, kind = village_clinic(village_name)
                tail = "卫生服务站" if kind == "社区卫生服务站" else "卫生室"
                add(
                    _code(village_code, kind, 1),
                    [*town_prefix, (local, True), (tail, False)],
                    village_code,
                    village_path,
                    kind,
                )
        return regions, rows

    def county_codes(self, provinces: list[str] | None = None) -> list[str]:
        codes = sorted(self.counties)
        if provinces:
            codes = [c for c in codes if c[:2] in provinces]
        return codes

    def iter_all(self) -> Iterator[InstitutionRow]:
        for city in sorted(self.cities):
            yield from self.city_institutions(city)
        for county in self.county_codes():
            yield from self.county(county)[1]


def schools() -> list[dict[str, str]]:
    return _read_csv("moe_higher_education_institutions_2025.csv")


def majors() -> list[dict[str, str]]:
    return _read_csv("medical_majors.csv")
