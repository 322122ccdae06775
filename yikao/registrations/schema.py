"""The typed, versioned shapes of `Registration.snapshot` and `Draft.data`.

Both are JSON columns. Code reads them through these models (`Registration.snap`,
`Draft.fields`), never by string keys, so a renamed or missing field fails in one place.
Rows written before a version are upgraded on read (`_upgrade_*`); nothing is rewritten
in the database, because a submitted snapshot is the record of what was submitted.

JSON paths that the database itself queries or indexes are listed in QUERIED_PATHS: a
change to one of them needs a migration of the index and of the rows, not only a new
version here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

SNAPSHOT_VERSION = 2
DRAFT_VERSION = 2

# path inside the JSON column → who queries it (keep in step with those queries).
QUERIED_PATHS: dict[str, str] = {
    "snapshot.work.work_unit_code": "index registrations_work_unit; review queue 单位 filter",
    "snapshot.work.work_unit_name": "review queue 单位 search and export column",
    "snapshot.basic.full_name": "appointments roster search (through the registration)",
    "snapshot.basic.id_number_masked": "appointments roster (through the registration)",
}


class _Block(BaseModel):
    # Unknown keys of older or newer writers are ignored on read; `build` output is checked
    # against the model in tests, so nothing the code writes is dropped.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Basic(_Block):
    full_name: str = ""
    id_type: str = ""
    id_number_masked: str = ""
    id_number_sealed: str = ""
    gender: str = ""
    birth_date: str = ""
    mobile_masked: str = ""
    mobile_sealed: str = ""
    email: str = ""
    military: str = "无"
    hmt_permit_masked: str = ""
    hmt_permit_sealed: str = ""
    ethnicity: str = ""
    id_valid_until: str = ""


class Work(_Block):
    work_unit_code: str = ""
    work_unit_name: str = ""
    work_unit_kind: str = ""
    work_unit_address: str = ""
    work_unit_postcode: str = ""
    unit_nature: str = ""
    position: str = ""
    title: str = ""
    title_date: str = ""
    duty_status: str = ""
    post_category: str = ""
    department: str = ""
    work_start: str = ""
    trial_assessed: str = ""


class WorkRecord(_Block):
    id: int | None = None  # the profile entry it was copied from
    unit_name: str = ""
    unit_kind: str = ""
    post_category: str = ""
    department: str = ""
    start_date: str = ""
    end_date: str = ""
    assessed: str = ""
    verified: bool = False


class Education(_Block):
    id: int | None = None  # the profile entry it was copied from
    level: str = ""
    degree_type: str = ""
    length_years: int | None = None
    study_form: str = ""
    entry_date: str = ""
    graduation_date: str = ""
    school_code: str = ""
    school_name: str = ""
    major_code: str = ""
    major_name: str = ""
    diploma_number: str = ""
    major_direction: str = ""
    verified: bool = False


class Training(_Block):
    id: int | None = None  # the profile entry it was copied from
    kind: str = ""
    base_name: str = ""
    major_name: str = ""
    start_date: str = ""
    end_date: str = ""
    certificate_number: str = ""
    verified: bool = False


class Certificate(_Block):
    id: int | None = None  # the profile entry it was copied from
    cert_type: str = ""
    issue_date: str = ""
    number: str = ""
    registration_date: str = ""
    registration_number: str = ""
    practice_category: str = ""
    practice_scope: str = ""
    verified: bool = False


class Category(_Block):
    code: str = ""
    label: str = ""


class ExamRef(_Block):
    name: str = ""
    year: int | None = None


class Snapshot(_Block):
    version: int = SNAPSHOT_VERSION
    basic: Basic = Field(default_factory=Basic)
    work: Work = Field(default_factory=Work)
    work_records: list[WorkRecord] = []
    educations: list[Education] = []
    trainings: list[Training] = []
    certificates: list[Certificate] = []
    category: Category = Field(default_factory=Category)
    exam: ExamRef = Field(default_factory=ExamRef)

    @classmethod
    def read(cls, data: dict[str, Any] | None) -> Snapshot:
        return cls.model_validate(_upgrade_snapshot(dict(data or {})))

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _upgrade_snapshot(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (no "version" key): written before 以往工作经历, 民族 and 证件有效期 were
    copied; the missing blocks read as empty, which is what the candidate had then."""
    if data.get("version", 1) < 2:
        data = {**data, "version": 2}
        data.setdefault("work_records", [])
    return data


class DraftData(_Block):
    """What the wizard has saved so far; each step adds its keys (services.draft_save)."""

    version: int = DRAFT_VERSION
    military: str = "none"
    hmt_permit_sealed: str = ""
    educations: list[int] = []
    trainings: list[int] = []
    certificates: list[int] = []
    area: str = ""
    site: int | None = None
    shortline: str = ""
    photo_sha256: str = ""
    # The returned registration this draft was started from (放弃并重新报名).
    redo_of: int | None = None
    # What was typed on a step left by 上一步, shown again when the step is opened:
    # step key → field → value(s).
    typed: dict[str, dict[str, Any]] = {}

    @classmethod
    def read(cls, data: dict[str, Any] | None) -> DraftData:
        return cls.model_validate(_upgrade_draft(dict(data or {})))

    def merged(self, values: dict[str, Any]) -> DraftData:
        """A copy with `values` set; a key the draft does not hold, or a value of the
        wrong type, is a programming error (KeyError, ValidationError)."""
        unknown = set(values) - set(DraftData.model_fields)
        if unknown:
            raise KeyError(f"not a draft field: {sorted(unknown)}")
        return DraftData.model_validate({**self.dump(), **values})

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _upgrade_draft(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (no "version" key) stored the site as a string in some drafts."""
    if data.get("version", 1) < 2:
        data = {**data, "version": 2}
        site = data.get("site")
        data["site"] = int(site) if isinstance(site, str) and site.isdigit() else site or None
    return data
