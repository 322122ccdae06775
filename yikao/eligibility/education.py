"""Is one education entry a basis (学历依据) for a category and level?  (2014版 第六条)"""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import Notes
from .context import Context
from .facts import CertificateType, Education, EducationLevel, Level, StudyForm
from .ruleset import Basis, Limit, normalize_name

Truth = bool | None

FIELD_LABELS = {
    "level": "学历层次",
    "study_form": "学习形式",
    "degree_type": "学位类型（专业学位/学术学位）",
    "entry": "入学年月",
    "length_years": "学制（年）",
    "school": "学校名称",
    "major": "专业名称或专业代码（名称未能识别时，请填写毕业证书上的专业代码或从专业列表中选择）",
    "program_filed": "专业是否经教育部、国家中医药管理局备案",
}


@dataclass
class EntryResult:
    entry: Education
    notes: Notes
    basis: Basis | None = None
    restrictions: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    trial_institutions: tuple[str, ...] = ()
    prior_assistant: bool = False


def describe(entry: Education) -> str:
    detail = "".join(x for x in (entry.level, entry.major_name) if x)
    # A label is the candidate's own name for the entry (第2条教育经历); an id is the
    # caller's key, quoted as given.
    name = entry.label or f"教育经历「{entry.id}」"
    return name + (f"（{detail}）" if detail else "")


def _all(conditions: list[tuple[Truth, str | None]]) -> tuple[Truth, list[str]]:
    """Three-valued AND; returns the fields whose absence leaves it open."""
    if any(t is False for t, _ in conditions):
        return False, []
    missing = [m for t, m in conditions if t is None and m]
    return (None, missing) if missing else (True, [])


def _member(value: object, allowed: tuple[str, ...], name: str) -> tuple[Truth, str | None]:
    if not allowed:
        return True, None
    return (None, name) if value is None else (value in allowed, None)


def _common(entry: Education, rec: Basis | Limit) -> list[tuple[Truth, str | None]]:
    level = entry.level
    if level is None and entry.study_form in (StudyForm.APPRENTICE, StudyForm.PROVEN_EXPERTISE):
        level = ""  # 师承/确有专长 have no 学历层次
    out = [
        _member(level, rec.levels, "level"),
        _member(entry.study_form, rec.forms, "study_form"),
    ]
    if rec.degree:
        out.append(_member(entry.degree_type, (rec.degree,), "degree_type"))
    if rec.entry_from or rec.entry_to:
        if entry.entry is None:
            out.append((None, "entry"))
        else:
            after = rec.entry_from is None or entry.entry >= rec.entry_from
            before = rec.entry_to is None or entry.entry <= rec.entry_to
            out.append((after and before, None))
    return out


def basis_matches(ctx: Context, entry: Education, basis: Basis, category: str):
    conds = _common(entry, basis)
    if basis.min_years is not None and not entry.upgrade:
        if entry.study_form is None:
            conds.append((None, "study_form"))
        elif entry.study_form in basis.min_years_forms:
            length = entry.length_years
            conds.append(
                (None, "length_years") if length is None else (length >= basis.min_years, None)
            )
    if basis.schools:
        school = normalize_name(entry.school) if entry.school else None
        conds.append((None, "school") if school is None else (school in basis.schools, None))
    major = ctx.major_in(basis.grants[category], entry.major_name, entry.major_code)
    conds.append((major, "major"))
    return _all(conds)


def limit_matches(ctx: Context, entry: Education, limit: Limit):
    conds = _common(entry, limit)
    if limit.majors:
        conds.append((ctx.major_in(limit.majors, entry.major_name, entry.major_code), "major"))
    for key in limit.not_majors:
        inside = ctx.major_in(key, entry.major_name, entry.major_code)
        conds.append((None if inside is None else not inside, "major"))
    if limit.has_direction is not None:
        conds.append((bool(entry.major_direction) == limit.has_direction, None))
    if limit.upgrade is not None:
        conds.append((bool(entry.upgrade) == limit.upgrade, None))
    if limit.program_filed is not None:
        filed = entry.program_filed
        conds.append(
            (None, "program_filed") if filed is None else (filed == limit.program_filed, None)
        )
    year = ctx.exam_year
    if limit.exam_year_from is not None:
        conds.append((year >= limit.exam_year_from, None))
    if limit.exam_year_to is not None:
        conds.append((year <= limit.exam_year_to, None))
    return _all(conds)


