"""Idempotent demo exam: 考区 per province, 考点 per city (per district in the four
municipalities), realistic capacities, and the demo exam with its categories."""

import csv
import datetime
import tomllib
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from yikao.eligibility import CATEGORIES
from yikao.exams.models import AddOn, Exam, ExamArea, ExamCategory, ExamSite, SiteCapacity

DATA = Path(__file__).resolve().parents[2] / "data"
REGION_DATA = Path(__file__).resolve().parents[3] / "directory" / "data"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MUNICIPALITIES = {"11", "12", "31", "50"}
ADD_ONS = [("military", "军事医学"), ("prehospital", "院前急救"), ("pediatrics", "儿科")]


def _rows(name: str) -> list[dict]:
    with open(REGION_DATA / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def site_rows() -> list[tuple[str, str, str]]:
    """(area code, site code, site name) for every 考点."""
    counties = _rows("areas.csv")
    sites = []
    for city in _rows("cities.csv"):
        province = city["provinceCode"]
        placeholder = city["name"] in {
            "市辖区",
            "县",
            "省直辖县级行政区划",
            "自治区直辖县级行政区划",
        }
        if province in MUNICIPALITIES or placeholder:
            for county in counties:
                if county["cityCode"] == city["code"]:
                    sites.append((province, county["code"], f"{county['name']}考点"))
        else:
            sites.append((province, city["code"], f"{city['name']}考点"))
    return sites


class Command(BaseCommand):
    help = "加载演示考试、考区、考点和名额（幂等）"

    @transaction.atomic
    def handle(self, *args, **options):
        provinces = {row["code"]: row["name"] for row in _rows("provinces.csv")}
        areas = {}
        for code, name in provinces.items():
            short = name.removesuffix("省").removesuffix("市").removesuffix("自治区")
            for suffix in ("壮族", "回族", "维吾尔"):
                short = short.removesuffix(suffix)
            areas[code], _ = ExamArea.objects.update_or_create(
                code=code, defaults={"name": f"{short}考区"}
            )
        sites = []
        for area_code, code, name in site_rows():
            site, _ = ExamSite.objects.update_or_create(
                code=code, defaults={"area": areas[area_code], "name": name}
            )
            sites.append(site)
        exam = self._exam()
        for site in sites:
            # Provincial capitals (xx01) and municipal districts take more candidates.
            capacity = 8000 if site.code.endswith("01") and len(site.code) == 4 else 3000
            SiteCapacity.objects.get_or_create(
                exam=exam, site=site, defaults={"capacity": capacity}
            )
        self.stdout.write(f"演示考试：{exam.name}；{len(areas)} 个考区，{len(sites)} 个考点")

    def _exam(self) -> Exam:
        exam, _ = Exam.objects.update_or_create(
            code="yszg-2027",
            defaults={
                "name": "2027年医师资格考试",
                "year": 2027,
                # A demo window that is open now; a real exam's window is set by national staff.
                "window_start": datetime.datetime(2026, 11, 1, 9, 0, tzinfo=SHANGHAI),
                "window_end": datetime.datetime(2027, 3, 1, 23, 59, 59, tzinfo=SHANGHAI),
                "notice": (DATA / "notice.txt").read_text(encoding="utf-8").strip(),
                # The Henan days: 附件6 says 8月1日 for the diplomas of 当年毕业研究生; the
                # trial year must be complete by 8月31日. Forms and reasons read them here.
                "graduate_documents_deadline": datetime.date(2027, 8, 1),
                "trial_deadline": datetime.date(2027, 8, 31),
            },
        )
        labels = {(c.category, str(c.level)): c.label for c in CATEGORIES}
        spec = tomllib.loads((DATA / "categories.toml").read_text(encoding="utf-8"))
        for sort, item in enumerate(spec["category"]):
            for level in ("physician", "assistant"):
                label = labels.get((item["category"], level))
                if label is None:
                    continue
                ExamCategory.objects.update_or_create(
                    exam=exam, category=item["category"], level=level,
                    defaults={
                        "code": item["codes"].get(level, ""),
                        "label": label,
                        "group": item["group"],
                        "code_confirmed": item["confirmed"],
                        "sort": sort * 2 + (level == "assistant"),
                    },
                )  # fmt: skip
        for code, name in ADD_ONS:
            AddOn.objects.update_or_create(exam=exam, code=code, defaults={"name": name})
        return exam
