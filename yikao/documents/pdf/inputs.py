"""Plain inputs of the forms. The caller (a Django service) copies values into these; the
library never touches the database.

Year-months are strings ``"YYYY-MM"`` (the system's own format); full dates may be
``datetime.date`` or ``"YYYY-MM-DD"``. Empty strings mean "unknown": the form leaves a blank.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Mainland China keeps UTC+8 all year (no daylight saving time): the exam's own clock.
BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def beijing_today() -> dt.date:
    """Today in Beijing, whatever the server's own time zone (UTC on servers)."""
    return dt.datetime.now(BEIJING).date()


# One record (an education, training, certificate or work entry) as label → value rows,
# in print order: ``(("学历", "本科"), ("专业", "临床医学"))`` or a dict.
Record = Sequence[tuple[str, str]] | Mapping[str, str]


@dataclass(frozen=True, slots=True)
class CandidateInfo:
    name: str
    gender: str = ""
    birth_month: str = ""  # YYYY-MM
    ethnicity: str = ""  # 民族
    id_type: str = "居民身份证"
    id_number: str = ""  # printed in full: these forms are for the candidate
    id_valid_until: str | dt.date = ""  # date, "YYYY-MM-DD" or "长期"
    phone: str = ""
    # education used to apply
    education_level: str = ""  # 医学学历: 本科 / 专科 / 研究生 …
    major: str = ""
    school: str = ""
    graduation_month: str = ""  # 取得学历年月, YYYY-MM
    degree_type: str = ""  # 专业学位 / 学术学位
    # work or trial unit
    work_unit: str = ""
    work_unit_address: str = ""
    work_unit_postcode: str = ""
    work_unit_registration_no: str = ""  # 登记号 of the 医疗机构执业许可证
    work_unit_legal_rep: str = ""  # 法人姓名
    work_post: str = ""  # 工作岗位
    # category applied for
    category: str = ""
    category_code: str = ""
    # certificates of an 执业助理医师 applying for 执业医师
    assistant_qualification_no: str = ""  # 执业助理医师资格证书编号
    assistant_practice_no: str = ""  # 执业助理医师执业证书编号
    # trial (试用) period: YYYY-MM or YYYY-MM-DD (附件3, 附件7)
    trial_start: str = ""
    trial_end: str = ""
    # practice (执业) period of an 执业助理医师 (附件4): it counts from the registration
    # (注册) of the 执业助理医师 licence, YYYY-MM or YYYY-MM-DD
    practice_start: str = ""
    practice_end: str = ""
    postgraduate_graduation: str | dt.date = ""  # 当年毕业研究生: expected date


@dataclass(frozen=True, slots=True)
class ExamInfo:
    year: int
    name: str = "医师资格考试"
    # The province's days of this exam (a date, "MM-DD" or "8月1日"); the caller passes the
    # exam's setting or the rule edition's default, so forms and eligibility reasons agree.
    # Empty: the form leaves a blank.
    graduate_documents_deadline: str | dt.date = ""  # 当年毕业研究生补交毕业、学位证书 (附件6)
    trial_deadline: str | dt.date = ""  # 试用期满一年的截止日


@dataclass(frozen=True, slots=True)
class RegistrationInfo:
    registration_number: str
    category: str = ""
    category_code: str = ""
    exam_area: str = ""  # 考区
    exam_site: str = ""  # 考点, e.g. "郑州考点"
    submitted_at: dt.datetime | dt.date | str | None = None
    education: Sequence[Record] = ()
    training: Sequence[Record] = ()
    certificates: Sequence[Record] = ()
    work: Sequence[Record] = ()
    work_history: Sequence[Record] = ()  # 以往工作经历 (earlier work periods), newest first
    photo_jpeg: bytes | None = None
    documents_to_bring: Sequence[str] = ()
    qr_payload: str = ""
    shortline_subject: str = ""  # 短线加试: "院前急救" or "儿科"; ticks the box
    printed_on: dt.date | None = None  # 打印日期; None: today in Beijing (beijing_today)
    # More 基本信息 rows when they apply: 本人身份 (现役军人 …), 往来大陆通行证号码, 加试.
    basic_extra: Record = ()
