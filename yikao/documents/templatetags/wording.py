"""Words shown to candidates and staff, one way everywhere:

- ``{{ d|document_label }}``: a document of a decision (``{"label", "appendix"}``) with its
  appendix once — "附件3" is appended only when the label does not already carry it.
- ``{{ code|edition_title }}``: a rule edition ("2022") as its title, never the bare code.
"""

from collections.abc import Mapping

from django import template

from yikao import eligibility

register = template.Library()


@register.filter
def document_label(document) -> str:
    if isinstance(document, Mapping):
        label, appendix = document.get("label"), document.get("appendix")
    else:
        label, appendix = getattr(document, "label", None), getattr(document, "appendix", None)
    label, appendix = str(label or ""), str(appendix or "")
    if appendix and appendix not in label:
        return f"{label}（{appendix}）"
    return label


@register.filter
def edition_title(code) -> str:
    code = str(code or "")
    if code not in eligibility.editions():
        return ""
    return eligibility.load_rules(code).title
