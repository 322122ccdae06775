"""The 报名信息表 prints what the candidate filled in: 单位地址, 单位邮编, 证件有效期, 机构类型,
试用期考核, the earlier work periods (以往工作经历) and the education's 加注专业方向 — from the
snapshot, and older snapshots without them still print."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest
from factories import make_bachelor_profile, make_candidate, make_exam

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration, submit_registration
from test_pdf_wording import norm, pdf_text

from yikao.documents import mapping
from yikao.documents.pdf import render_form
from yikao.profiles.models import Education, Profile, WorkRecord

pytestmark = pytest.mark.django_db

WORK = {
    "work_unit_kind": "县级医院",
    "work_unit_address": "河南省郑州市二七区解放路56号",
    "work_unit_postcode": "450000",
    "trial_assessed": "合格",
    "department": "内科",
    "id_valid_until": "2036-05-20",
}


def full_registration():
    candidate = make_candidate(full_name="赵六")
    make_bachelor_profile(candidate, work_start="2024-08-15")
    Profile.objects.filter(candidate=candidate).update(**WORK)
    # A 加注专业方向 counts for an entry before 2010 (2014版 第六条（二）5).
    Education.objects.filter(candidate=candidate).update(
        major_direction="眼耳鼻喉方向", entry_date="2009-09", graduation_date="2014-06"
    )
    WorkRecord.objects.create(
        candidate=candidate, unit_name="开封市中心医院", unit_kind="县级医院",
        post_category="临床", department="外科", start_date="2023-08-01",
        end_date="2024-07-31", assessed="合格",
    )  # fmt: skip
    fresh = type(candidate).objects.get(pk=candidate.pk)  # not the cached, older profile
    return submit_registration(fresh, make_exam())


def printed(registration) -> str:
    candidate, exam, info = mapping.pdf_inputs(registration)
    pdf = render_form("registration_form", candidate=candidate, exam=exam, registration=info)
    return pdf_text(pdf)


def test_the_snapshot_keeps_the_new_fields():
    snap = full_registration().snapshot
    assert snap["basic"]["id_valid_until"] == "2036-05-20"
    work = snap["work"]
    assert (work["work_unit_kind"], work["trial_assessed"]) == ("县级医院", "合格")
    assert (work["work_unit_address"], work["work_unit_postcode"]) == (
        WORK["work_unit_address"],
        "450000",
    )
    assert snap["educations"][0]["major_direction"] == "眼耳鼻喉方向"
    [record] = snap["work_records"]
    assert {k: record[k] for k in ("unit_name", "unit_kind", "start_date", "end_date")} == {
        "unit_name": "开封市中心医院",
        "unit_kind": "县级医院",
        "start_date": "2023-08-01",
        "end_date": "2024-07-31",
    }


def test_the_inputs_carry_the_rows():
    registration = full_registration()
    c, _, r = mapping.pdf_inputs(registration)
    assert (c.work_unit_address, c.work_unit_postcode) == (WORK["work_unit_address"], "450000")
    assert c.id_valid_until == "2036-05-20"
    work = dict(r.work[0])
    assert work["机构类型"] == "县级及以上医疗机构"  # as the forms name it
    assert work["试用期考核"] == "合格"
    assert work["工作起始日期"] == "2024-08-15" and "工作起始年月" not in work
    assert dict(r.education[0])["加注专业方向"] == "眼耳鼻喉方向"
    assert [dict(x) for x in r.work_history] == [
        {
            "单位名称": "开封市中心医院",
            "机构类型": "县级及以上医疗机构",
            "岗位类别": "临床",
            "岗位（科室）": "外科",
            "起止日期": "2023-08-01 至 2024-07-31",
            "试用期考核": "合格",
        }
    ]


def test_the_registration_form_prints_every_row_that_has_data():
    text = norm(printed(full_registration()))
    for label, value in [
        ("证件有效期", "2036年5月20日"),
        ("单位地址", WORK["work_unit_address"]),
        ("单位邮编", "450000"),
        ("机构类型", "县级及以上医疗机构"),
        ("试用期考核", "合格"),
        ("加注专业方向", "眼耳鼻喉方向"),
    ]:
        assert norm(label + value) in text, (label, value)
    # 以往工作经历: a header row, then one row per period
    assert (
        "以往工作经历单位名称机构类型岗位类别岗位（科室）起止日期试用期考核"
        "开封市中心医院县级及以上医疗机构临床外科2023-08-01至2024-07-31合格"
    ) in text


def test_a_long_term_id_prints_as_such():
    registration = full_registration()
    registration.snapshot["basic"]["id_valid_until"] = "长期"
    assert "证件有效期长期" in norm(printed(registration))


def test_an_older_snapshot_without_the_new_fields_still_prints():
    registration = make_registration()
    snap = registration.snapshot
    snap["basic"].pop("id_valid_until", None)
    snap.pop("work_records", None)
    for name in ("work_unit_kind", "work_unit_address", "work_unit_postcode", "trial_assessed"):
        snap["work"].pop(name, None)
    for education in snap["educations"]:
        education.pop("major_direction", None)
    c, _, r = mapping.pdf_inputs(registration)
    assert (c.id_valid_until, c.work_unit_address, c.work_unit_postcode) == ("", "", "")
    assert r.work_history == ()
    text = norm(printed(registration))
    assert "以往工作经历" not in text and "单位地址" not in text
    assert "郑州市第一人民医院" in text


def test_a_full_registration_form_stays_on_one_page():
    """Every section filled (an earlier period, a certificate, the engine's list of papers):
    the form and its footer (papers to bring, the warning, the signature) share one page."""
    from pypdf import PdfReader

    registration = full_registration()
    registration.snapshot["certificates"] = [
        {"cert_type": "执业助理医师", "number": "Q123", "registration_number": "P456",
         "issue_date": "2020-12", "registration_date": "2021-03", "practice_category": "临床"}
    ]  # fmt: skip
    candidate, exam, info = mapping.pdf_inputs(registration, qr_url="https://example.org/q/x")
    assert len(info.documents_to_bring) >= 7
    pdf = render_form("registration_form", candidate=candidate, exam=exam, registration=info)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
