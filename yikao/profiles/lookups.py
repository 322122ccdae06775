"""What the profile asks of the reference directory: names behind chosen codes, and
hand-typed schools recorded as unverified directory entries."""

from yikao.directory.models import Institution, Major, School
from yikao.directory.services import school_create_unverified

# The directory's 机构类别 → the 机构类型 eligibility asks about (profiles.choices).
DIRECTORY_KINDS = {
    "乡镇卫生院": "乡镇卫生院",
    "村卫生室": "村卫生室",
    "社区卫生服务中心": "社区卫生服务中心（站）",
    "社区卫生服务站": "社区卫生服务中心（站）",
    "市级综合医院": "县级医院",
    "市级中医医院": "县级医院",
    "市级妇幼保健院": "县级医院",
    "县级人民医院": "县级医院",
    "县级中医医院": "县级医院",
    "县级妇幼保健院": "县级医院",
    "县级及以上医疗机构": "县级医院",
    "疾病预防控制中心": "疾控/公共卫生机构",
    "专业公共卫生机构": "疾控/公共卫生机构",
    "军队医疗机构": "军队医疗机构",
}
OTHER_KIND = "其他"


def unit_kind(directory_kind: str) -> str:
    """The 机构类型 of a directory kind; kinds outside the table (民营医院, 诊所…) are 其他."""
    return DIRECTORY_KINDS.get(directory_kind, OTHER_KIND)


def work_unit(code: str) -> tuple[str, str, str] | None:
    """(code, full name, 机构类型) of a directory institution, or None when unknown."""
    if not code:
        return None
    found = Institution.objects.filter(code=code).only("code", "name", "kind").first()
    return (found.code, found.name, unit_kind(found.kind)) if found else None


def resolve_work_unit(work: dict[str, str]) -> dict[str, str] | None:
    """The work values with a picked unit's name and type taken from the directory. A
    name edited after picking makes it a typed unit (the code is dropped). None when the
    picked code is not in the directory."""
    code = work.get("work_unit_code", "")
    if not code:
        return work
    found = work_unit(code)
    if found is None:
        return None
    typed = work.get("work_unit_name", "")
    if typed and typed != found[1]:
        return {**work, "work_unit_code": ""}
    return {
        **work,
        "work_unit_code": found[0],
        "work_unit_name": found[1],
        "work_unit_kind": found[2],
    }


def school(code: str, name: str, *, actor=None) -> tuple[str, str, bool]:
    """(code, name, verified). A name not in the list becomes an unverified school."""
    found = School.objects.filter(code=code).first() if code else None
    if found is None:
        found = School.objects.filter(name=name).order_by("-verified").first()
    if found is None:
        found = school_create_unverified(name=name, kind="其他", actor=actor)
    return found.code, found.name, found.verified


def major_code(name: str, code: str) -> str:
    """The catalogue code of the major when the name is the catalogue's, else ""."""
    found = Major.objects.filter(code=code, name=name).first() if code else None
    found = found or Major.objects.filter(name=name).first()
    return found.code if found else ""
