"""What a registration copies from personal information at submission."""

from yikao.core import crypto
from yikao.core.audit import diff_fields
from yikao.core.masking import mask_id_number
from yikao.eligibility import Decision
from yikao.profiles.models import Certificate, Education, Training, WorkRecord
from yikao.profiles.selectors import profile_of
from yikao.profiles.services import WORK_FIELDS
from yikao.registrations.permits import hmt_permit_of
from yikao.registrations.schema import SNAPSHOT_VERSION, Basic, Snapshot

EDUCATION_FIELDS = [
    "level",
    "degree_type",
    "length_years",
    "study_form",
    "entry_date",
    "graduation_date",
    "school_code",
    "school_name",
    "major_code",
    "major_name",
    "diploma_number",
    "major_direction",
    "verified",
]
TRAINING_FIELDS = [
    "kind",
    "base_name",
    "major_name",
    "start_date",
    "end_date",
    "certificate_number",
    "verified",
]
CERTIFICATE_FIELDS = [
    "cert_type", "issue_date", "number", "registration_date", "registration_number",
    "practice_category", "practice_scope", "verified",
]  # fmt: skip
# The profile's 工作情况 as submitted. Named here as well as in profiles.services, so the
# printed 报名信息表 has 机构类型, 单位地址, 单位邮编 and 试用期考核 whatever that list holds.
WORK_BLOCK_FIELDS = tuple(
    dict.fromkeys(
        (
            *WORK_FIELDS,
            "work_unit_kind",
            "work_unit_address",
            "work_unit_postcode",
            "trial_assessed",
        )
    )
)
# 以往工作经历: every earlier period counts for the trial year (eligibility_web.facts), so all
# of them are copied. Snapshots made before this list have no "work_records" key.
WORK_RECORD_FIELDS = [
    "unit_name", "unit_kind", "post_category", "department", "start_date", "end_date",
    "assessed", "verified",
]  # fmt: skip
MILITARY_LABELS = {"none": "无", "active": "现役军人", "civilian": "军队文职人员"}
# Purposes the snapshot's sealed values are encrypted for: ``<name>_sealed`` is sealed for
# ``snapshot.<name>`` (the key-rotation command relies on this naming).
ID_NUMBER_PURPOSE = "snapshot.id_number"
MOBILE_PURPOSE = "snapshot.mobile"
# The candidate's basic information (基本信息) as the snapshot's basic block names it: what
# staff can correct (accounts.services.candidate_basic_info_correct).
IDENTITY_FIELDS = ("full_name", "id_type", "id_number", "gender", "birth_date")


def _rows(entries, fields) -> list[dict]:
    return [{"id": e.pk, **{f: getattr(e, f) for f in fields}} for e in entries]


def _hmt_permit(draft) -> dict:
    number = hmt_permit_of(draft)
    if not number:
        return {"hmt_permit_masked": "", "hmt_permit_sealed": ""}
    return {
        "hmt_permit_masked": mask_id_number(number),
        "hmt_permit_sealed": crypto.encrypt(number, purpose="snapshot.hmt_permit"),
    }


def identity(candidate) -> dict:
    """The part of the basic block that comes from the candidate's basic information: at
    submission, and again when staff correct it. Personal data stays encrypted inside the
    snapshot too (sealed, and masked for lists)."""
    return {
        "full_name": candidate.full_name,
        "id_type": candidate.id_type_label,
        "id_number_masked": candidate.masked_id_number,
        "id_number_sealed": crypto.encrypt(candidate.id_number, purpose=ID_NUMBER_PURPOSE),
        "gender": candidate.gender_label,
        "birth_date": candidate.birth_date.isoformat(),
    }


def basic(draft, candidate=None) -> dict:
    # Read again (unless given the row read under the candidate's lock, as submission
    # does): a staff correction committed since the draft was loaded must not be lost.
    if candidate is None:
        candidate = type(draft.candidate).objects.get(pk=draft.candidate_id)
    return {
        **identity(candidate),
        "mobile_masked": candidate.masked_mobile,
        # In full on the printed forms, so that the exam site can call the candidate.
        "mobile_sealed": crypto.encrypt(candidate.mobile, purpose=MOBILE_PURPOSE)
        if candidate.mobile
        else "",
        "email": candidate.email,
        "military": MILITARY_LABELS.get(draft.fields.military, "无"),
        **_hmt_permit(draft),
    }


