"""The province's dates come from one place (the exam, else the rule edition's defaults):
what the wizard's eligibility reasons say and what the printed forms say agree.

- 附件6 prints the exam's 当年毕业研究生补交证书截止日, the day of the engine's reason;
- 附件7 prints the month the trial year completes, counted as the engine counts it;
- 附件4's period starts at the 执业助理医师 registration, not at the old trial start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import sys
from pathlib import Path

import pytest
from factories import make_bachelor_profile, make_candidate, make_exam

sys.path.insert(0, str(Path(__file__).parent))
from docs_factory import make_registration, submit_registration
from test_pdf_wording import norm, pdf_text

from yikao import eligibility as el
from yikao.documents import mapping
from yikao.documents.pdf import render_form
from yikao.documents.pdf.dates import month_day, trial_year_complete
from yikao.documents.pdf.samples import sample_candidate, sample_exam
from yikao.eligibility.plain import facts_from_plain
from yikao.eligibility_web.facts import candidate_facts, candidate_plain, exam_settings
from yikao.exams.models import Exam, ExamCategory
from yikao.profiles.models import Education, Profile

YEAR = 2027
TRIAL_PLEDGE = re.compile(r"试用期于(\d{4})年(\d{1,2})月累计满12个月")
GRADUATE_PLEDGE = re.compile(r"至(\d{4})年(\d{1,2})月试用期将满一年")


def _physician(exam: Exam) -> ExamCategory:
    return ExamCategory.objects.get(exam=exam, category="clinical", level="physician")


def _reason(decisions: list[el.Decision], rule: str) -> str:
    """The text of ``rule``'s reason in the 临床执业医师 decision ("" when it has none)."""
    decision = next(d for d in decisions if d.label == "临床执业医师")
    return next((r.text for r in decision.reasons if r.rule == rule), "")


def _wizard_reasons(candidate, exam: Exam) -> list[el.Decision]:
    """What the wizard and the self-check page answer: the profile's facts, the exam's settings."""
    facts = candidate_facts(candidate, exam_year=exam.year, category=_physician(exam))
    return el.evaluate(facts, settings=exam_settings(exam))


def _printed(registration, code: str) -> str:
    candidate, exam, info = mapping.pdf_inputs(registration)
    return norm(pdf_text(render_form(code, candidate=candidate, exam=exam, registration=info)))


# ---- 附件6: the graduate deadline ------------------------------------------------------


def _current_postgraduate(exam: Exam):
    """A bachelor in a trial post who finishes a 专业学位 master's this year: the engine asks
    for 附件6."""
    candidate = make_candidate()
    make_bachelor_profile(candidate)
    Profile.objects.filter(candidate=candidate).update(duty_status="当年毕业研究生")
    Education.objects.create(
        candidate=candidate, level="研究生（硕士）", degree_type="专业学位", length_years=3,
        study_form="全日制", entry_date=f"{exam.year - 3}-09", graduation_date=f"{exam.year}-06",
        school_code="4141010459", school_name="郑州大学", major_code="105101",
        major_name="临床医学",
    )  # fmt: skip
    return candidate


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("deadline", "printed"),
    [(dt.date(YEAR, 8, 1), "8月1日"), (dt.date(YEAR, 7, 15), "7月15日"), (None, "8月31日")],
)
def test_wizard_reason_and_postgraduate_pledge_agree_on_the_graduate_deadline(deadline, printed):
    exam = make_exam(year=YEAR)
    exam.graduate_documents_deadline = deadline
    exam.save()
    candidate = _current_postgraduate(exam)

    reason = _reason(_wizard_reasons(candidate, exam), "postgraduate.pledge")
    assert f"须于{printed}前将毕业证书、学位证书交考点办公室" in reason

    registration = submit_registration(candidate, exam)
    assert "postgraduate_pledge" in mapping.applicable_codes(registration)
    assert f"须于{printed}前" in str(registration.eligibility)  # the reason kept at submission
    text = _printed(registration, "postgraduate_pledge")
    assert f"并承诺将于今年{printed}前，将《毕业证书》、《学位证书》及时交考点办公室。" in text
    if printed != "8月1日":
        assert "8月1日" not in text  # never the Henan seed's day unless the exam says so


@pytest.mark.django_db
def test_exam_info_takes_the_exams_days_else_the_rule_defaults():
    registration = make_registration(year=YEAR)
    exam = registration.exam
    info = mapping.exam_info(registration)
    rules = el.rules_for_year(YEAR)
    assert info.graduate_documents_deadline == rules.postgraduate_deadline == "8月31日"
    assert month_day(info.trial_deadline) == rules.trial_deadline.chinese() == "8月31日"
    exam.graduate_documents_deadline = dt.date(YEAR, 8, 1)
    exam.trial_deadline = dt.date(YEAR, 7, 31)
    exam.save()
    registration.refresh_from_db()
    info = mapping.exam_info(registration)
    assert info.graduate_documents_deadline == dt.date(YEAR, 8, 1)
    assert info.trial_deadline == dt.date(YEAR, 7, 31)


