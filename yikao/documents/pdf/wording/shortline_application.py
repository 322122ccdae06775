"""附件5 医师资格考试短线医学专业加试申请表."""

CODE = "shortline_application"
APPENDIX = "附件5"
TITLE = "医师资格考试短线医学专业加试申请表"
TITLE_WITH_YEAR = "{year}年医师资格考试短线医学专业加试申请表"

SECTION = "个人信息"
L_NAME = "姓名"
L_ID_NUMBER = "身份证号"
L_UNIT = "工作单位"
L_POST = "工作岗位"
L_SUBJECT = "加试内容"
SUBJECTS = ("院前急救", "儿科")
PLEDGE_HEAD = "考生承诺"
PLEDGE = (
    "1. 本人自愿申请参加{year}年医师资格考试短线医学专业加试。",
    "2. 本人获得医师资格后，限定在加试内容所对应岗位工作。",
    "3. 通过加试获得的医师资格不作为加试专业范围之外的注册、执业资格依据。",
    "4. 以上个人申报信息真实、准确、有效。",
    "5. 本人能够遵守以上承诺，如有违反，愿意承担由此而造成的一切后果。",
)
SIGN = "考生签字："
DATE = "日    期："
REVIEWS = (
    ("单位审核：", "单位盖章:", "负责人签字："),
    ("考点审核:", "考点盖章:", "经手人签字："),
    ("考区审核：", "考区盖章：", "经手人签字："),
)

FIXED_TEXT = (
    TITLE_WITH_YEAR,
    SECTION,
    PLEDGE_HEAD,
    *PLEDGE,
    SIGN,
    *(t for r in REVIEWS for t in r),
)