def unseal(basic_block: dict | Basic, name: str) -> str:
    """The full value of ``<name>_sealed`` in a basic block (typed, or the stored dict);
    "" when absent or sealed under a key no longer configured."""
    if isinstance(basic_block, Basic):
        sealed = getattr(basic_block, f"{name}_sealed", "")
    else:
        sealed = basic_block.get(f"{name}_sealed")
    if not sealed:
        return ""
    try:
        return crypto.decrypt(sealed, purpose=f"snapshot.{name}")
    except crypto.DecryptionError:
        return ""


def _identity_values(basic_block: dict, *, masked: bool = False) -> dict:
    """The identity fields of a basic block, comparable with another block's: the full ID
    number, or the masked one when ``masked``."""
    values = {f: basic_block.get(f, "") for f in IDENTITY_FIELDS if f != "id_number"}
    number = "" if masked else unseal(basic_block, "id_number")
    values["id_number"] = number or basic_block.get("id_number_masked", "")
    return values


def identity_correct(snapshot: dict, candidate) -> dict[str, dict]:
    """Replaces, in place, the identity part of the snapshot's basic block with the
    candidate's corrected basic information; the rest of the snapshot (what was submitted)
    stays. Returns the changes as audit rows keep them (ID numbers masked and sealed), empty
    when the block already said the same."""
    block = snapshot.setdefault("basic", {})
    fresh = identity(candidate)
    # A block whose sealed number cannot be read (none yet, or a retired key) is compared
    # by its masked number.
    masked = not unseal(block, "id_number")
    changes = diff_fields(
        _identity_values(block, masked=masked), _identity_values(fresh, masked=masked)
    )
    if changes:
        block.update(fresh)
    return changes


def build(
    draft,
    educations: list[Education],
    trainings: list[Training],
    certificates: list[Certificate],
    *,
    candidate=None,
    work_records: list[WorkRecord] | None = None,
) -> dict:
    """``candidate``: the candidate's row as read under its lock (else it is read again);
    ``work_records``: the earlier work periods when already read (else they are read)."""
    if work_records is None:
        work_records = list(WorkRecord.objects.filter(candidate_id=draft.candidate_id))
    profile = profile_of(draft.candidate)
    built = {
        "version": SNAPSHOT_VERSION,
        "basic": {
            **basic(draft, candidate),
            "ethnicity": profile.ethnicity,
            "id_valid_until": profile.id_valid_until,
        },
        "work": {name: getattr(profile, name) for name in WORK_BLOCK_FIELDS},
        "work_records": _rows(work_records, WORK_RECORD_FIELDS),
        "educations": _rows(educations, EDUCATION_FIELDS),
        "trainings": _rows(trainings, TRAINING_FIELDS),
        "certificates": _rows(certificates, CERTIFICATE_FIELDS),
        "category": {"code": draft.category.code, "label": draft.category.label},
        "exam": {"name": draft.exam.name, "year": draft.exam.year},
    }
    return schema_checked(built)


def schema_checked(built: dict) -> dict:
    """`built` as stored, refused when the schema would read it differently (a field the
    schema does not know would be invisible to every reader)."""
    read = Snapshot.read(built).dump()
    if read != built:
        lost = sorted(
            f"{block}.{key}"
            for block, value in built.items()
            if isinstance(value, dict)
            for key in set(value) ^ set(read.get(block) or {})
        )
        raise ValueError(f"snapshot fields differ from registrations.schema.Snapshot: {lost}")
    return built


def add_ons(draft, decision: Decision) -> list[dict]:
    """The add-ons the engine requires, and the short-line subject the candidate asked for."""
    chosen = [
        {"code": a.code, "label": a.label, "required": a.required}
        for a in decision.addons
        if a.required
    ]
    shortline = draft.fields.shortline
    if shortline:
        chosen.append(
            {
                "code": "shortline",
                "label": f"短线医学专业加试（{shortline}）",
                "required": False,
            }
        )
    return chosen
