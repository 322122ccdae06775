"""A 台港澳 candidate's travel-permit number (往来大陆通行证) in the wizard draft.

It identifies a person as an ID number does, so the draft keeps it sealed
(yikao.core.crypto) and the snapshot keeps it sealed and masked.
"""

from yikao.core import crypto
from yikao.registrations.models import Draft

HMT_PERMIT_PURPOSE = "draft.hmt_permit"


def seal_hmt_permit(number: str) -> str:
    """The travel-permit number is an identity document: drafts keep it sealed."""
    return crypto.encrypt(number, purpose=HMT_PERMIT_PURPOSE) if number else ""


def hmt_permit_of(draft: Draft) -> str:
    """The draft's travel-permit number; "" when absent or sealed under a retired key."""
    sealed = draft.fields.hmt_permit_sealed
    try:
        return crypto.decrypt(sealed, purpose=HMT_PERMIT_PURPOSE) if sealed else ""
    except crypto.DecryptionError:
        return ""
