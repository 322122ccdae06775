"""Loading the rule editions (TOML) into typed, validated records."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .facts import Level
from .yearmonth import MonthDay, YearMonth

RULES_DIR = Path(__file__).parent / "rules"
_KEYED_ARRAYS = {"basis": "id", "limit": "id", "time": "id", "categories": "code"}
_SECTIONS = ("rural", "west_learns_tcm", "military", "shortline")


class RuleError(ValueError):
    """A rule file is malformed or refers to something that does not exist."""


def normalize_name(name: str) -> str:
    text = re.sub(r"\s+", "", name).replace("（", "(").replace("）", ")")
    return text.removesuffix("专业") if len(text) > 2 else text


def normalize_code(code: str) -> str:
    return re.sub(r"[A-Za-z]+$", "", code.strip()).upper()


@dataclass(frozen=True)
class MajorSet:
    key: str
    names: frozenset[str]
    codes: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()

    def has_name(self, name: str) -> bool:
        return name in self.names or any(part in name for part in self.contains)

    def has_code(self, code: str) -> bool:
        return code in self.codes or any(code.startswith(p) for p in self.prefixes)


@dataclass(frozen=True)
class CategoryDef:
    code: str
    label: str
    levels: tuple[Level, ...]
    posts: tuple[str, ...]
    source: str
    assistant_cert_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class Basis:
    id: str
    title: str
    grants: dict[str, str]
    source: str
    levels: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    degree: str | None = None
    min_years: int | None = None
    min_years_forms: tuple[str, ...] = ("全日制",)
    entry_from: YearMonth | None = None
    entry_to: YearMonth | None = None
    entry_from_day: int | None = None
    schools: tuple[str, ...] = ()
    grant_levels: tuple[Level, ...] = (Level.PHYSICIAN, Level.ASSISTANT)
    restrictions: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    trial_months: dict[str, int] = field(default_factory=dict)
    documents: tuple[str, ...] = ()
    confidence: str = "C"


@dataclass(frozen=True)
class Limit:
    id: str
    effect: str  # invalid / warn / restrict / prior_assistant / upgrade_match
    text: str
    source: str
    levels: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    degree: str | None = None
    entry_from: YearMonth | None = None
    entry_to: YearMonth | None = None
    majors: str | None = None
    not_majors: tuple[str, ...] = ()
    has_direction: bool | None = None
    upgrade: bool | None = None
    program_filed: bool | None = None
    exam_year_from: int | None = None
    exam_year_to: int | None = None
    restrictions: tuple[str, ...] = ()
    trial_institutions: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    at_levels: tuple[Level, ...] = ()  # restrict only when applying for these levels
    confidence: str = "C"


@dataclass(frozen=True)
class TimeRule:
    id: str
    level: Level
    education_levels: tuple[str, ...]
    source: str
    trial_months: int | None = None
    assistant_years: int | None = None


@dataclass(frozen=True)
class DocGroup:
    key: str
    labels: tuple[str, ...]
    forms: tuple[str, ...]
    source: str


@dataclass(frozen=True, eq=False)
class RuleSet:
    code: str
    title: str
    source: str
    first_exam_year: int
    last_exam_year: int | None
    trial_deadline: MonthDay
    assistant_cutoff: MonthDay
    registration_month: int
    postgraduate_deadline: str
    level_labels: dict[Level, str]
    categories: tuple[CategoryDef, ...]
    majors: dict[str, MajorSet]
    bases: tuple[Basis, ...]
    limits: tuple[Limit, ...]
    times: tuple[TimeRule, ...]
    checks: dict[str, tuple[str, str]]  # id -> (text, source)
    forms: dict[str, tuple[str, str]]  # code -> (label, appendix)
    documents: dict[str, DocGroup]
    sections: dict[str, dict[str, Any]]

    def category(self, code: str) -> CategoryDef | None:
        return next((c for c in self.categories if c.code == code), None)

    def label(self, category: str, level: Level) -> str:
        cat = self.category(category)
        return f"{cat.label if cat else category}{self.level_labels[level]}"

    @property
    def all_known_names(self) -> frozenset[str]:
        return _known_names(self)

    def rule_sources(self) -> dict[str, str]:
        """Every rule id with its source, for audits and tests."""
        out: dict[str, str] = {}
        for rec in (*self.bases, *self.limits, *self.times):
            out[rec.id] = rec.source
        for cat in self.categories:
            out[f"category.{cat.code}"] = cat.source
        for key, (_, src) in self.checks.items():
            out[f"check.{key}"] = src
        for key, group in self.documents.items():
            out[f"documents.{key}"] = group.source
        for key, section in self.sections.items():
            if key == "identity":
                out |= {f"identity.{k}": v.get("source", "") for k, v in section.items()}
            else:
                out[key] = section.get("source", "")
        return out


@cache
def _known_names(rules: RuleSet) -> frozenset[str]:
    return frozenset(n for m in rules.majors.values() for n in m.names)


def _ym(value: Any) -> YearMonth | None:
    return None if value is None else YearMonth.parse(value)


def _read(code: str, seen: tuple[str, ...] = ()) -> dict[str, Any]:
    path = RULES_DIR / f"{code}.toml"
    if not path.exists():
        raise RuleError(f"规则版本不存在：{code}")
    if code in seen:
        raise RuleError(f"规则版本循环继承：{' → '.join((*seen, code))}")
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    parent = data.get("extends")
    return _merge(_read(parent, (*seen, code)), data) if parent else data


def _merge(base: dict[str, Any], child: dict[str, Any], top: bool = True) -> dict[str, Any]:
    out = dict(base)
    removed = set(child.get("remove", ()))
    for key, value in child.items():
        if key in ("extends", "remove"):
            continue
        if top and key in _KEYED_ARRAYS:
            ident = _KEYED_ARRAYS[key]
            merged = {r[ident]: r for r in base.get(key, [])}
            merged.update({r[ident]: r for r in value})
            out[key] = list(merged.values())
        elif top and key == "edition":  # each file describes itself; never inherited
            out[key] = value
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, top=False)
        else:
            out[key] = value
    if top:
        for key, ident in _KEYED_ARRAYS.items():
            out[key] = [r for r in out.get(key, []) if r[ident] not in removed]
    return out


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value or ())


def _build(data: dict[str, Any]) -> RuleSet:
    ed, df = data["edition"], data["defaults"]
    majors = {
        key: MajorSet(
            key=key,
            names=frozenset(normalize_name(n) for n in m.get("names", ())),
            codes=frozenset(normalize_code(c) for c in m.get("codes", ())),
            prefixes=_tuple(m.get("prefixes")),
            contains=_tuple(m.get("contains")),
        )
        for key, m in data["majors"].items()
    }
    categories = tuple(
        CategoryDef(
            code=c["code"],
            label=c["label"],
            levels=tuple(Level(x) for x in c["levels"]),
            posts=_tuple(c["posts"]),
            source=c["source"],
            assistant_cert_for=_tuple(c.get("assistant_cert_for")),
        )
        for c in data["categories"]
    )
    bases = tuple(
        Basis(
            **{k: v for k, v in b.items() if k not in _BASIS_SPECIAL},
            levels=_tuple(b.get("levels")),
            forms=_tuple(b.get("forms")),
            min_years_forms=_tuple(b.get("min_years_forms", ("全日制",))),
            entry_from=_ym(b.get("entry_from")),
            entry_to=_ym(b.get("entry_to")),
            schools=_tuple(b.get("schools")),
            grant_levels=tuple(Level(x) for x in b.get("grant_levels", ("physician", "assistant"))),
            restrictions=_tuple(b.get("restrictions")),
            warnings=_tuple(b.get("warnings")),
            certificates=_tuple(b.get("certificates")),
            documents=_tuple(b.get("documents")),
        )
        for b in data["basis"]
    )
    limits = tuple(
        Limit(
            **{k: v for k, v in lim.items() if k not in _LIMIT_SPECIAL},
            levels=_tuple(lim.get("levels")),
            forms=_tuple(lim.get("forms")),
            entry_from=_ym(lim.get("entry_from")),
            entry_to=_ym(lim.get("entry_to")),
            not_majors=_tuple(lim.get("not_majors")),
            restrictions=_tuple(lim.get("restrictions")),
            trial_institutions=_tuple(lim.get("trial_institutions")),
            documents=_tuple(lim.get("documents")),
            at_levels=tuple(Level(x) for x in lim.get("at_levels", ())),
        )
        for lim in data["limit"]
    )
    times = tuple(
        TimeRule(
            id=t["id"],
            level=Level(t["level"]),
            education_levels=_tuple(t["education_levels"]),
            source=t["source"],
            trial_months=t.get("trial_months"),
            assistant_years=t.get("assistant_years"),
        )
        for t in data["time"]
    )
    rules = RuleSet(
        code=ed["code"],
        title=ed["title"],
        source=ed["source"],
        first_exam_year=ed["first_exam_year"],
        last_exam_year=ed.get("last_exam_year"),
        trial_deadline=MonthDay.parse(df["trial_deadline"]),
        assistant_cutoff=MonthDay.parse(df["assistant_cutoff"]),
        registration_month=df["registration_month"],
        postgraduate_deadline=df["postgraduate_deadline"],
        level_labels={Level(k): v for k, v in data["levels"].items()},
        categories=categories,
        majors=majors,
        bases=bases,
        limits=limits,
        times=times,
        checks={k: (v["text"], v["source"]) for k, v in data["checks"].items()},
        forms={k: (v["label"], v["appendix"]) for k, v in data["forms"].items()},
        documents={
            k: DocGroup(k, _tuple(v.get("labels")), _tuple(v.get("forms")), v["source"])
            for k, v in data["documents"].items()
        },
        sections={k: data[k] for k in _SECTIONS} | {"identity": data["identity"]},
    )
    _validate(rules)
    return rules


_BASIS_SPECIAL = {
    "levels", "forms", "min_years_forms", "entry_from", "entry_to", "schools", "grant_levels",
    "restrictions", "warnings", "certificates", "documents",
}  # fmt: skip
_LIMIT_SPECIAL = {
    "levels", "forms", "entry_from", "entry_to", "not_majors", "restrictions",
    "trial_institutions", "documents", "at_levels",
}  # fmt: skip
_EFFECTS = {"invalid", "warn", "restrict", "prior_assistant", "upgrade_match"}


def _validate(rules: RuleSet) -> None:
    cats = {c.code for c in rules.categories}
    problems: list[str] = []
    for rule_id, source in rules.rule_sources().items():
        if not source or not source.strip():
            problems.append(f"{rule_id}: 缺少来源（source）")
    for b in rules.bases:
        for cat, major in b.grants.items():
            if cat not in cats:
                problems.append(f"{b.id}: 未知类别 {cat}")
            if major not in rules.majors:
                problems.append(f"{b.id}: 未知专业集合 {major}")
        problems += [f"{b.id}: 未知材料组 {d}" for d in b.documents if d not in rules.documents]
    for lim in rules.limits:
        if lim.effect not in _EFFECTS:
            problems.append(f"{lim.id}: 未知效果 {lim.effect}")
        for major in (lim.majors, *lim.not_majors):
            if major is not None and major not in rules.majors:
                problems.append(f"{lim.id}: 未知专业集合 {major}")
        problems += [f"{lim.id}: 未知材料组 {d}" for d in lim.documents if d not in rules.documents]
    for group in rules.documents.values():
        problems += [
            f"documents.{group.key}: 未知表格 {f}" for f in group.forms if f not in rules.forms
        ]
    for cat in rules.categories:
        problems += [f"{cat.code}: 未知类别 {c}" for c in cat.assistant_cert_for if c not in cats]
    from .checks import REQUIRED_CHECKS  # the ids the evaluator uses

    problems += [f"checks: 缺少 {c}" for c in REQUIRED_CHECKS if c not in rules.checks]
    if problems:
        raise RuleError("规则文件有误：\n" + "\n".join(problems))


def editions() -> tuple[str, ...]:
    """Codes of the rule editions on disk, oldest first."""
    codes = [p.stem for p in RULES_DIR.glob("*.toml")]
    return tuple(sorted(codes, key=lambda c: load_rules(c).first_exam_year))


@cache
def load_rules(code: str) -> RuleSet:
    try:
        return _build(_read(code))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(f"规则版本 {code} 有误：{exc!r}") from exc


def rules_for_year(year: int) -> RuleSet | None:
    """The edition in force for an exam year: the latest whose first year is not after it."""
    chosen = None
    for code in editions():
        rules = load_rules(code)
        if rules.first_exam_year <= year and (
            rules.last_exam_year is None or year <= rules.last_exam_year
        ):
            chosen = rules
    return chosen
