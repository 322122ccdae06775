"""The lists candidates pick from in 个人信息. Values are stored as the Chinese labels so
that a submitted snapshot reads the same years later, whatever the code does."""


def pairs(values: list[str]) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


EDUCATION_LEVELS = ["研究生（博士）", "研究生（硕士）", "本科", "专科", "中专", "职业高中", "其他"]
DEGREE_TYPES = ["专业学位", "学术学位"]
STUDY_FORMS = [
    "全日制",
    "成人教育",
    "自学考试",
    "网络教育",
    "初中起点五年一贯制",
    "职工中专",
    "师承",
    "确有专长",
    "其他",
]
UNIT_NATURES = [
    "医疗机构",
    "基层医疗卫生机构",
    "专业公共卫生机构",
    "军队医疗机构",
    "医学院校",
    "其他",
]
TITLES = [
    "无",
    "医士（初级）",
    "医师（初级）",
    "主治医师（中级）",
    "副主任医师",
    "主任医师",
    "其他",
]
DUTY_STATUSES = ["在岗", "试用期", "当年毕业研究生", "应届毕业生", "待业", "其他"]
TRAINING_KINDS = [
    "住院医师规范化培训",
    "专科医师规范化培训",
    "助理全科医生培训",
    "全科医生转岗培训",
    "西医学习中医培训",
    "中医系统学习",
    "其他",
]
RESIDENCY_TRAINING = "住院医师规范化培训"
CERTIFICATE_TYPES = [
    "执业助理医师",
    "执业助理医师（乡镇）",
    "医师资格证书",
    "医师执业证书",
    "传统医学师承出师证书",
    "传统医学医术确有专长证书",
    "其他",
]
# The post (岗位类别) of the trial or practice: the eligibility rules match it to the category
# (yikao/eligibility/candidate.py maps each to the engine's code).
POST_CATEGORIES = [
    "临床", "口腔", "公共卫生", "中医", "中西医结合", "蒙医", "藏医", "维医", "傣医",
    "哈萨克医", "朝医", "壮医",
]  # fmt: skip
# 机构类型 of a work unit, as the candidate answers it for a unit not in the directory.
INSTITUTION_KINDS = [
    "乡镇卫生院",
    "村卫生室",
    "社区卫生服务中心（站）",
    "县级医院",
    "疾控/公共卫生机构",
    "军队医疗机构",
    "其他",
]
INSTITUTION_KIND_LABELS = {"县级医院": "县级及以上医疗机构", "其他": "其他医疗卫生机构"}
ASSESSMENTS = ["合格", "不合格"]
# The 56 ethnic groups in the order of GB/T 3304, then its two last entries; printed on the
# appendix forms (附件3, 附件4) and the 报名信息表.

ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族",
    "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族",
    "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族",
    "基诺族", "其他", "外国血统中国籍人士",
]  # fmt: skip
PRACTICE_CATEGORIES = POST_CATEGORIES
