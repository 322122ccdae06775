"""The fixed wording of each form, one module per form, as in the seed (附件3–附件11).

Each module has ``CODE``, ``APPENDIX`` (the seed's 附件 number, or ``""``), ``TITLE`` and
``FIXED_TEXT``: the sentences printed verbatim, with ``{year}`` (the exam's year) and
``{site}`` (the exam site) as the only placeholders. The seed was written for 2025 and the
郑州考点, which is how tests fill the placeholders to find the sentences in it.
"""

from . import (
    exam_pledge,
    five_year_consent,
    graduate_pledge,
    postgraduate_pledge,
    practice_certificate,
    registration_form,
    rural_consent,
    rural_legal_pledge,
    shortline_application,
    trial_certificate,
)

MODULES = {
    m.CODE: m
    for m in (
        trial_certificate,
        practice_certificate,
        shortline_application,
        postgraduate_pledge,
        graduate_pledge,
        five_year_consent,
        rural_consent,
        rural_legal_pledge,
        exam_pledge,
        registration_form,
    )
}
