"""The forms' fixed wording matches the seed (附件3–附件11); the filled-in values match the input."""

from __future__ import annotations

import dataclasses
import io
import re
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from yikao.documents.pdf import FORM_CODES, FORM_TITLES, ExamInfo, render_form, render_forms
from yikao.documents.pdf.samples import sample_candidate, sample_exam, sample_registration
from yikao.documents.pdf.wording import MODULES

SEED = Path(__file__).resolve().parents[2] / "docs" / "seed" / "registration-guide.txt"
SEED_YEAR, SEED_SITE = 2025, "郑州考点"
APPENDIX_FORMS = [code for code, m in MODULES.items() if m.APPENDIX]


def norm(text: str) -> str:
    """Whitespace (spaces, NBSP, tabs, newlines) carries no meaning in the comparison."""
    return re.sub(r"\s+", "", text)


@cache
def seed_sections() -> dict[str, str]:
    text = SEED.read_text(encoding="utf-8")
    parts = re.split(r"(?m)^\s*(附件\d+)\s*$", text)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def pdf_text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


@cache
def rendered(code: str, year: int = 2026) -> str:
    exam = dataclasses.replace(sample_exam(), year=year)
    pdf = render_form(
        code, candidate=sample_candidate(), exam=exam, registration=sample_registration()
    )
    return pdf_text(pdf)


def test_seed_has_every_appendix_form():
    sections = seed_sections()
    assert {MODULES[c].APPENDIX for c in APPENDIX_FORMS} == {f"附件{n}" for n in range(3, 12)}
    assert set(sections) >= {f"附件{n}" for n in range(3, 12)}


def test_form_titles_cover_the_ten_codes():
    assert set(FORM_CODES) == {
        "registration_form",
        "trial_certificate",
        "practice_certificate",
        "shortline_application",
        "postgraduate_pledge",
        "graduate_pledge",
        "five_year_consent",
        "rural_consent",
        "rural_legal_pledge",
        "exam_pledge",
    }
    assert FORM_TITLES["trial_certificate"] == "医师资格考试试用期考核证明"
    assert FORM_TITLES["exam_pledge"] == "考试承诺书（样本）"


@pytest.mark.parametrize("code", APPENDIX_FORMS)
def test_fixed_wording_is_the_seeds(code):
    module = MODULES[code]
    seed = norm(seed_sections()[module.APPENDIX])
    for sentence in module.FIXED_TEXT:
        assert norm(sentence.format(year=SEED_YEAR, site=SEED_SITE)) in seed, sentence


@pytest.mark.parametrize("code", APPENDIX_FORMS)
def test_fixed_wording_is_printed_with_the_exams_year_and_site(code):
    module = MODULES[code]
    text = norm(rendered(code, 2031))
    site = sample_registration().exam_site
    for sentence in module.FIXED_TEXT:
        assert norm(sentence.format(year=2031, site=site)) in text, sentence


def test_year_in_the_text_is_the_exams_never_the_seeds():
    c = dataclasses.replace(
        sample_candidate(), graduation_month="2029-06", trial_start="2029-07", trial_end="2030-06"
    )
    r = dataclasses.replace(
        sample_registration(), submitted_at="2031-01-15 10:32", education=(), training=()
    )
    pdf = render_forms(
        list(FORM_CODES), candidate=c, exam=ExamInfo(year=2031, name="医师资格考试"), registration=r
    )
    text = norm(pdf_text(pdf))
    assert "2025" not in text
    assert "2031年医师资格考试短线医学专业加试申请表" in text
    assert "本人自愿申请参加2031年医师资格考试短线医学专业加试。" in text
    assert "我是参加2031年国家医师资格考试的考生" in text
    assert "2031年医师资格考试报名申请表" in text


def test_exam_pledge_names_the_candidates_site_not_zhengzhou():
    r = dataclasses.replace(sample_registration(), exam_site="洛阳考点")
    pdf = render_form(
        "exam_pledge", candidate=sample_candidate(), exam=sample_exam(), registration=r
    )
    text = norm(pdf_text(pdf))
    assert "5.严格遵守洛阳考点国家医师资格考试考生须知中所有规定。" in text
    assert "郑州" not in text.replace("郑州市第一人民医院", "")


def test_exam_pledge_without_registration_leaves_the_site_blank():
    pdf = render_form("exam_pledge", candidate=sample_candidate(), exam=sample_exam())
    assert "5.严格遵守考点国家医师资格考试考生须知中所有规定。" in norm(pdf_text(pdf))


C = sample_candidate()
FILLED = {
    "trial_certificate": [C.name, C.id_number, C.major, C.work_unit, C.work_unit_address,
                          "临床执业医师（110）", "2034年8月1日", "1999-05", "2025-06"],
    "practice_certificate": [C.name, C.id_number, C.assistant_qualification_no,
                             C.assistant_practice_no, C.work_unit, "临床执业医师（110）"],
    "shortline_application": [C.name, C.id_number, C.work_unit, C.work_post],
    "postgraduate_pledge": [f"本人为{C.school}学校{C.major}专业", "并将于2026年6月30日毕业",
                            C.id_number, C.phone],
    "graduate_pledge": [f"本人于2025年6月日毕业于{C.school}学校{C.major}专业",
                        f"自2025年7月起，在{C.work_unit}单位试用，至2026年6月试用期将满一年",
                        C.id_number, C.phone],
    "exam_pledge": [f"甲方：{C.work_unit}单位", f"乙方：{C.name}考生", "严格遵守郑州考点国家"],
    "registration_form": [C.name, C.id_number, C.school, C.phone, C.work_unit, "2026410100012345",
                          "临床执业医师（110）", "河南省", "郑州考点", "2026年医师资格考试",
                          "住院医师规范化培训", "请携带以下材料", "1.网上报名成功通知单（本表）",
                          "7.考试承诺书", "2026-01-1510:32"],
}  # fmt: skip


@pytest.mark.parametrize("code", sorted(FILLED))
def test_filled_in_values_are_the_inputs(code):
    text = norm(rendered(code))
    for value in FILLED[code]:
        assert norm(value) in text, value


def test_registration_form_prints_the_seeds_warning_about_checking_the_entry():
    seed = norm(SEED.read_text(encoding="utf-8"))
    warning = MODULES["registration_form"].CHECK
    assert norm(warning) in seed
    assert norm(warning) in norm(rendered("registration_form"))
