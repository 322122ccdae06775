"""The wizard judges exactly what the engine judges: every decision-table case that a
candidate can express in 个人信息 and the wizard, driven through the real wizard pages
(test client, real database), must give the engine's verdict, reasons, basis, documents,
restrictions and add-ons — and the table's expected verdict.

A case a candidate cannot express is skipped with the reason (`inexpressible`), so the
count of cases driven is visible in the test report.
"""

from __future__ import annotations

import datetime
import importlib.util
import itertools
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from factories import make_candidate, make_photo, resident_id

from yikao import eligibility as el
from yikao.accounts.identity import IdType
from yikao.core.yearmonth import this_month
from yikao.eligibility.plain import facts_from_plain
from yikao.eligibility_web.facts import POST_CODES, exam_settings
from yikao.exams.models import Exam, ExamArea, ExamCategory, ExamSite, SiteCapacity
from yikao.profiles.models import Certificate, Education, Profile, Training, WorkRecord
from yikao.registrations.models import Draft, Registration

_spec = importlib.util.spec_from_file_location(
    "parity_decision_table",
    Path(__file__).parents[1] / "eligibility" / "test_decision_table.py",
)
table = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(table)
CASES, LISTS, case_plain = table.CASES, table.LISTS, table.case_plain

pytestmark = pytest.mark.django_db

_serial = itertools.count(1)
PROFILE_LEVELS = {"研究生": "研究生（硕士）", "本科": "本科", "专科": "专科", "中专": "中专",
                  "职业高中": "职业高中", "其他": "其他"}  # fmt: skip
CERT_NAMES = {code: name for name, code in POST_CODES.items()}
ASSESSED = {True: "合格", False: "不合格", None: ""}
# A postgraduate registers with a bachelor or junior-college entry beside (the wizard's
# rule from the guide); a non-medical one that is no basis for any category.
FILLER_BACHELOR = {
    "id": "filler", "level": "本科", "length_years": 4, "study_form": "全日制",
    "major_name": "生物科学", "entry": "2010-09", "graduation": "2014-07", "school": "河南大学",
}  # fmt: skip
FILLER_SCHOOL = "河南医学院"
FILLER_UNIT = "某医疗机构"


class Inexpressible(Exception):
    """The case holds a fact that no field of 个人信息 or the wizard can carry."""


def need(condition: bool, why: str) -> None:
    if not condition:
        raise Inexpressible(why)


def expressed(case: dict[str, Any]) -> dict[str, Any]:
    """The case as a candidate writes it: checked for what the forms can hold, with the
    fillers the forms require (a school name, a certificate number) that change no
    verdict, and the labels the wizard gives entries."""
    plain = case_plain(case)
    settings = case.get("settings", {})
    need(
        not set(settings) - {"assistant_cutoff", "trial_deadline", "warn_only"},
        f"考试设置 {sorted(set(settings) - {'assistant_cutoff', 'trial_deadline', 'warn_only'})} 不是考试的配置项",
    )
    need(plain.get("identity") is not None, "身份类别由证件类型决定，不能为“不清楚”")
    need(plain.get("military") is not None, "本人身份在向导中必选")
    need(not plain.get("shortline_request"), "短线加试在提交的同一步选择（另有页面测试）")
    need(plain.get("exam_year") is not None, "报名总是针对某一年度的考试")
    for key in LISTS:
        need(plain.get(key) is not None, f"{key} 为“未知”：个人信息中没有条目即为“没有”")

    educations = []
    for entry in plain["education"]:
        for name in ("level", "study_form", "length_years", "entry", "graduation", "major_name"):
            need(entry.get(name) is not None, f"教育经历的 {name} 在个人信息中必填")
        if entry["level"] == "研究生":
            need(entry.get("degree_type") is not None, "研究生的学位类型在个人信息中必填")
        educations.append({**entry, "school": entry.get("school") or FILLER_SCHOOL})
    if any(e["level"] == "研究生" for e in educations) and not any(
        e["level"] in ("本科", "专科") for e in educations
    ):
        educations.append(dict(FILLER_BACHELOR))
    # The profile lists educations by graduation, newest first: the wizard numbers them so.
    order = sorted(
        range(len(educations)),
        key=lambda i: (-int(educations[i]["graduation"].replace("-", "")), i),
    )
    educations = [educations[i] for i in order]
    for number, entry in enumerate(educations, start=1):
        entry["label"] = f"第{number}条教育经历"
        entry["verified"] = False

    works = plain["work"]
    need(sum(1 for w in works if w.get("end") is None) <= 1, "只有一个当前工作单位")
    rows = []
    for work in works:
        kind = work.get("institution_kind")
        military = work.get("military")
        current = work.get("end") is None
        need(kind is not None or current, "以往工作经历的机构类型必填")
        if military:
            need(kind in ("其他", "军队医疗机构"), "军队医疗机构以机构类型表示")
            kind = "军队医疗机构"
        else:
            need(kind != "军队医疗机构" or military is None, "军队医疗机构即军队单位")
        if kind is None:
            need(military is None, "军队单位以机构类型表示")
        if not current:
            need(work.get("start") is not None, "以往工作经历的开始日期必填")
            need(work.get("post_category") is not None, "以往工作经历的岗位类别必填")
        name = work.get("institution") or (FILLER_UNIT if kind else None)
        need(name is not None or current, "单位名称")
        rows.append(
            {
                **work,
                "institution": name,
                "label": name or "当前工作单位",
                "institution_kind": kind,
                "military": None if kind is None else kind == "军队医疗机构",
                "verified": None,
                "current": current,
            }
        )

    certificates = []
    for cert in plain["certificates"]:
        need(cert.get("type") is not None, "证书类型必填")
        need(cert.get("issued") is not None, "发证年月必填")
        need(cert.get("registered_day") is None or cert.get("registered"), "注册日写在注册日期里")
        need(cert["type"] != "执业助理医师（乡镇）", "向导不允许勾选乡镇助理证书（另有页面测试）")
        derived = "assistant" if cert["type"] == "执业助理医师" else None
        need(cert.get("level") == derived, "证书级别由证书类型决定")
        category = cert.get("category")
        need(category is None or category in CERT_NAMES, f"执业类别 {category} 不在个人信息列表中")
        certificates.append({**cert, "verified": False})

    trainings = []
    for training in plain["training"]:
        need(training.get("kind") is not None, "培训类型必填")
        need(training.get("start") and training.get("end"), "培训起止年月必填")
        done = training["end"] <= this_month()
        need(training.get("completed") in (None, done), "已结业由结束年月决定")
        trainings.append(
            {**training, "completed": done, "name": training.get("name") or "某培训基地"}
        )

    return {
        **plain,
        "education": educations,
        "work": rows,
        "certificates": certificates,
        "training": trainings,
        "settings": settings,
    }


