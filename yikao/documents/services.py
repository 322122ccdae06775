"""Printing a registration's forms. The PDF is built outside any transaction; the only
write is the audit row of a print (the forms carry the full ID number)."""

from __future__ import annotations

from django.db import models

from yikao.core.audit import audit_record
from yikao.documents import mapping
from yikao.documents.pdf import FORM_TITLES, render_forms
from yikao.documents.qrpayload import registration_qr_url
from yikao.documents.selectors import registration_photo_jpeg
from yikao.registrations.models import Registration

ALL = "all"
# ASCII file names (no personal data, no encoding trouble in old browsers): pinyin of the title.
FILE_STEMS = {
    "registration_form": "baomingbiao",
    "trial_certificate": "shiyongqi-kaohe-zhengming",
    "practice_certificate": "zhiyeqi-kaohe-zhengming",
    "shortline_application": "duanxian-jiashi-shenqingbiao",
    "postgraduate_pledge": "yanjiusheng-baokao-chengnuoshu",
    "graduate_pledge": "yingjiesheng-baokao-chengnuoshu",
    "five_year_consent": "wunian-yiguanzhi-zhiqing-tongyishu",
    "rural_consent": "xiangcun-quanke-zhiqing-tongyishu",
    "rural_legal_pledge": "xiangcun-quanke-faren-chengnuoshu",
    "exam_pledge": "kaoshi-chengnuoshu",
    ALL: "baoming-cailiao",
}


class PrintRefused(Exception):
    def __init__(self, message: str, *, code: str):
        super().__init__(message)
        self.message = message
        self.code = code  # "abandoned" or "not_applicable"


def printable_codes(registration: Registration, code: str) -> list[str]:
    """The forms one URL prints: ``code`` if it applies to the registration, or every
    applicable form for ``"all"``. Refuses abandoned registrations and other codes."""
    if not registration.is_active:
        raise PrintRefused(
            "该报名已放弃，报名材料不能再打印。如需参加考试，请重新报名。", code="abandoned"
        )
    applicable = mapping.applicable_codes(registration)
    if code == ALL:
        return applicable
    if code not in applicable:
        raise PrintRefused("该报名不需要这份材料。", code="not_applicable")
    return [code]


def registration_pdf(
    *,
    registration: Registration,
    code: str,
    base_url: str,
    actor: models.Model,
    ip_address: str | None = None,
) -> bytes:
    """One PDF of the form ``code`` (or ``"all"`` forms) of the registration, pre-filled
    from its snapshot, with the submitted photo and the back office's QR code. Every
    print is audited: the forms show the full ID number."""
    codes = printable_codes(registration, code)
    candidate, exam, info = mapping.pdf_inputs(
        registration,
        photo_jpeg=registration_photo_jpeg(registration)
        if mapping.REGISTRATION_FORM in codes
        else None,
        qr_url=registration_qr_url(registration.pk, base_url=base_url),
    )
    pdf = render_forms(codes, candidate=candidate, exam=exam, registration=info)
    _audit_print(registration, codes, actor=actor, ip_address=ip_address)
    return pdf


def _audit_print(registration: Registration, codes: list[str], *, actor, ip_address) -> None:
    """Who printed which forms of which registration: the forms' titles only, never what
    they show."""
    audit_record(
        actor=actor,
        subject=registration.candidate.user,
        action="documents.printed",
        target=registration,
        reason="、".join(FORM_TITLES[c] for c in codes),
        ip_address=ip_address,
    )


def registration_pdf_filename(registration: Registration, code: str) -> str:
    stem = FILE_STEMS.get(code) or code.replace("_", "-")
    return f"{stem}-{registration.number}.pdf"
