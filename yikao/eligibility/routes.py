"""Routes to a category × level: education + trial, education + 助理 licence years, 西学中, 乡村全科."""

from __future__ import annotations

from dataclasses import dataclass, field

from .checks import Notes
from .context import Context
from .education import describe, evaluate_entry
from .facts import (
    CertificateType,
    Education,
    IdentityKind,
    Level,
    StudyForm,
    TrainingKind,
)
from .result import Status
from .ruleset import CategoryDef, TimeRule
from .timing import check_assistant_years, check_trial

_LEVEL_RANK = {"研究生": 4, "本科": 3, "专科": 2, "中专": 1}


@dataclass
class Route:
    notes: Notes
    education_id: str | None = None
    restrictions: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    rank: int = 0

    @property
    def status(self) -> Status:
        return self.notes.status


def best(routes: list[Route]) -> Route | None:
    order = {Status.ELIGIBLE: 0, Status.UNDECIDED: 1, Status.NOT_ELIGIBLE: 2}
    return min(routes, key=lambda r: (order[r.status], len(r.restrictions), -r.rank), default=None)


def _time_rule(ctx: Context, level: Level, edu_level: str | None) -> TimeRule | None:
    return next(
        (t for t in ctx.rules.times if t.level == level and edu_level in t.education_levels), None
    )


def education_route(ctx: Context, entry: Education, category: CategoryDef, level: Level) -> Route:
    result = evaluate_entry(ctx, entry, category.code, level)
    route = Route(
        notes=result.notes,
        education_id=entry.id,
        restrictions=result.restrictions,
        documents=result.documents,
        rank=_LEVEL_RANK.get(entry.level or "", 0),
    )
    notes = route.notes
    if result.basis is None or route.status is Status.NOT_ELIGIBLE:
        return route
    if ctx.facts.identity == IdentityKind.HK_MO_TW:
        hmt = ctx.rules.sections["identity"]["hk_mo_tw"]
        if (
            entry.level not in hmt["education_levels"]
            or entry.study_form not in hmt["forms"]
            or entry.overseas
        ):
            notes.fail("identity.hk_mo_tw.education")
            return route
    months = result.basis.trial_months.get(level.value)
    rule = _time_rule(ctx, level, entry.level)
    if months is None and rule is None:
        notes.need(
            "education.field_missing",
            missing=f"{describe(entry)}的学历层次",
            entry=describe(entry),
            field="学历层次",
        )
        return route
    if months is None and rule is not None and rule.assistant_years:
        ok = check_assistant_years(
            ctx,
            notes,
            category=category.code,
            years=rule.assistant_years,
            rule_id=rule.id,
            source=rule.source,
            entry=describe(entry),
        )
        if ok is not False:
            route.documents.append("assistant_route")
        return route
    required = months or (rule.trial_months if rule else None) or 12
    trial = check_trial(
        ctx,
        notes,
        category=category,
        required=required,
        kinds=result.trial_institutions,
        kinds_source=_kinds_source(ctx, result.trial_institutions),
    )
    route.documents.append("trial")
    if trial.needs_pledge:
        route.documents.append("graduate")
    if result.prior_assistant:
        route.documents.append("assistant_route")
    return route


def _kinds_source(ctx: Context, kinds: tuple[str, ...]) -> str:
    limit = next((lim for lim in ctx.rules.limits if lim.trial_institutions == kinds), None)
    return limit.source if limit else ""


def _holds_clinical(ctx: Context, level: Level) -> bool | None:
    wanted = ctx.rules.sections["west_learns_tcm"]["from_category"]
    truths: list[bool | None] = []
    for cert in ctx.facts.certificates or ():
        if cert.type == CertificateType.QUALIFICATION:
            cert_level = cert.level
        elif cert.type == CertificateType.ASSISTANT:
            cert_level = Level.ASSISTANT
        else:
            continue
        if cert.category is None or cert_level is None:
            truths.append(None)
        else:
            truths.append(cert.category == wanted and cert_level == level)
    if any(truths):
        return True
    return None if None in truths or ctx.facts.certificates is None else False


