"""Printable, pre-filled PDF forms of the registration (报名申请表, 附件3–附件11).

A pure library (no Django): callers copy the candidate's data into the plain dataclasses of
``types`` and get PDF bytes back::

    pdf = render_forms(["registration_form", "exam_pledge"], candidate=c, exam=e, registration=r)

Fonts: AR PL UMing (``fonts-arphic-uming``) embedded as a subset; characters it lacks (CJK
Extension B such as 𠮷) fall back to HanaMinB/HanaMinA (``fonts-hanazono``).
"""

from .fonts import FontNotFoundError
from .forms import FORM_TITLES
from .inputs import CandidateInfo, ExamInfo, Record, RegistrationInfo
from .render import render_form, render_forms

FORM_CODES: tuple[str, ...] = tuple(FORM_TITLES)

__all__ = [
    "FORM_CODES",
    "FORM_TITLES",
    "CandidateInfo",
    "ExamInfo",
    "FontNotFoundError",
    "Record",
    "RegistrationInfo",
    "render_form",
    "render_forms",
]
