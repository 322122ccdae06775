"""``{% print_forms registration as forms %}``: the appendix forms the eligibility engine
listed for a registration, with their print URLs (the 报名申请表 is linked on its own)."""

from collections.abc import Mapping

from django import template
from django.urls import reverse

from yikao.documents.mapping import REGISTRATION_FORM, applicable_codes
from yikao.documents.pdf import FORM_TITLES

register = template.Library()


@register.simple_tag
def print_forms(registration) -> list[dict[str, str]]:
    labels = {
        d.get("code"): d.get("label")
        for d in registration.documents or ()
        if isinstance(d, Mapping) and d.get("code")
    }
    return [
        {
            "code": code,
            "label": labels.get(code) or FORM_TITLES[code],
            "url": reverse("documents:registration_form", args=[registration.pk, code]),
        }
        for code in applicable_codes(registration)
        if code != REGISTRATION_FORM
    ]
