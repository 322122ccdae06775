"""附件10 乡村全科执业助理医师资格考试报名审核法人责任承诺书.

Item 一 cites Henan's notice (豫卫医〔2018〕6号) as in the seed; another province would
replace ``ITEMS[0]``.
"""

CODE = "rural_legal_pledge"
APPENDIX = "附件10"
TITLE_LINES = ("乡村全科执业助理医师资格考试报名审核", "法人责任承诺书")
TITLE = "".join(TITLE_LINES)

INTRO = (
    "为加强本单位医师资格考试管理工作，落实乡村全科执业助理医师资格考试管理措施，"
    "确保考生报考条件真实有效，现承诺如下："
)
ITEMS = (
    "一、严格按照河南省卫生健康委员会、河南省中医药管理局《关于开展乡村全科执业助理医师资格考试的通知》"
    "（豫卫医〔2018〕6号）有关要求，加强乡村全科执业助理医师资格考试政策宣传和考生报名资格审查，"
    "遵守《医师资格考试违纪处理暂行规定（2014版）》要求和责任追究制度，"
    "严格做好本单位参加乡村执业助理医师考试人员资格审核及出证工作。",
    "二、经审核，特此证明我单位具备报名资格。",
)
LIABILITY = "如有不实，本人愿承担一切法律责任。"
LEGAL_REP = "法定代表人签名"
LEGAL_REP_HINT = "（手写签字，请勿用章）"
UNIT_STAMP = "乡镇卫生院/村卫生室（公章）"
HEALTH_STAMP = "省辖市卫生健康委员会/中医药管理局（公章）"

FIXED_TEXT = (
    *TITLE_LINES,
    INTRO,
    *ITEMS,
    LIABILITY,
    LEGAL_REP,
    LEGAL_REP_HINT,
    UNIT_STAMP,
    HEALTH_STAMP,
)
