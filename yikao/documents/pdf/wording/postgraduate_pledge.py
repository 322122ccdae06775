"""附件6 当年毕业医学专业研究生医师资格考试报考承诺书.

The seed's first sentence lost its blanks ("本人为学校a 专业，…并将于年月日毕业。"); the
printed form restores them as underlined fields: 本人为＿学校＿专业，专业学位研究生。
"""

CODE = "postgraduate_pledge"
APPENDIX = "附件6"
TITLE_LINES = ("当年毕业医学专业研究生", "医师资格考试报考承诺书")
TITLE = "".join(TITLE_LINES)

# 本人为{school}学校{major}专业，专业学位研究生。并将于{y}年{m}月{d}日毕业。
INTRO_PARTS = ("本人为", "学校", "专业，专业学位研究生。并将于", "年", "月", "日毕业。")
RULES = (
    "本人了解并清楚《医师资格考试报名资格规定（2014版）》中关于2015年1月1日以后入学的学术学位研究生，"
    "其研究生学历不作为报考各类别医师资格的学历依据的规定。"
)
# 并承诺将于今年{deadline}前，将《毕业证书》、《学位证书》及时交考点办公室。 The deadline is
# the exam's 当年毕业研究生补交证书截止日 (ExamInfo.graduate_documents_deadline), the same
# day the eligibility engine's reason names; the Henan seed prints 8月1日 (SEED_DEADLINE).
PROMISE_PARTS = ("并承诺将于今年", "前，将《毕业证书》、《学位证书》及时交考点办公室。")
SEED_DEADLINE = "8月1日"
BREACH = (
    "如违诺或出具虚假证明，本人愿承担由此引起的责任，接受取消当年医师资格考试资格的处理，"
    "并纳入社会信用体系管理。"
)
SIGN = "考生签字："
ID_NUMBER = "有效身份证明号码："
PHONE = "手机号码："

FIXED_TEXT = (
    *TITLE_LINES,
    "专业学位研究生。并将于",
    RULES,
    *PROMISE_PARTS,
    BREACH,
    SIGN,
    ID_NUMBER,
)