def _ask(notes: Notes, entry: Education, fields: list[str]) -> None:
    for name in dict.fromkeys(fields):
        label = FIELD_LABELS.get(name, name)
        notes.need(
            "education.field_missing",
            missing=f"{describe(entry)}的{label}",
            entry=describe(entry),
            field=label,
        )


def evaluate_entry(ctx: Context, entry: Education, category: str, level: Level) -> EntryResult:
    """The education part only; trial and licence years are checked by the routes."""
    rules = ctx.rules
    result = EntryResult(entry=entry, notes=ctx.notes())
    notes = result.notes
    limits = [(lim, *limit_matches(ctx, entry, lim)) for lim in rules.limits]
    invalid = [lim for lim, truth, _ in limits if lim.effect == "invalid" and truth is True]
    for lim in invalid:
        notes.rule_fail(lim.id, lim.text, lim.source)
    if any(lim.id not in ctx.settings.warn_only for lim in invalid):
        return result

    matches = [
        (b, *basis_matches(ctx, entry, b, category)) for b in rules.bases if category in b.grants
    ]
    found = [b for b, truth, _ in matches if truth is True]
    if not found:
        open_fields = [f for _, truth, fields in matches if truth is None for f in fields]
        if open_fields:
            _ask(notes, entry, open_fields)
        else:
            label = rules.category(category).label if rules.category(category) else category
            notes.fail("education.no_basis", entry=describe(entry), category=label)
        return result
    basis = min(found, key=lambda b: len(b.restrictions))
    result.basis = basis
    if level not in basis.grant_levels:
        notes.fail("education.level_only_assistant", rule=basis.id, entry=describe(entry))
        return result
    notes.explain(
        "education.basis", entry=describe(entry), title=basis.title, rule_source=basis.source
    )
    _ask(
        notes, entry, [f for lim, t, fs in limits if t is None and lim.effect != "warn" for f in fs]
    )
    for lim, truth, _ in limits:
        if truth is True:
            _apply_limit(ctx, result, lim, category, level)
    _apply_basis(ctx, result, basis)
    return result


def _apply_limit(ctx: Context, result: EntryResult, lim: Limit, category: str, level: Level):
    notes, entry = result.notes, result.entry
    if lim.effect == "warn":
        notes.rule_warn(lim.id, lim.text, lim.source)
    elif lim.effect == "restrict":
        if lim.at_levels and level not in lim.at_levels:
            return
        notes.rule_warn(lim.id, lim.text, lim.source)
        result.restrictions += [r for r in lim.restrictions if r not in result.restrictions]
        result.documents += list(lim.documents)
        if lim.trial_institutions:
            result.trial_institutions = lim.trial_institutions
    elif lim.effect == "prior_assistant":
        if level is not Level.PHYSICIAN:
            notes.fail("education.prior_assistant_level", rule=lim.id, entry=describe(entry))
            return
        result.prior_assistant = True
        _check_prior_assistant(ctx, result, lim, category)
    elif lim.effect == "upgrade_match":
        juniors = [e for e in ctx.facts.education or () if e.level == EducationLevel.JUNIOR_COLLEGE]
        truths = [
            basis_matches(ctx, e, b, category)[0]
            for e in juniors
            for b in ctx.rules.bases
            if category in b.grants and EducationLevel.JUNIOR_COLLEGE in b.levels
        ]
        if any(t is True for t in truths):
            return
        if not juniors or any(t is None for t in truths):
            notes.need(
                "education.upgrade_mismatch",
                missing="专升本前的专科教育经历（专业）",
                rule=lim.id,
                entry=describe(entry),
            )
        else:
            notes.fail("education.upgrade_mismatch", rule=lim.id, entry=describe(entry))


