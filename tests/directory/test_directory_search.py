import pytest

from yikao.directory import selectors
from yikao.directory.models import Institution, Region, School
from yikao.directory.services import (
    DirectoryError,
    institution_create_unverified,
    school_create_unverified,
)

pytestmark = pytest.mark.usefixtures("directory")


def names(hits):
    return [h.name for h in hits]


def test_search_institutions_by_chinese_substring():
    hits = selectors.search_institutions("林山寨")
    assert hits[0].name == "郑州市中原区林山寨街道社区卫生服务中心"
    assert all("林山寨" in h.name for h in hits)
    assert hits[0].region == "河南省/郑州市/中原区/林山寨街道"
    assert hits[0].kind == "社区卫生服务中心"


def test_search_institutions_by_initials_and_full_pinyin_from_a_place_boundary():
    assert "郑州市中原区林山寨街道社区卫生服务中心" in names(selectors.search_institutions("lszjd"))
    assert "郑州市中原区林山寨街道社区卫生服务中心" in names(
        selectors.search_institutions("linshanzhai")
    )


def test_search_prefix_matches_come_before_inner_matches_then_larger_first():
    hits = selectors.search_institutions("zzszyq")  # 郑州市中原区…: every hit is a prefix match
    ranks = [Institution.objects.get(code=h.code).size_rank for h in hits]
    assert ranks == sorted(ranks, reverse=True)
    assert hits[0].name == "郑州市中原区人民医院"
    # City hospitals (largest) first; within a band the order is the matched key's.
    hits = selectors.search_institutions("zhengzhou")
    assert set(names(hits[:2])) == {"郑州市第一人民医院", "郑州市第二人民医院"}
    assert hits[2].name == "郑州市中医院"


@pytest.mark.parametrize("query", ["卫生", "zz", "卫生室", "zhengzhou", "社区", "4101"])
def test_a_shorter_list_is_the_start_of_a_longer_one(query):
    # The search stops reading bands once the list is full: cutting it short must never
    # change which entries come first.
    longest = [h.code for h in selectors.search_institutions(query, limit=20)]
    assert len(longest) == 20
    for limit in (1, 3, 7, 12):
        assert [h.code for h in selectors.search_institutions(query, limit=limit)] == longest[
            :limit
        ]


def test_search_exact_name_and_code_come_first():
    exact = "郑州市中原区林山寨街道社区卫生服务中心"
    assert names(selectors.search_institutions(exact)) == [exact]
    hit = selectors.search_institutions("4101020010002101")[0]
    assert hit.name == exact
    # A code prefix lists that town's institutions.
    assert all(h.code.startswith("410102001") for h in selectors.search_institutions("410102001"))


def test_search_normalises_width_case_and_spaces():
    assert names(selectors.search_institutions("ＬＳＺ ＪＤ")) == names(
        selectors.search_institutions("lszjd")
    )
    assert names(selectors.search_institutions(" 林山 寨 ")) == names(
        selectors.search_institutions("林山寨")
    )


@pytest.mark.parametrize(
    "query", ["", "   ", "'; drop table directory_institution; --", "😀😀", "%", "_"]
)
def test_search_junk_returns_a_list_not_an_error(query):
    assert isinstance(selectors.search_institutions(query), list)


def test_search_overlong_query_is_refused_in_chinese():
    with pytest.raises(selectors.QueryError, match="查询内容过长"):
        selectors.search_institutions("院" * 10_000)


def test_search_region_filter_narrows_to_province_city_county():
    for region in ("41", "4101", "410102", "410000", "410100"):
        hits = selectors.search_institutions("人民医院", region=region)
        assert hits, region
        assert all(h.region.startswith("河南省") for h in hits), region
    county = selectors.search_institutions("ws", region="410102")
    assert all(h.region.startswith("河南省/郑州市/中原区") for h in county)
    assert selectors.search_institutions("东华门", region="41") == []
    assert selectors.search_institutions("东华门", region="11")[0].name.startswith("北京市东城区")
    with pytest.raises(selectors.QueryError):
        selectors.search_institutions("人民医院", region="abc")


