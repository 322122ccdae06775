"""The wizard's steps: which exist for a draft, their forms, and what each saves."""

from dataclasses import dataclass

from yikao.accounts.identity import IdType
from yikao.eligibility import Level
from yikao.profiles.models import Education
from yikao.registrations import forms
from yikao.registrations.models import Draft
from yikao.registrations.permits import hmt_permit_of
from yikao.registrations.selectors import site_seats


@dataclass(frozen=True)
class Step:
    number: int
    key: str
    title: str


STEPS = [
    Step(1, "basic", "基本情况"),
    Step(2, "work", "工作情况"),
    Step(3, "records", "教育经历和培训经历"),
    Step(4, "certificates", "选择证书"),
    Step(5, "site", "选择考区及考点"),
]


def needs_certificate(draft: Draft) -> bool:
    """专科 and 中专 routes to 执业 rest on an 执业助理医师 certificate (the seed, §2.5)."""
    if draft.category.level != Level.PHYSICIAN:
        return False
    chosen = Education.objects.filter(candidate=draft.candidate, pk__in=draft.fields.educations)
    return any(e.level in ("专科", "中专") for e in chosen)


def steps_for(draft: Draft) -> list[Step]:
    """Step 4 is shown only when a certificate is needed (or the candidate has some)."""
    show_certificates = needs_certificate(draft) or draft.candidate.certificate_set.exists()
    return [s for s in STEPS if s.key != "certificates" or show_certificates]


def resume_step(draft: Draft, steps: list[Step] | None = None) -> Step:
    """Where "继续填写" takes the candidate: the first shown step not yet saved (a hidden
    step is skipped, never redirected to), else the last one."""
    steps = steps or steps_for(draft)
    return next((s for s in steps if s.number >= draft.step), steps[-1])


def position(steps: list[Step], step: Step) -> int:
    """The step's place among the shown steps (第3步 even when step 4 is hidden)."""
    return [s.number for s in steps].index(step.number) + 1


def typed(draft: Draft, step: Step) -> dict | None:
    """What was typed on a step before 上一步 (kept unchecked in the draft), if anything."""
    return draft.fields.typed.get(step.key)


def neighbours(steps: list[Step], number: int) -> tuple[Step | None, Step | None]:
    """The steps before and after `number` among `steps` (from steps_for)."""
    numbers = [s.number for s in steps]
    index = numbers.index(number) if number in numbers else 0
    previous = steps[index - 1] if index > 0 else None
    following = steps[index + 1] if index + 1 < len(steps) else None
    return previous, following


def basic_form(draft: Draft, data=None) -> forms.BasicStepForm:
    kind = IdType(draft.candidate.id_type).identity_kind
    initial = {"military": draft.fields.military, "hmt_permit": hmt_permit_of(draft)}
    initial.update(_single(typed(draft, STEPS[0]), ("military", "hmt_permit")))
    return forms.BasicStepForm(data, identity_kind=kind, initial=initial)


def _single(values: dict | None, names) -> dict:
    return {n: values[n][0] for n in names if values and values.get(n)}


def _multiple(values: dict | None, names) -> dict:
    return {n: values[n] for n in names if values and n in values}


def records_form(draft: Draft, data=None) -> forms.RecordsStepForm:
    initial = {
        "educations": draft.fields.educations,
        "trainings": draft.fields.trainings,
    }
    initial.update(_multiple(typed(draft, STEPS[2]), ("educations", "trainings")))
    return forms.RecordsStepForm(data, candidate=draft.candidate, initial=initial)


def certificate_form(draft: Draft, data=None) -> forms.CertificateStepForm:
    return forms.CertificateStepForm(
        data,
        candidate=draft.candidate,
        required=needs_certificate(draft),
        initial={
            "certificates": draft.fields.certificates,
            **_multiple(typed(draft, STEPS[3]), ("certificates",)),
        },
    )


def site_form(draft: Draft, data=None, *, area_code: str = "") -> forms.SiteStepForm:
    kept = _single(typed(draft, STEPS[4]), ("area", "site", "shortline"))
    area_code = (
        area_code or (data.get("area") if data else "") or kept.get("area") or draft.fields.area
    )
    seats = site_seats(draft.exam, area_code) if area_code else []
    initial = {
        "area": area_code,
        "site": str(draft.fields.site or ""),
        "shortline": draft.fields.shortline,
        **{k: v for k, v in kept.items() if k != "area"},
    }
    offer = draft.category.category == "clinical" and draft.category.level == Level.PHYSICIAN
    return forms.SiteStepForm(data, seats=seats, offer_shortline=offer, initial=initial)
