"""Time rules: the one-year trial (试用期) and the years after the 助理 licence."""

from __future__ import annotations

from dataclasses import dataclass

from .checks import Notes
from .context import Context
from .facts import CertificateType, InstitutionKind, Level, MilitaryStatus, Work
from .ruleset import CategoryDef
from .yearmonth import YearMonth

WORK_FIELDS = {
    "post_category": "岗位类别",
    "military": "是否为军队医疗、预防、保健机构",
    "institution_kind": "机构类型（乡镇卫生院、村卫生室、社区卫生服务中心（站）、县级及以上医疗机构、疾控/公共卫生机构、军队医疗机构或其他）",
    "start": "起始年月",
    "identity": "本人身份（是否现役军人）",
}


@dataclass
class TrialResult:
    satisfied: bool | None
    needs_pledge: bool = False


def _work_name(work: Work, index: int) -> str:
    return work.label or work.institution or work.id or f"第{index + 1}条"


def _months(ctx: Context, work: Work) -> set[int]:
    """The calendar months of trial this period gives by the deadline. A period that
    starts after the 1st has its first month cut short: it counts from the next month
    (2024-09-15 → 2025-09-14 is not a full year by 2025-08-31)."""
    if work.start is None:
        return set()
    first = work.start.index + (1 if work.start_day and work.start_day > 1 else 0)
    last = ctx.deadline_month if work.end is None else min(work.end, ctx.deadline_month)
    return set(range(first, last.index + 1))


def _in_military_unit(work: Work) -> bool | None:
    if work.military is not None:
        return work.military
    if work.institution_kind is None:
        return None
    return work.institution_kind == InstitutionKind.MILITARY


def check_trial(
    ctx: Context,
    notes: Notes,
    *,
    category: CategoryDef,
    required: int,
    kinds: tuple[str, ...] = (),
    kinds_source: str = "",
) -> TrialResult:
    """Sum the months of trial in posts of this category up to the deadline (2014版 第三条)."""
    works = ctx.facts.work
    if works is None:
        notes.need("trial.unknown", missing="试用（工作）经历")
        return TrialResult(None)
    military = ctx.facts.military
    certain: set[int] = set()
    possible: set[int] = set()
    open_fields: list[tuple[str, str]] = []
    for index, work in enumerate(works):
        name = _work_name(work, index)
        unknown: list[str] = []
        if work.post_category is None:
            unknown.append("post_category")
        elif work.post_category not in category.posts:
            notes.warn("trial.category_mismatch", work=name)
            continue
        in_military = _in_military_unit(work)
        if military == MilitaryStatus.ACTIVE:
            if in_military is None:
                unknown.append("military")
            elif not in_military:
                notes.warn("trial.military_required", work=name)
                continue
        elif in_military:
            if military is None:
                unknown.append("identity")
            elif military == MilitaryStatus.NONE:
                notes.warn("trial.military_not_allowed", work=name)
                continue
        if kinds:
            if work.institution_kind is None:
                unknown.append("institution_kind")
            elif work.institution_kind not in kinds:
                notes.warn(
                    "trial.institution_kind",
                    work=name,
                    kinds="、".join(kinds),
                    rule_source=kinds_source,
                )
                continue
        if work.assessed_passed is False:
            notes.warn("trial.failed", work=name)
            continue
        if work.start is None:
            unknown.append("start")
        months = _months(ctx, work)
        if unknown:
            possible |= months
            open_fields += [(name, f) for f in unknown]
        else:
            certain |= months
    label = category.label
    deadline = f"{ctx.exam_year}年{ctx.trial_deadline.chinese()}"
    if len(certain) >= required:
        complete = sorted(certain)[required - 1]
        done = YearMonth.from_index(complete)
        if done >= ctx.registration:
            notes.warn(
                "trial.pledge", complete=done.chinese(), required=required, deadline=deadline
            )
            return TrialResult(True, needs_pledge=True)
        notes.explain("trial.complete", category=label, months=len(certain), required=required)
        return TrialResult(True)
    if (open_fields and len(certain | possible) >= required) or any(
        f == "start" for _, f in open_fields
    ):
        for name, field in dict.fromkeys(open_fields):
            notes.need(
                "trial.field_missing",
                missing=f"试用经历「{name}」的{WORK_FIELDS[field]}",
                work=name,
                field=WORK_FIELDS[field],
            )
        return TrialResult(None)
    notes.fail(
        "trial.insufficient",
        deadline=deadline,
        category=label,
        months=len(certain),
        required=required,
    )
    return TrialResult(False)


def check_assistant_years(
    ctx: Context, notes: Notes, *, category: str, years: int, rule_id: str, source: str, entry: str
) -> bool | None:
    """助理 → 执业: N full years from registration of a 助理 licence of the same category."""
    certs = ctx.facts.certificates
    label = ctx.rules.category(category).label
    if certs is None:
        notes.need(
            "assistant.none",
            missing="证书情况（执业助理医师证书）",
            rule=rule_id,
            entry=entry,
            category=label,
            rule_source=source,
        )
        return None
    counts_for = {category} | {
        c.code for c in ctx.rules.categories if category in c.assistant_cert_for
    }
    cutoff = ctx.assistant_cutoff
    cutoff_text = f"{ctx.exam_year}年{cutoff.chinese()}"
    outcomes: list[bool | None] = []
    pending: list[tuple[str, str, dict[str, object]]] = []
    township = False
    for cert in certs:
        if cert.type == CertificateType.ASSISTANT_TOWNSHIP:
            township = True
            continue
        if not (
            cert.type == CertificateType.ASSISTANT
            or (cert.type == CertificateType.QUALIFICATION and cert.level == Level.ASSISTANT)
        ):
            continue
        if cert.category is not None and cert.category not in counts_for:
            continue
        if cert.category is None:
            outcomes.append(None)
            pending.append(("assistant.none", "执业助理医师证书的类别", {}))
            continue
        if cert.registered is None:
            outcomes.append(None)
            pending.append(("assistant.registered_missing", "执业助理医师执业证书的注册年月", {}))
            continue
        ends = cert.registered.add_months(12 * years)
        limit_month = YearMonth(ctx.exam_year, cutoff.month)
        params = {"month": cert.registered.chinese(), "cutoff": cutoff_text, "years": years}
        if ends < limit_month or (ends == limit_month and cutoff.is_month_end(ctx.exam_year)):
            notes.explain("assistant.years_ok", rule_source=source, **params)
            return True
        if ends > limit_month:
            outcomes.append(False)
            pending.append(("assistant.years_short", "", params))
        elif cert.registered_day is None:
            outcomes.append(None)
            pending.append(("assistant.registered_day", "执业证书注册日期", params))
        elif cert.registered_day <= cutoff.day:
            notes.explain("assistant.years_ok", rule_source=source, **params)
            return True
        else:
            outcomes.append(False)
            pending.append(("assistant.years_short", "", params))
    unknown = any(o is None for o in outcomes)
    for check, missing, params in pending:
        if missing and unknown:
            notes.need(
                check,
                missing=missing,
                rule=rule_id,
                entry=entry,
                category=label,
                rule_source=source,
                **params,
            )
        elif not missing and not unknown:
            notes.fail(check, rule=rule_id, rule_source=source, **params)
    if unknown:
        return None
    if not outcomes:
        if township:
            notes.fail("assistant.township")
        notes.fail("assistant.none", rule=rule_id, entry=entry, category=label, rule_source=source)
    return False