def west_learns_tcm_route(ctx: Context, level: Level) -> Route | None:
    """西医学习中医: a 临床 qualification + 中医 study → 中西医结合 at the same level."""
    section = ctx.rules.sections["west_learns_tcm"]
    notes = ctx.notes()
    proofs: list[tuple[bool | None, str]] = []
    for t in ctx.facts.training or ():
        if t.kind in section["training_kinds"]:
            proofs.append((t.completed, "西学中培训是否结业"))
        elif t.kind == section["systematic_kind"] == TrainingKind.TCM_SYSTEMATIC:
            if t.start is None or t.end is None:
                proofs.append((None, "中医系统学习的起止年月"))
            else:
                months = t.end.index - t.start.index + 1
                proofs.append((months >= section["systematic_min_months"], ""))
    for e in ctx.facts.education or ():
        if e.study_form == StudyForm.APPRENTICE:
            long_enough = (
                None
                if e.length_years is None
                else e.length_years >= section["apprentice_min_years"]
            )
            held = any(c.type == CertificateType.APPRENTICE for c in ctx.facts.certificates or ())
            proofs.append((long_enough and held, "师承年限"))
        elif e.study_form != StudyForm.PROVEN_EXPERTISE and e.level in _LEVEL_RANK:
            proofs.append((ctx.major_in(section["tcm_majors"], e.major_name, e.major_code), ""))
    if not proofs:
        return None
    holds = _holds_clinical(ctx, level)
    if holds is False:
        return None
    level_label = ctx.rules.level_labels[level]
    proof_ok = any(p is True for p, _ in proofs)
    if holds is None:
        notes.need(
            "west.proof_unknown",
            missing="临床类别医师资格证书的类别和级别",
            what="所持临床类别医师资格证书的类别和级别",
        )
    if not proof_ok:
        unknown = [what for p, what in proofs if p is None and what]
        if unknown:
            for what in unknown:
                notes.need("west.proof_unknown", missing=what, what=what)
        else:
            notes.fail("west.no_proof")
    if notes.status is Status.ELIGIBLE:
        notes.explain("west.route", level=level_label, proof="中医学习经历")
    return Route(notes=notes, documents=["west_learns_tcm"], rank=0)


def rural_route(ctx: Context, category: CategoryDef) -> Route:
    """乡村全科执业助理医师: 临床/中医 education + one year in a 乡镇卫生院 or 村卫生室."""
    section = ctx.rules.sections["rural"]
    notes = ctx.notes()
    route = Route(notes=notes, documents=["trial", "rural"])
    if not ctx.settings.rural_general_open:
        notes.fail("category.closed")
        return route
    if ctx.exam_year < section["first_exam_year"]:
        notes.fail("rural.not_open")
        return route
    labels = "、".join(ctx.rules.category(c).label for c in section["education_categories"])
    candidates: list[Route] = []
    for entry in ctx.facts.education or ():
        for code in section["education_categories"]:
            result = evaluate_entry(ctx, entry, code, Level.ASSISTANT)
            candidates.append(
                Route(
                    result.notes,
                    entry.id,
                    result.restrictions,
                    result.documents,
                    _LEVEL_RANK.get(entry.level or "", 0),
                )
            )
    chosen = best(candidates)
    if ctx.facts.education is None:
        notes.need("education.unknown", missing="教育经历")
    elif chosen is None or chosen.status is Status.NOT_ELIGIBLE:
        notes.fail("rural.education", categories=labels)
        for other in candidates:
            notes.extend(other.notes.reasons)
    else:
        notes.extend(chosen.notes)
        route.education_id = chosen.education_id
        route.restrictions += chosen.restrictions
        route.documents += [d for d in chosen.documents if d != "five_year"]
        route.rank = chosen.rank
    trial = check_trial(
        ctx,
        notes,
        category=category,
        required=section["trial_months"],
        kinds=tuple(section["institution_kinds"]),
        kinds_source=section["source"],
    )
    if trial.satisfied is False:
        notes.fail("rural.work")
    if trial.needs_pledge:
        route.documents.append("graduate")
    route.restrictions += section["restrictions"]
    return route


def category_routes(ctx: Context, category: CategoryDef, level: Level) -> list[Route]:
    routes = [education_route(ctx, e, category, level) for e in ctx.facts.education or ()]
    if category.code == ctx.rules.sections["west_learns_tcm"]["category"]:
        west = west_learns_tcm_route(ctx, level)
        if west is not None:
            routes.append(west)
    return routes
