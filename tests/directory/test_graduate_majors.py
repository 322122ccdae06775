"""研究生 medical disciplines: bundled as data, loaded by load_directory, found by the
majors API with level 研究生 and by pinyin initials like the others."""

import csv

import pytest

from yikao.directory import generator, loader, selectors
from yikao.directory.models import LoadedUnit, Major

API = "/api/v1/directory/majors"
CSV = generator.DATA_DIR / loader.GRADUATE_MAJORS_CSV


def _rows():
    with open(CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_graduate_majors_csv_has_a_header_unique_codes_and_a_source():
    rows = _rows()
    assert len(rows) == 67
    assert {r["level"] for r in rows} == {"研究生"}
    assert len({r["major_code"] for r in rows}) == len(rows)
    assert all(r["source_catalog"] and r["major_name"] for r in rows)
    codes = {r["major_code"]: r["major_name"] for r in rows}
    assert codes["100201"] == "内科学"
    assert codes["100202"] == "儿科学"
    assert codes["100210"] == "外科学"
    assert codes["100512"] == "针灸推拿学"
    assert codes["1051"] == "临床医学"
    assert codes["1059"] == "针灸"
    assert "100209" not in codes  # 护理学 is the first-level 1011 since 2011
    sources = (generator.DATA_DIR / "SOURCES.md").read_text(encoding="utf-8")
    assert "graduate_medical_majors.csv" in sources
    assert "研究生教育学科专业目录（2022年）" in sources


@pytest.mark.usefixtures("directory")
def test_graduate_majors_are_loaded_with_level_and_initials():
    major = Major.objects.get(level="研究生", code="100201")
    assert major.name == "内科学"
    assert major.initials == "nkx"
    assert major.class_code == "1002"
    assert major.class_name == "临床医学"
    assert Major.objects.filter(level="研究生").count() == 67
    assert LoadedUnit.objects.get(name="majors_graduate").rows == 67
    # 本科/专科 still there, untouched.
    assert Major.objects.filter(level="本科", code="100201K").exists()


@pytest.mark.usefixtures("directory")
def test_graduate_majors_load_again_adds_nothing():
    assert loader.load_majors() == 0
    assert Major.objects.filter(level="研究生").count() == 67


@pytest.mark.django_db
def test_graduate_majors_load_into_a_directory_loaded_before_them():
    # A directory loaded before the graduate list existed: only the unit `majors`.
    Major.objects.all().delete()
    LoadedUnit.objects.filter(name__startswith="majors").delete()
    LoadedUnit.objects.create(name="majors", rows=111)
    assert loader.load_majors() == 67
    assert set(Major.objects.values_list("level", flat=True)) == {"研究生"}


@pytest.mark.usefixtures("directory")
def test_graduate_search_by_initials_finds_internal_medicine_first():
    found = selectors.search_majors("nkx")
    assert found[0].name == "内科学"
    assert found[0].level == "研究生"
    assert "中医内科学" in [m.name for m in found]


@pytest.mark.usefixtures("directory")
def test_api_majors_offers_graduate_majors_with_level(client):
    response = client.get(API, {"q": "nkx"})
    assert response.status_code == 200
    assert response.json()[0] == {
        "name": "内科学",
        "code": "100201",
        "level": "研究生",
        "category_name": "医学（学术学位）",
    }


@pytest.mark.usefixtures("directory")
def test_api_majors_level_filter_accepts_graduate(client):
    body = client.get(API, {"q": "lcyx", "level": "研究生"}).json()
    assert body[0] == {
        "name": "临床医学",
        "code": "1051",
        "level": "研究生",
        "category_name": "医学（专业学位）",
    }
    assert {m["level"] for m in body} == {"研究生"}
    body = client.get(API, {"q": "nkx", "level": "本科"}).json()
    assert all(m["level"] == "本科" for m in body)
    assert "内科学" not in [m["name"] for m in body]


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("query", ["ekx", "儿科", "100202", "erkexue"])
def test_api_majors_finds_pediatrics_by_initials_name_code_or_pinyin(client, query):
    body = client.get(API, {"q": query, "level": "研究生"}).json()
    assert body[0]["name"] == "儿科学"


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("level", ["博士", "x'1", "研究生" * 100])
def test_api_majors_unknown_level_is_ignored_not_an_error(client, level):
    response = client.get(API, {"q": "nkx", "level": level})
    assert response.status_code == 200
    assert response.json()[0]["name"] == "内科学"