def test_postgraduate_pledge_prints_the_exams_day_and_a_blank_when_unknown():
    exam = dataclasses.replace(sample_exam(), graduate_documents_deadline="07-20")
    text = norm(
        pdf_text(render_form("postgraduate_pledge", candidate=sample_candidate(), exam=exam))
    )
    assert "并承诺将于今年7月20日前" in text
    exam = dataclasses.replace(sample_exam(), graduate_documents_deadline="")
    text = norm(
        pdf_text(render_form("postgraduate_pledge", candidate=sample_candidate(), exam=exam))
    )
    assert "并承诺将于今年前，将《毕业证书》" in text  # an underlined blank to fill in


@pytest.mark.django_db
def test_demo_exam_has_the_henan_days():
    from django.core.management import call_command

    call_command("load_exam_demo", stdout=io.StringIO())
    exam = Exam.objects.get(code="yszg-2027")
    assert exam.graduate_documents_deadline == dt.date(exam.year, 8, 1)
    assert exam.trial_deadline == dt.date(exam.year, 8, 31)
    assert exam_settings(exam).graduate_documents_deadline == el.MonthDay(8, 1)


# ---- 附件7: the month the trial year completes ----------------------------------------


def test_trial_year_complete_counts_from_the_start_month_or_the_next():
    assert trial_year_complete("2024-08") == ("2025", "7")
    assert trial_year_complete("2024-08-01") == ("2025", "7")
    assert trial_year_complete("2024-08-15") == ("2025", "8")
    assert trial_year_complete(dt.date(2024, 12, 2)) == ("2025", "12")
    assert trial_year_complete("") == ("", "")


def _engine_month(data: dict, start: str, exam: Exam) -> tuple[str, str] | None:
    data["work"][0]["start"] = start
    reason = _reason(
        el.evaluate(facts_from_plain(data), settings=exam_settings(exam)), "trial.pledge"
    )
    found = TRIAL_PLEDGE.search(reason)
    return (found.group(1), found.group(2)) if found else None


@pytest.mark.django_db
def test_trial_year_complete_is_the_engines_month_for_every_start_day():
    """Every start day from March to September of the year before the exam: whenever the
    engine names the month the trial year completes, the form's function names the same."""
    exam = make_exam(year=YEAR)
    candidate = make_candidate()
    make_bachelor_profile(candidate, graduation=f"{YEAR - 1}-06")
    data = candidate_plain(
        candidate, exam_year=YEAR, educations=Education.objects.filter(candidate=candidate),
        trainings=[], certificates=[], work_records=[], category=_physician(exam),
    )  # fmt: skip
    compared = 0
    day = dt.date(YEAR - 1, 3, 1)
    while day < dt.date(YEAR - 1, 10, 1):
        for start in (day.isoformat(), day.isoformat()[:7]) if day.day == 1 else (day.isoformat(),):
            engine = _engine_month(data, start, exam)
            if engine is not None:
                assert trial_year_complete(start) == engine, start
                compared += 1
        day += dt.timedelta(days=1)
    assert compared > 150  # the engine named a month for most of them


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("work_start", "month"),
    [(f"{YEAR - 1}-08", "2027年7月"), (f"{YEAR - 1}-08-01", "2027年7月"),
     (f"{YEAR - 1}-08-15", "2027年8月"), (f"{YEAR - 1}-03", "2027年2月")],
)  # fmt: skip
def test_graduate_pledge_prints_the_engines_month(work_start, month):
    exam = make_exam(year=YEAR)
    candidate = make_candidate()
    make_bachelor_profile(candidate, graduation=f"{YEAR - 1}-06", work_start=work_start)

    reason = _reason(_wizard_reasons(candidate, exam), "trial.pledge")
    assert f"试用期于{month}累计满12个月" in reason

    registration = submit_registration(candidate, exam)
    text = _printed(registration, "graduate_pledge")
    y, m = GRADUATE_PLEDGE.search(text).groups()
    assert f"{y}年{m}月" == month
    assert f"自{work_start[:4]}年{int(work_start[5:7])}月起" in text


# ---- 附件4: the practice period starts at the 助理 registration -------------------------


@pytest.mark.django_db
def test_practice_certificate_counts_from_the_assistant_registration():
    registration = make_registration(year=YEAR)  # work_start 2024-08: the old trial
    registration.snapshot["certificates"] = [
        {"cert_type": "执业助理医师", "number": "Q123", "registration_number": "P456",
         "issue_date": "2020-12", "registration_date": "2021-03", "practice_category": "临床"}
    ]  # fmt: skip
    candidate = mapping.candidate_info(registration)
    assert candidate.practice_start == "2021-03"
    assert candidate.trial_start == "2024-08"  # 附件3 and 附件7 keep the trial
    text = _printed(registration, "practice_certificate")
    assert "工作起止时间（2021）年（3）月至（）年（）月" in text
    assert "（2024）年（8）月" not in text  # not the trial start (work_start)


def test_practice_certificate_does_not_print_the_trial_start():
    c = dataclasses.replace(sample_candidate(), trial_start="2019-08", practice_start="")
    text = norm(pdf_text(render_form("practice_certificate", candidate=c, exam=sample_exam())))
    assert "工作起止时间（）年（）月至（）年（）月" in text and "（2019）年" not in text
    trial = norm(pdf_text(render_form("trial_certificate", candidate=c, exam=sample_exam())))
    assert "（2019）年（8）月至" in trial
