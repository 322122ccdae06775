"""The typed snapshot and draft (registrations.schema): old rows read, unknown keys are
refused on write, the queried JSON paths exist, and code reads them only through it."""

import re
from pathlib import Path

import pytest

from yikao.registrations import schema
from yikao.registrations.snapshot import schema_checked

ROOT = Path(__file__).resolve().parents[2] / "yikao"

VERSION_1 = {
    "basic": {"full_name": "张三", "id_number_masked": "4101**********0774", "military": "无"},
    "work": {"work_unit_code": "410102000001", "work_unit_name": "郑州市第一人民医院"},
    "educations": [{"id": 3, "level": "本科", "length_years": 5, "verified": True}],
    "trainings": [],
    "certificates": [],
    "category": {"code": "110", "label": "临床执业医师"},
    "exam": {"name": "2025年医师资格考试", "year": 2025},
}


def test_a_version_1_snapshot_reads_with_what_it_did_not_have_as_empty():
    snap = schema.Snapshot.read(VERSION_1)
    assert snap.version == 2
    assert snap.basic.full_name == "张三" and snap.basic.ethnicity == ""
    assert snap.work_records == []
    assert snap.educations[0].length_years == 5 and snap.educations[0].verified is True
    assert snap.exam.year == 2025


def test_an_empty_or_missing_snapshot_reads_as_empty():
    assert schema.Snapshot.read(None).basic.full_name == ""
    assert schema.Snapshot.read({}).educations == []


def test_the_builder_refuses_a_field_the_schema_does_not_know():
    built = schema.Snapshot.read(VERSION_1).dump()
    assert schema_checked(built) is built
    built["work"]["favourite_colour"] = "blue"
    with pytest.raises(ValueError, match=r"work\.favourite_colour"):
        schema_checked(built)


def test_a_version_1_draft_with_the_site_as_text_reads_as_a_number():
    draft = schema.DraftData.read({"site": "12", "educations": [1, 2], "military": "active"})
    assert (draft.site, draft.educations, draft.military) == (12, [1, 2], "active")
    assert schema.DraftData.read({}).site is None


def test_a_draft_takes_only_its_own_keys_and_types():
    draft = schema.DraftData.read({})
    assert draft.merged({"area": "41", "site": 7}).dump()["site"] == 7
    with pytest.raises(KeyError):
        draft.merged({"areas": "41"})
    with pytest.raises(ValueError):
        draft.merged({"site": "not a number"})


@pytest.mark.parametrize("path", sorted(schema.QUERIED_PATHS))
def test_every_queried_path_is_a_field_of_the_schema(path):
    column, *keys = path.split(".")
    assert column == "snapshot"
    model = schema.Snapshot
    for key in keys[:-1]:
        model = model.model_fields[key].annotation
    assert keys[-1] in model.model_fields


# Reading a JSON column by string key outside the schema's owners.
RAW_READ = re.compile(r"\.snapshot\.get\(|\.snapshot\[|draft\.data\.get\(|draft\.data\[")
OWNERS = {Path("registrations/schema.py"), Path("registrations/snapshot.py")}


def test_nothing_reads_the_snapshot_or_the_draft_by_string_key():
    offenders = []
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if rel in OWNERS or "migrations" in rel.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if RAW_READ.search(line):
                offenders.append(f"{rel}:{number}: {line.strip()}")
    for path in ROOT.rglob("*.html"):
        if "registration.snapshot" in path.read_text():
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
