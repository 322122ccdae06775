"""evaluate(): one Decision per category × level."""

from __future__ import annotations

from .checks import Notes, cite
from .context import Context
from .facts import CandidateFacts, CertificateType, IdentityKind, Level, MilitaryStatus
from .result import AddOn, Decision, Document, Status
from .routes import Route, best, category_routes, rural_route
from .ruleset import CategoryDef, RuleSet, editions, load_rules, rules_for_year
from .settings import EvaluationSettings


def evaluate(
    facts: CandidateFacts, *, settings: EvaluationSettings | None = None
) -> list[Decision]:
    settings = settings or EvaluationSettings()
    exam_year = settings.exam_year or facts.exam_year
    if settings.edition:
        rules = load_rules(settings.edition)
    else:
        rules = rules_for_year(exam_year) if exam_year else None
    shown = rules or load_rules(editions()[-1])
    targets = _targets(shown, facts)
    if exam_year is None or rules is None:
        notes = Notes(shown.checks, settings.warn_only)
        if exam_year is None:
            notes.need("exam_year.missing", missing="报考年份")
        else:
            notes.need("edition.none", missing="2014年及以后的考试年度")
        return [_bare(shown, c, lvl, notes) for c, lvl in targets]
    ctx = Context(facts=facts, settings=settings, rules=rules, exam_year=exam_year)
    return [decide(ctx, cat, level)[0] for cat, level in targets]


def _targets(rules: RuleSet, facts: CandidateFacts) -> list[tuple[CategoryDef, Level]]:
    return [
        (cat, level)
        for cat in rules.categories
        if facts.applied_category in (None, cat.code)
        for level in cat.levels
        if facts.applied_level in (None, level)
    ]


def _bare(rules: RuleSet, cat: CategoryDef, level: Level, notes: Notes) -> Decision:
    return Decision(
        category=cat.code,
        level=level,
        label=rules.label(cat.code, level),
        status=notes.status,
        reasons=tuple(notes.reasons),
        edition=rules.code,
    )


def _gate(ctx: Context, cat: CategoryDef) -> Notes:
    notes = ctx.notes()
    identity = ctx.facts.identity
    if identity is None:
        notes.warn("identity.unknown")
    elif identity == IdentityKind.HK_MO_TW:
        if cat.code not in ctx.rules.sections["identity"]["hk_mo_tw"]["categories"]:
            notes.fail("identity.hk_mo_tw.category")
    elif identity == IdentityKind.FOREIGN:
        notes.need("identity.foreign", missing="考区对外籍人员报考资格的审核意见")
    if ctx.facts.military is None:
        notes.warn("military.unknown")
    return notes


def decide(ctx: Context, cat: CategoryDef, level: Level) -> tuple[Decision, Route | None]:
    key = (cat.code, level)
    if key in ctx.decisions:
        return ctx.decisions[key]
    notes = _gate(ctx, cat)
    if cat.code == ctx.rules.sections["rural"]["category"]:
        routes = [rural_route(ctx, cat)]
    else:
        routes = category_routes(ctx, cat, level)
        if ctx.facts.education is None:
            notes.need("education.unknown", missing="教育经历")
        elif not routes:
            notes.fail("education.none")
    chosen = best(routes)
    weak = chosen is None or chosen.status is not Status.ELIGIBLE
    if weak and level is Level.ASSISTANT and Level.PHYSICIAN in cat.levels:
        # 2014版 报考类别第三条: eligible for 执业 → eligible for 助理 in the same category.
        upper, upper_route = decide(ctx, cat, Level.PHYSICIAN)
        if upper.status is Status.ELIGIBLE and upper_route is not None:
            derived = ctx.notes()
            derived.extend(upper_route.notes)
            derived.explain("level.physician_implies_assistant", category=cat.label)
            chosen = Route(
                derived,
                upper_route.education_id,
                list(upper_route.restrictions),
                list(upper_route.documents),
            )
            routes = [chosen]
    if chosen is not None and chosen.status is Status.NOT_ELIGIBLE:
        for route in routes:
            notes.extend(route.notes.reasons)
    elif chosen is not None:
        notes.extend(chosen.notes)
    _already_qualified(ctx, notes, cat, level)
    status = notes.status
    restrictions = list(chosen.restrictions) if chosen else []
    groups = ["all", *(chosen.documents if chosen else [])]
    addons = _addons(ctx, notes, cat, level, restrictions, groups)
    if ctx.facts.identity == IdentityKind.HK_MO_TW:
        groups.append("hk_mo_tw")
    if ctx.facts.military == MilitaryStatus.ACTIVE:
        groups.append("military")
    decision = Decision(
        category=cat.code,
        level=level,
        label=ctx.rules.label(cat.code, level),
        status=status,
        reasons=tuple(notes.reasons),
        basis=tuple(notes.basis) if status is not Status.NOT_ELIGIBLE else (),
        education_id=chosen.education_id if chosen and status is not Status.NOT_ELIGIBLE else None,
        restrictions=tuple(restrictions) if status is not Status.NOT_ELIGIBLE else (),
        addons=tuple(addons) if status is not Status.NOT_ELIGIBLE else (),
        documents=_documents(ctx, groups) if status is not Status.NOT_ELIGIBLE else (),
        edition=ctx.rules.code,
    )
    ctx.decisions[key] = (decision, chosen)
    return decision, chosen


