"""The form builders, by stable code."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from ..wording import MODULES
from . import certificates, pledges, registration, unit_forms
from ._base import Ctx

__all__ = ["BUILDERS", "FORM_TITLES", "Builder", "Ctx"]

Builder = Callable[[Ctx], list[Flowable]]

BUILDERS: dict[str, Builder] = {
    "registration_form": registration.build,
    "trial_certificate": certificates.build_trial,
    "practice_certificate": certificates.build_practice,
    "shortline_application": unit_forms.build_shortline,
    "postgraduate_pledge": pledges.build_postgraduate,
    "graduate_pledge": pledges.build_graduate,
    "five_year_consent": pledges.build_five_year,
    "rural_consent": pledges.build_rural,
    "rural_legal_pledge": unit_forms.build_rural_legal,
    "exam_pledge": unit_forms.build_exam_pledge,
}

FORM_TITLES: dict[str, str] = {
    code: (
        f"{MODULES[code].TITLE}（{MODULES[code].SUBTITLE}）"
        if code == "registration_form"
        else MODULES[code].TITLE.replace(" ", "")
    )
    for code in BUILDERS
}
