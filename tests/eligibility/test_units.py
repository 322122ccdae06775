"""Unit tests: YearMonth, rule files, public API and dict conversion."""

from __future__ import annotations

import pytest

import yikao.eligibility.ruleset as ruleset
from yikao.eligibility import (
    CATEGORIES,
    CandidateFacts,
    EvaluationSettings,
    Level,
    MonthDay,
    RuleError,
    Status,
    YearMonth,
    editions,
    evaluate,
    load_rules,
    rules_for_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2015-01", (2015, 1)), ("2014-12", (2014, 12)), (" 2002-9 ", (2002, 9)),
     ("2020.07", (2020, 7)), ("2020年7月", (2020, 7))],
)  # fmt: skip
def test_yearmonth_parse_accepts_form_formats(text: str, expected: tuple[int, int]) -> None:
    assert YearMonth.parse(text) == YearMonth(*expected)


@pytest.mark.parametrize(
    "text", ["", "2015", "2015-13", "2015-00", "15-01", "2015-01-01", "abcd-ef"]
)
def test_yearmonth_parse_rejects_bad_input(text: str) -> None:
    with pytest.raises(ValueError, match=r"YYYY-MM|月份"):
        YearMonth.parse(text)


def test_yearmonth_order_arithmetic_and_text() -> None:
    assert YearMonth(2014, 12) < YearMonth(2015, 1)
    assert YearMonth(2024, 9).add_months(11) == YearMonth(2025, 8)
    assert YearMonth(2025, 1).add_months(-1) == YearMonth(2024, 12)
    assert str(YearMonth(2002, 10)) == "2002-10"
    assert YearMonth(2002, 10).chinese() == "2002年10月"
    assert YearMonth.from_index(YearMonth(2023, 8).index) == YearMonth(2023, 8)


def test_monthday_parse_and_month_end() -> None:
    assert MonthDay.parse("08-31").is_month_end(2025)
    assert not MonthDay.parse("08-15").is_month_end(2025)
    assert MonthDay.parse("02-28").is_month_end(2025)
    assert not MonthDay.parse("02-28").is_month_end(2024)
    with pytest.raises(ValueError):
        MonthDay.parse("8/31")


def test_editions_and_years() -> None:
    assert editions() == ("2014", "2022")
    assert rules_for_year(2013) is None
    assert rules_for_year(2014).code == "2014"
    assert rules_for_year(2021).code == "2014"
    assert rules_for_year(2022).code == "2022"
    assert rules_for_year(2030).code == "2022"


@pytest.mark.parametrize("code", ["2014", "2022"])
def test_every_rule_has_a_source(code: str) -> None:
    rules = load_rules(code)
    sources = rules.rule_sources()
    assert len(sources) > 100
    assert all(src.strip() for src in sources.values()), [k for k, v in sources.items() if not v]
    for record in (*rules.bases, *rules.limits):
        assert record.confidence in {"C", "S", "U"}


def test_2022_edition_overrides_only_what_changed() -> None:
    old, new = load_rules("2014"), load_rules("2022")
    times = {t.id: t for t in new.times}
    assert "医师法" in times["time.physician.junior"].source
    assert "执业医师法" in {t.id: t for t in old.times}["time.physician.junior"].source
    assert {lim.id for lim in new.limits} - {lim.id for lim in old.limits} == {
        "secondary.transition",
        "secondary.transition.ended",
    }
    assert new.sections["rural"]["education_categories"] == ["clinical", "tcm", "integrated"]
    assert new.sections["rural"]["institution_kinds"] == ["乡镇卫生院", "村卫生室"]
    assert new.last_exam_year is None and old.last_exam_year == 2021
    assert len(new.bases) == len(old.bases)


def test_bad_rule_file_is_reported(tmp_path, monkeypatch) -> None:
    (tmp_path / "bad.toml").write_text(
        'extends = "2014"\n[edition]\ncode = "bad"\ntitle = "t"\nfirst_exam_year = 2030\n'
        'source = "s"\n[[basis]]\nid = "x"\ntitle = "x"\nsource = ""\ngrants = { nowhere = "nope" }\n',
        "utf-8",
    )
    for name in ("2014.toml", "2022.toml"):
        (tmp_path / name).write_bytes((ruleset.RULES_DIR / name).read_bytes())
    monkeypatch.setattr(ruleset, "RULES_DIR", tmp_path)
    ruleset.load_rules.cache_clear()
    try:
        with pytest.raises(RuleError) as info:
            ruleset.load_rules("bad")
        message = str(info.value)
        assert "缺少来源" in message and "未知类别 nowhere" in message and "nope" in message
    finally:
        ruleset.load_rules.cache_clear()


def test_categories_listing() -> None:
    labels = {c.label for c in CATEGORIES}
    assert {"临床执业医师", "临床执业助理医师", "口腔执业医师", "公共卫生执业助理医师",
            "具有规定学历的中医执业医师", "中西医结合执业助理医师", "中医（壮医）专业执业医师",
            "具有规定学历的蒙医执业医师", "师承或确有专长的中医执业医师",
            "乡村全科执业助理医师"} <= labels  # fmt: skip
    rural = [c for c in CATEGORIES if c.category == "rural_general"]
    assert [c.level for c in rural] == [Level.ASSISTANT]
    assert len(CATEGORIES) == len({(c.category, c.level) for c in CATEGORIES})


def test_applied_category_filters_decisions() -> None:
    facts = CandidateFacts(exam_year=2025, applied_category="dental", applied_level=Level.ASSISTANT)
    decisions = evaluate(facts)
    assert [(d.category, d.level) for d in decisions] == [("dental", Level.ASSISTANT)]
    assert decisions[0].status is Status.UNDECIDED
    assert "教育经历" in decisions[0].missing


def test_empty_facts_are_undecided_not_eligible() -> None:
    decisions = evaluate(CandidateFacts())
    assert decisions and all(d.status is Status.UNDECIDED for d in decisions)
    assert all("报考年份" in d.missing for d in decisions)


def test_dict_round_trips_and_rejects_unknown_fields() -> None:
    data = {
        "exam_year": 2025,
        "education": [{"id": "e1", "level": "本科", "entry": "2015-09", "major_name": "临床医学"}],
        "certificates": [{"type": "执业助理医师", "registered": "2021-05", "level": "assistant"}],
    }
    facts = CandidateFacts.from_dict(data)
    assert facts.education[0].entry == YearMonth(2015, 9)
    assert CandidateFacts.from_dict(facts.to_dict()) == facts
    assert facts.to_dict()["education"][0]["entry"] == "2015-09"
    with pytest.raises(ValueError, match="未知字段"):
        CandidateFacts.from_dict({"exam_yaer": 2025})
    with pytest.raises(ValueError):
        CandidateFacts.from_dict({"education": [{"id": "e1", "level": "博士后"}]})
    options = EvaluationSettings.from_dict({"assistant_cutoff": "08-31", "warn_only": ["a"]})
    assert options.assistant_cutoff == MonthDay(8, 31) and options.warn_only == frozenset({"a"})
    assert EvaluationSettings.from_dict(options.to_dict()) == options