def _already_qualified(ctx: Context, notes: Notes, cat: CategoryDef, level: Level) -> None:
    for cert in ctx.facts.certificates or ():
        cert_level = Level.ASSISTANT if cert.type == CertificateType.ASSISTANT else cert.level
        held = cert.type in (CertificateType.QUALIFICATION, CertificateType.ASSISTANT)
        if held and cert.category == cat.code and cert_level == level:
            notes.warn(
                "level.already_qualified",
                category=cat.label,
                level=ctx.rules.level_labels[level],
            )
            return


def _addons(
    ctx: Context,
    notes: Notes,
    cat: CategoryDef,
    level: Level,
    restrictions: list[str],
    groups: list[str],
) -> list[AddOn]:
    out: list[AddOn] = []
    mil = ctx.rules.sections["military"]
    status = ctx.facts.military
    if status is not None and status.value in mil["required_for"]:
        out.append(AddOn("military_medicine", mil["label"], required=True))
    elif (
        status is not None
        and status.value in mil["allowed_for"]
        and ctx.exam_year >= mil["civilian_from_exam_year"]
    ):
        out.append(AddOn("military_medicine", mil["label"], required=False))
    short = ctx.rules.sections["shortline"]
    if cat.code not in short["categories"] or level.value not in short["levels"]:
        return out
    if ctx.exam_year < short["first_exam_year"]:
        return out
    current = [
        w.department or ""
        for w in ctx.facts.work or ()
        if w.end is None or w.end >= ctx.registration
    ]
    allowed = {
        post["label"]: code
        for code, post in short["posts"].items()
        if any(word in dept for dept in current for word in post["keywords"])
    }
    for label, code in allowed.items():
        out.append(AddOn(f"shortline_{code}", f"{short['label']}（{label}）", required=False))
        notes.explain("shortline.allowed", post=label)
    request = ctx.facts.shortline_request
    if request:
        if request in allowed:
            groups.append("shortline")
            text, _ = ctx.rules.checks["shortline.restriction"]
            restrictions.append(text.format(post=request))
        else:
            notes.warn("shortline.refused", post=request)
    return out


def _documents(ctx: Context, groups: list[str]) -> tuple[Document, ...]:
    labels: list[str] = []
    forms: list[str] = []
    for key in dict.fromkeys(groups):
        group = ctx.rules.documents[key]
        labels += [label for label in group.labels if label not in labels]
        forms += [f for f in group.forms if f not in forms]
    forms.sort(key=lambda f: int(ctx.rules.forms[f][1].removeprefix("附件")))
    return tuple(Document(label) for label in labels) + tuple(
        Document(cite(ctx.rules.forms[f][0], ctx.rules.forms[f][1]), f, ctx.rules.forms[f][1])
        for f in forms
    )
