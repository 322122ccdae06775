"""From a submitted registration to the PDF library's plain inputs.

Everything printed comes from the registration's snapshot (rule 6 of DESIGN.md): a profile
edited after submission must not change what the forms say was submitted. The registration
row itself adds what belongs to it (number, site, time, the engine's documents).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone

from yikao import eligibility
from yikao.documents.pdf import FORM_TITLES, CandidateInfo, ExamInfo, RegistrationInfo
from yikao.exams.models import Exam
from yikao.profiles.choices import INSTITUTION_KIND_LABELS
from yikao.registrations import schema
from yikao.registrations import snapshot as snapshots
from yikao.registrations.models import Registration

REGISTRATION_FORM = "registration_form"
ASSISTANT_CERTIFICATE = "执业助理医师"
CURRENT_POSTGRADUATE = "当年毕业研究生"

# Label → snapshot key, in print order; empty values are left out of the printed record.
EDUCATION_ROWS = (
    ("学历", "level"), ("学位类型", "degree_type"), ("毕业学校", "school_name"),
    ("专业", "major_name"), ("加注专业方向", "major_direction"), ("学制", "length_years"), ("学习形式", "study_form"),
    ("入学年月", "entry_date"), ("毕业年月", "graduation_date"),
    ("毕业证书编号", "diploma_number"),
)  # fmt: skip
TRAINING_ROWS = (
    ("培训类型", "kind"), ("培训基地", "base_name"), ("培训专业", "major_name"),
    ("起止年月", "period"), ("结业证书编号", "certificate_number"),
)  # fmt: skip
CERTIFICATE_ROWS = (
    ("证书类型", "cert_type"), ("证书编号", "number"), ("发证年月", "issue_date"),
    ("注册年月", "registration_date"), ("注册编号", "registration_number"),
    ("执业类别", "practice_category"), ("执业范围", "practice_scope"),
)  # fmt: skip
WORK_ROWS = (
    ("单位性质", "unit_nature"), ("机构类型", "work_unit_kind"), ("岗位类别", "post_category"),
    ("在岗情况", "duty_status"), ("职务", "position"), ("职称", "title"),
    ("取得职称年月", "title_date"), ("工作起始年月", "work_start_month"),
    ("工作起始日期", "work_start_day"), ("试用期考核", "trial_assessed"),
)  # fmt: skip
# 以往工作经历 (snapshot "work_records"); "period" is made of the start and end dates.
WORK_RECORD_ROWS = (
    ("单位名称", "unit_name"), ("机构类型", "unit_kind"), ("岗位类别", "post_category"),
    ("岗位（科室）", "department"), ("起止日期", "period"), ("试用期考核", "assessed"),
)  # fmt: skip


def applicable_codes(registration: Registration) -> list[str]:
    """The forms this registration prints: 报名申请表 always, then the appendix forms the
    eligibility engine listed at submission, in its order, each once."""
    codes = [REGISTRATION_FORM]
    for document in registration.documents or ():
        code = document.get("code") if isinstance(document, Mapping) else None
        if code and code in FORM_TITLES and code not in codes:
            codes.append(code)
    return codes


def exam_info(registration: Registration) -> ExamInfo:
    snap = registration.snap.exam
    year = int(snap.year or registration.exam.year)
    name = str(snap.name or registration.exam.name)
    # "2027年医师资格考试" → "医师资格考试": the library puts the year in front itself.
    name = name.removeprefix(f"{year}年").strip() or ExamInfo(year=year).name
    return ExamInfo(year=year, name=name, **province_dates(registration.exam, year))


def province_dates(exam: Exam, year: int) -> dict[str, Any]:
    """The days the forms print, from one place: the exam's settings, else the defaults of
    the rule edition in force (rules/*.toml [defaults]) — what the eligibility engine uses
    through ``eligibility_web.facts.exam_settings``, so a form and a reason say the same day."""
    rules = eligibility.rules_for_year(year) or eligibility.load_rules(eligibility.editions()[-1])
    return {
        "graduate_documents_deadline": exam.graduate_documents_deadline
        or rules.postgraduate_deadline,
        "trial_deadline": exam.trial_deadline or str(rules.trial_deadline),
    }


def candidate_info(registration: Registration) -> CandidateInfo:
    snap = registration.snap
    basic, work, category = snap.basic, snap.work, snap.category
    education = used_education(registration)
    assistant = next(
        (c for c in snap.certificates if c.cert_type == ASSISTANT_CERTIFICATE),
        schema.Certificate(),
    )
    graduating = CURRENT_POSTGRADUATE in work.duty_status
    return CandidateInfo(
        name=basic.full_name,
        gender=basic.gender,
        ethnicity=basic.ethnicity,
        birth_month=basic.birth_date[:7],
        id_type=basic.id_type or "居民身份证",
        id_number=id_number(registration),
        id_valid_until=basic.id_valid_until,
        phone=mobile(registration),
        education_level=education.level,
        major=education.major_name,
        school=education.school_name,
        graduation_month=education.graduation_date,
        degree_type=education.degree_type,
        work_unit=work.work_unit_name,
        work_unit_address=work.work_unit_address,
        work_unit_postcode=work.work_unit_postcode,
        work_post=work.department or work.position,
        category=category.label or registration.category.label,
        category_code=category.code or registration.category.code,
        assistant_qualification_no=assistant.number,
        assistant_practice_no=assistant.registration_number,
        trial_start=work.work_start,
        # 附件4: the practice period counts from the 执业助理医师 licence's registration.
        practice_start=assistant.registration_date,
        postgraduate_graduation=education.graduation_date if graduating else "",
    )


def registration_info(
    registration: Registration, *, photo_jpeg: bytes | None = None, qr_url: str = ""
) -> RegistrationInfo:
    snap = registration.snap
    category = snap.category
    trainings = [
        {**t.model_dump(), "period": " 至 ".join(p for p in (t.start_date, t.end_date) if p)}
        for t in snap.trainings
    ]
    return RegistrationInfo(
        registration_number=registration.number,
        category=category.label or registration.category.label,
        category_code=category.code or registration.category.code,
        exam_area=registration.site.area.name,
        exam_site=registration.site.name,
        submitted_at=timezone.localtime(registration.submitted_at),
        printed_on=timezone.localdate(),  # Beijing time (TIME_ZONE), not the server's clock
        education=_records([e.model_dump() for e in snap.educations], EDUCATION_ROWS),
        training=_records(trainings, TRAINING_ROWS),
        certificates=_records([c.model_dump() for c in snap.certificates], CERTIFICATE_ROWS),
        work=_records([_work(snap.work)], WORK_ROWS),
        work_history=_records([_work_record(w) for w in snap.work_records], WORK_RECORD_ROWS),
        photo_jpeg=photo_jpeg or None,
        documents_to_bring=tuple(
            d["label"]
            for d in registration.documents or ()
            if isinstance(d, Mapping) and d.get("label")
        ),
        qr_payload=qr_url,
        shortline_subject=shortline_subject(registration.add_ons),
        basic_extra=basic_extra(registration),
    )


def _work(work: schema.Work) -> dict[str, Any]:
    start = work.work_start  # YYYY-MM, or YYYY-MM-DD where the day is known
    return {
        **work.model_dump(),
        "work_unit_kind": _kind(work.work_unit_kind),
        "work_start_month": start if len(start) <= 7 else "",
        "work_start_day": start if len(start) > 7 else "",
    }


def _work_record(record: schema.WorkRecord) -> dict[str, Any]:
    period = " 至 ".join(p for p in (record.start_date, record.end_date) if p)
    return {**record.model_dump(), "unit_kind": _kind(record.unit_kind), "period": period}


def _kind(value: Any) -> str:
    """An institution kind as the forms name it (县级医院 → 县级及以上医疗机构)."""
    text = _text(value)
    return INSTITUTION_KIND_LABELS.get(text, text)


def basic_extra(registration: Registration) -> tuple[tuple[str, str], ...]:
    """The 基本信息 rows that only some candidates have: 本人身份 for 现役军人 and 军队文职人员,
    the 往来大陆通行证 number of a 台港澳 candidate, and the add-ons they sit (军事医学,
    短线医学专业加试) — staff check each of them at the site review."""
    basic = registration.snap.basic
    rows = []
    if basic.military and basic.military != "无":
        rows.append(("本人身份", basic.military))
    permit = snapshots.unseal(basic, "hmt_permit") or basic.hmt_permit_masked
    if permit:
        rows.append(("往来大陆通行证号码", permit))
    labels = [str(a.get("label", "")) for a in registration.add_ons or () if isinstance(a, Mapping)]
    if any(labels):
        rows.append(("加试", "、".join(label for label in labels if label)))
    return tuple(rows)


def pdf_inputs(
    registration: Registration, *, photo_jpeg: bytes | None = None, qr_url: str = ""
) -> tuple[CandidateInfo, ExamInfo, RegistrationInfo]:
    return (
        candidate_info(registration),
        exam_info(registration),
        registration_info(registration, photo_jpeg=photo_jpeg, qr_url=qr_url),
    )


def id_number(registration: Registration) -> str:
    """The full number as submitted (sealed in the snapshot); the account's own number if
    the snapshot has none. Printed only on the candidate's own forms, never logged."""
    return (
        snapshots.unseal(registration.snap.basic, "id_number") or registration.candidate.id_number
    )


def mobile(registration: Registration) -> str:
    """The full mobile number as submitted (sealed in the snapshot), so that the exam site
    can call the candidate; the masked one for snapshots made before it was sealed.
    Printed only on the candidate's own forms, never logged."""
    basic = registration.snap.basic
    return snapshots.unseal(basic, "mobile") or basic.mobile_masked


def used_education(registration: Registration) -> schema.Education:
    """The education the engine based its decision on, else the first one ticked (an
    empty one when none was)."""
    educations = registration.snap.educations
    chosen = str((registration.eligibility or {}).get("education_id") or "")
    for education in educations:
        if chosen and str(education.id) == chosen:
            return education
    return educations[0] if educations else schema.Education()


def shortline_subject(add_ons: Iterable[Mapping[str, Any]] | None) -> str:
    """The subject of a 短线医学专业加试 add-on: "短线医学专业加试（儿科）" → "儿科"."""
    for add_on in add_ons or ():
        if add_on.get("code") == "shortline":
            found = re.search(r"[（(]([^）)]+)[）)]", str(add_on.get("label", "")))
            return found.group(1) if found else ""
    return ""


def _records(
    rows: Iterable[Mapping[str, Any]] | None, fields: Sequence[tuple[str, str]]
) -> tuple[tuple[tuple[str, str], ...], ...]:
    records = []
    for row in rows or ():
        pairs = tuple((label, _text(row.get(key))) for label, key in fields)
        pairs = tuple((k, f"{v}年" if k == "学制" and v.isdigit() else v) for k, v in pairs)
        pairs = tuple((label, value) for label, value in pairs if value)
        if pairs:
            records.append(pairs)
    return tuple(records)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
