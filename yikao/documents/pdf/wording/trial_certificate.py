"""附件3 医师资格考试试用期考核证明."""

from ._common import LEGAL_REP_SIGN, NOTES, NOTES_HEAD, UNIT_PLEDGE, UNIT_STAMP
from ._common import PASS_FAIL as PASS_FAIL

CODE = "trial_certificate"
APPENDIX = "附件3"
TITLE = "医师资格考试试用期考核证明"

L_NAME = "姓名"
L_GENDER = "性别"
L_BIRTH = "出生年月"
L_ETHNICITY = "民族"
L_MAJOR = "所学专业"
L_EDUCATION = "医学学历"
L_GRADUATION = "取得学历\n年月"
L_ID_NUMBER = "有效身份\n证件号码"
L_ID_VALID = "证件\n有效期"
L_CATEGORY = "报考类别"
L_UNIT = "试用机构"
L_UNIT_NAME = "名称"
L_UNIT_ADDRESS = "地址"
L_POSTCODE = "邮编"
L_REGISTRATION_NO = "登记号"
L_LEGAL_REP = "法人姓名"
L_PERIOD = "试用起止\n时间"
L_POSTS = "主要试用\n岗位（科室）"
L_POST_NAME = "岗位（科室）\n名称"
L_TEACHER_EVAL = "带教老师评价"
L_TEACHER_CERT = "带教老师\n医师执业证书号码"
L_TEACHER_SIGN = "带教老师签字"
L_OPINION = "试用机构\n考核意见"
POST_ROWS = 5

FIXED_TEXT = (TITLE, UNIT_PLEDGE, LEGAL_REP_SIGN, UNIT_STAMP, NOTES_HEAD, *NOTES)
