import datetime

from ninja import Router, Schema
from ninja.responses import Status

from yikao.core.api.schemas import ErrorOut

router = Router(tags=["账户"])


class MeOut(Schema):
    username: str
    full_name: str
    id_type: str
    id_type_label: str
    id_number_masked: str
    gender: str
    gender_label: str
    birth_date: datetime.date
    mobile_masked: str


@router.get("/me", response={200: MeOut, 404: ErrorOut}, summary="当前登录考生的基本信息（已脱敏）")
def me(request):
    candidate = getattr(request.user, "candidate", None)
    if candidate is None:
        return Status(404, {"detail": "当前账户不是考生账户。"})
    return Status(
        200,
        MeOut(
            username=request.user.username,
            full_name=candidate.full_name,
            id_type=candidate.id_type,
            id_type_label=candidate.id_type_label,
            id_number_masked=candidate.masked_id_number,
            gender=candidate.gender,
            gender_label=candidate.gender_label,
            birth_date=candidate.birth_date,
            mobile_masked=candidate.masked_mobile,
        ),
    )