def _check_prior_assistant(ctx: Context, result: EntryResult, lim: Limit, category: str) -> None:
    notes, entry = result.notes, result.entry
    label = ctx.rules.category(category).label
    certs = ctx.facts.certificates
    if certs is None:
        notes.need(
            "education.prior_assistant_missing",
            missing="证书情况",
            rule=lim.id,
            entry=describe(entry),
            category=label,
        )
        return
    truths = []
    for cert in certs:
        is_assistant = cert.type == CertificateType.ASSISTANT or (
            cert.type == CertificateType.QUALIFICATION and cert.level == Level.ASSISTANT
        )
        if not is_assistant:
            continue
        same = (
            None if cert.category is None else cert.category in _assistant_categories(ctx, category)
        )
        before = None if cert.issued is None or entry.entry is None else cert.issued < entry.entry
        truths.append(_all([(same, "c"), (before, "d")])[0])
    if any(t is True for t in truths):
        return
    if any(t is None for t in truths):
        notes.need(
            "education.prior_assistant_missing",
            missing="执业助理医师证书的类别和发证年月",
            rule=lim.id,
            entry=describe(entry),
            category=label,
        )
    else:
        notes.fail(
            "education.prior_assistant_missing", rule=lim.id, entry=describe(entry), category=label
        )


def _assistant_categories(ctx: Context, category: str) -> set[str]:
    """Categories whose 助理 licence counts for `category` (乡村全科 counts for 临床 and 中医)."""
    return {category} | {c.code for c in ctx.rules.categories if category in c.assistant_cert_for}


def _apply_basis(ctx: Context, result: EntryResult, basis: Basis) -> None:
    notes, entry = result.notes, result.entry
    result.restrictions += [r for r in basis.restrictions if r not in result.restrictions]
    result.documents += list(basis.documents)
    for text in basis.warnings:
        notes.rule_warn(basis.id, text, basis.source)
    if basis.entry_from_day and entry.entry == basis.entry_from:
        notes.warn(
            "education.entry_day",
            rule=basis.id,
            entry=describe(entry),
            month=entry.entry.chinese(),
            day=basis.entry_from_day,
            rule_source=basis.source,
        )
    if basis.certificates:
        held = ctx.facts.certificates
        wanted = "或".join(f"《{c}》" for c in basis.certificates)
        if held is None:
            notes.need(
                "education.certificate",
                missing="证书情况",
                entry=describe(entry),
                certificate=wanted,
            )
        elif not any(c.type in basis.certificates for c in held):
            notes.fail("education.certificate", entry=describe(entry), certificate=wanted)
    if entry.overseas:
        notes.warn("education.overseas", entry=describe(entry))
        result.documents.append("overseas")
    _check_graduation(ctx, result)


def _check_graduation(ctx: Context, result: EntryResult) -> None:
    notes, entry = result.notes, result.entry
    deadline = ctx.deadline_month
    if entry.graduation is not None and entry.graduation > deadline:
        notes.fail(
            "education.not_obtained", entry=describe(entry), graduation=entry.graduation.chinese()
        )
        return
    if entry.level != EducationLevel.POSTGRADUATE:
        return
    if entry.graduation is None:
        graduating = ctx.facts.graduating
        if graduating is None:
            notes.need(
                "postgraduate.graduation_unknown",
                missing=f"{describe(entry)}的毕业年月",
                entry=describe(entry),
            )
            return
        pending = graduating
    else:
        pending = entry.graduation >= ctx.registration
    if pending:
        notes.warn("postgraduate.pledge", deadline=ctx.graduate_documents_deadline)
        result.documents.append("postgraduate")