def test_search_county_filter_orders_prefix_then_size():
    hits = selectors.search_institutions("郑州市中原区", region="410102")
    assert hits[0].name == "郑州市中原区人民医院"
    ranks = [Institution.objects.get(code=h.code).size_rank for h in hits]
    assert ranks == sorted(ranks, reverse=True)


def test_search_long_query_beyond_key_length_is_confirmed_against_the_name():
    name = "郑州市中原区林山寨街道社区卫生服务中心"
    assert names(selectors.search_institutions(name[1:])) == [name]
    assert selectors.search_institutions(name[1:-1] + "x") == []


def test_search_schools_by_initials_name_substring_and_codes():
    assert selectors.search_schools("bjdx")[0].name == "北京大学"
    assert selectors.search_schools("北京大")[0].name == "北京大学"
    assert selectors.search_schools("10001")[0].name == "北京大学"
    assert selectors.search_schools("4111010001")[0].name == "北京大学"
    assert "北京协和医学院" in names(selectors.search_schools("协和"))
    assert selectors.search_schools("cqykdx")[0].name == "重庆医科大学"
    assert len(selectors.search_schools("daxue")) == 20


def test_search_majors():
    assert selectors.search_majors("lcyx")[0].name == "临床医学"
    assert "护理学" in [m.name for m in selectors.search_majors("护理")]
    assert all(m.level == "本科" for m in selectors.search_majors("yx", level="本科"))


def test_unverified_school_is_created_once_audited_and_searchable(candidate):
    from yikao.core.models import AuditEntry

    school = school_create_unverified(
        name="  某某卫生学校 ", kind="中专", province="河南省", actor=candidate.user
    )
    entry = AuditEntry.objects.get(action="directory.school_created")
    assert entry.actor_id == candidate.user.pk
    assert entry.changes["name"] == {"old": None, "new": "某某卫生学校"}
    assert school.code.startswith("M") and not school.verified
    assert school.name == "某某卫生学校"
    assert school_create_unverified(name="某某卫生学校", kind="中专").pk == school.pk
    assert selectors.search_schools("mmwsxx")[0].code == school.code
    with pytest.raises(DirectoryError):
        school_create_unverified(name="", kind="其他")
    # A name already in the MOE list returns the verified entry.
    assert school_create_unverified(name="北京大学", kind="其他").verified
    assert AuditEntry.objects.filter(action="directory.school_created").count() == 1


def test_unverified_institution_is_flagged_audited_and_searchable(candidate):
    county = Region.objects.get(code="410102")
    inst = institution_create_unverified(
        name="郑州市中原区幸福诊所",
        region=county,
        affiliation="个人",
        kind="诊所",
        actor=candidate.user,
    )
    assert inst.code.startswith("U") and not inst.verified
    assert inst.kind == "诊所" and inst.region_path == "河南省/郑州市/中原区"
    assert selectors.search_institutions("幸福诊所")[0].code == inst.code
    assert selectors.search_institutions("zzszyqxfzs", region="410102")[0].code == inst.code
    assert (
        institution_create_unverified(
            name="郑州市中原区幸福诊所", region=county, affiliation="个人", kind="诊所"
        )
        == inst
    )
    from yikao.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="directory.institution_created").count() == 1
    with pytest.raises(DirectoryError):
        institution_create_unverified(name="某诊所", region=county, affiliation="外星", kind="诊所")


def test_regions_drill_down():
    provinces = selectors.regions_under("")
    assert {r.code for r in provinces} == {"11", "41"}
    assert [r.code for r in selectors.regions_under("4101")] == ["410102", "410103"]
    assert School.objects.filter(verified=True).count() == 3167