def engine_plain(data: dict[str, Any]) -> dict[str, Any]:
    """The expressed case as the engine's plain input, with the wizard's ids."""
    out = {k: v for k, v in data.items() if k != "settings"}
    out["work"] = [{k: v for k, v in w.items() if k not in ("current",)} for w in data["work"]]
    return out


def make_exam_for(year: int, settings: dict[str, Any]) -> tuple[Exam, ExamSite]:
    now = timezone.now()
    exam = Exam.objects.create(
        code=f"parity-{next(_serial)}", name=f"{year}年医师资格考试", year=year,
        window_start=now - datetime.timedelta(days=1), window_end=now + datetime.timedelta(days=10),
        notice="须知", warn_only_rules=list(settings.get("warn_only", [])),
    )  # fmt: skip
    for field in ("assistant_cutoff", "trial_deadline"):
        if field in settings:
            month, day = (int(x) for x in settings[field].split("-"))
            setattr(exam, field, datetime.date(year, month, day))
    exam.save()
    for sort, c in enumerate(el.CATEGORIES):
        ExamCategory.objects.create(
            exam=exam, category=c.category, level=c.level, code=f"{sort:03d}", label=c.label,
            group=c.category_label, sort=sort,
        )  # fmt: skip
    area, _ = ExamArea.objects.get_or_create(code="41", defaults={"name": "河南考区"})
    site = ExamSite.objects.create(area=area, code=f"9{next(_serial):03d}", name="郑州考点")
    SiteCapacity.objects.create(exam=exam, site=site, capacity=10)
    return exam, site


def make_candidate_for(identity: str):
    if identity == "mainland":
        return make_candidate(id_number=resident_id(seq=next(_serial)))
    id_type = IdType.HMT_TRAVEL_PERMIT if identity == "hk_mo_tw" else IdType.PASSPORT
    number = f"H{next(_serial):08d}" if identity == "hk_mo_tw" else f"E{next(_serial):08d}"
    return make_candidate(id_type=id_type, id_number=number)


def fill_profile(candidate, data: dict[str, Any]) -> None:
    current = next((w for w in data["work"] if w["current"]), None)
    graduating = data.get("graduating")
    Profile.objects.create(
        candidate=candidate,
        work_unit_name=(current or {}).get("institution") or "",
        work_unit_kind=(current or {}).get("institution_kind") or "",
        post_category=CERT_NAMES.get((current or {}).get("post_category"), ""),
        department=(current or {}).get("department") or "",
        work_start=_start(current) if current else "",
        trial_assessed=ASSESSED[(current or {}).get("assessed_passed")],
        duty_status={True: "应届毕业生", False: "在岗", None: ""}[graduating],
    )
    for work in data["work"]:
        if work["current"]:
            continue
        record = WorkRecord.objects.create(
            candidate=candidate, unit_name=work["institution"],
            unit_kind=work["institution_kind"], post_category=CERT_NAMES[work["post_category"]],
            department=work.get("department") or "", start_date=_start(work),
            end_date=work["end"], assessed=ASSESSED[work.get("assessed_passed")],
        )  # fmt: skip
        work["id"] = f"w{record.pk}"
    if current:
        current["id"] = "current"
    for entry in data["education"]:
        created = Education.objects.create(
            candidate=candidate, level=PROFILE_LEVELS[entry["level"]],
            degree_type=entry.get("degree_type") or "", length_years=entry["length_years"],
            study_form=entry["study_form"], entry_date=entry["entry"],
            graduation_date=entry["graduation"], school_name=entry["school"],
            major_name=entry["major_name"], major_code=entry.get("major_code") or "",
            major_direction=entry.get("major_direction") or "",
            program_filed=entry.get("program_filed"), diploma_number="D0001",
            upgrade=bool(entry.get("upgrade")), overseas=bool(entry.get("overseas")),
        )  # fmt: skip
        entry["id"] = str(created.pk)
    for cert in data["certificates"]:
        created = Certificate.objects.create(
            candidate=candidate, cert_type=cert["type"], issue_date=cert["issued"], number="C0001",
            registration_date=_registered(cert),
            practice_category=CERT_NAMES.get(cert.get("category"), ""),
        )  # fmt: skip
        cert["id"] = str(created.pk)
    for training in data["training"]:
        created = Training.objects.create(
            candidate=candidate, kind=training["kind"], base_name=training["name"],
            major_name="内科", start_date=training["start"], end_date=training["end"],
        )  # fmt: skip
        training["id"] = str(created.pk)


def _registered(cert: dict[str, Any]) -> str:
    registered, day = cert.get("registered") or "", cert.get("registered_day")
    return f"{registered}-{day:02d}" if registered and day else registered


def _start(work: dict[str, Any]) -> str:
    start = work.get("start") or ""
    day = work.get("start_day")
    if start and len(start) == 7 and day:
        return f"{start}-{day:02d}"
    return start


def step_url(exam, number: int) -> str:
    return reverse("registrations:step", kwargs={"exam_id": exam.pk, "number": number})


def drive_wizard(client, candidate, exam, category, data) -> tuple[str, Any]:
    """Through the pages as the candidate would; ("decision", Decision) from the last step,
    or ("refused", message) when a step refuses before it."""
    client.force_login(candidate.user)
    assert client.post(reverse("registrations:notice", args=[category.pk])).status_code == 302
    basic = {"military": data["military"]}
    if data["identity"] == "hk_mo_tw":
        basic["hmt_permit"] = "H12345678"
    response = client.post(step_url(exam, 1), basic)
    assert response.status_code == 302, response.context["form"].errors
    profile = Profile.objects.get(candidate=candidate)
    work_fields = ("work_unit_code", "work_unit_name", "work_unit_kind", "unit_nature",
                   "duty_status", "post_category", "department", "work_start", "trial_assessed")  # fmt: skip
    response = client.post(
        step_url(exam, 2), {f"work-{name}": getattr(profile, name) for name in work_fields}
    )
    assert response.status_code == 302, response.context["form"].errors
    records = {
        "educations": [e.pk for e in Education.objects.filter(candidate=candidate)],
        "trainings": [t.pk for t in Training.objects.filter(candidate=candidate)],
    }
    response = client.post(step_url(exam, 3), records)
    if response.status_code != 302:
        return "refused", str(response.context["form"].errors)
    if response["Location"] == step_url(exam, 4):
        certificates = [c.pk for c in Certificate.objects.filter(candidate=candidate)]
        response = client.post(step_url(exam, 4), {"certificates": certificates})
        if response.status_code != 302:
            return "refused", str(response.context["form"].errors)
    page = client.get(step_url(exam, 5), {"area": "41"})
    assert page.status_code == 200
    return "decision", page.context["decision"]


def _summary(decision: el.Decision) -> dict[str, Any]:
    return {
        "status": str(decision.status),
        "reasons": sorted(r.text for r in decision.reasons),
        "basis": sorted(decision.basis),
        "documents": sorted(d.label for d in decision.documents),
        "restrictions": sorted(decision.restrictions),
        "addons": sorted(a.code for a in decision.addons),
    }


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_wizard_gives_the_engines_answer(client, case):
    try:
        data = expressed(case)
    except Inexpressible as why:
        pytest.skip(f"不能在个人信息和向导中表达：{why}")
    exam, site = make_exam_for(data["exam_year"], data["settings"])
    category = ExamCategory.objects.get(exam=exam, category=case["category"], level=case["level"])
    candidate = make_candidate_for(data["identity"])
    make_photo(candidate)
    fill_profile(candidate, data)

    expected = next(
        d
        for d in el.evaluate(facts_from_plain(engine_plain(data)), settings=exam_settings(exam))
        if d.category == case["category"] and d.level == case["level"]
    )
    assert str(expected.status) == case["expect"], _summary(expected)

    outcome, result = drive_wizard(client, candidate, exam, category, data)
    if outcome == "refused":
        # A step's own rule (a certificate the route needs) stops the candidate earlier,
        # with the wizard's words: only right when the engine does not admit her either.
        assert expected.status != el.Status.ELIGIBLE, result
        return
    assert _summary(result) == _summary(expected)

    # And the verdict holds at 提交: eligible registers, anything else is refused.
    draft = Draft.objects.get(candidate=candidate)
    client.post(step_url(exam, 5), {"area": "41", "site": site.pk, "token": draft.token})
    registered = Registration.objects.filter(candidate=candidate, exam=exam).exists()
    assert registered == (expected.status == el.Status.ELIGIBLE)
