"""Search by the other readings of a place (heteronyms) and from every word start."""

import pytest
from django.core.management import call_command

from tests.directory.conftest import SLICE_COUNTIES, TABLES
from yikao.directory import selectors
from yikao.directory.models import Institution

# The usual slice plus counties and cities read a special way: 六安市 (金安区), 漯河市
# (召陵区), 覃塘区, 长子县, 尉犁县, and 新郑市 for its 城关镇卫生院.
COUNTIES = f"{SLICE_COUNTIES},341502,411104,450804,140428,652823,410184"


@pytest.fixture(scope="module")
def _directory_loaded(django_db_setup, django_db_blocker):
    from django.db import connection

    with django_db_blocker.unblock():
        call_command("load_directory", counties=COUNTIES, verbosity=0)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cur:
        for table in TABLES:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names


pytestmark = pytest.mark.usefixtures("directory")


def names(query, **kwargs):
    return [h.name for h in selectors.search_institutions(query, **kwargs)]


# (institution, queries typed by someone who reads the place the local way, by someone
# who reads it off the characters): initials and full pinyin of each.
READ_BOTH_WAYS = [
    ("六安市第一人民医院", ["lasdyrmyy", "luanshi"], ["lasdyrmyy", "liuanshidiyi"]),
    ("六安市金安区人民医院", ["lasjaq", "luanshijinan"], ["lasjaq", "liuanshijinan"]),
    ("漯河市召陵区人民医院", ["slqrmyy", "shaolingqu"], ["zlqrmyy", "zhaolingqu"]),
    ("漯河市第一人民医院", ["lhsdyrmyy", "luoheshi"], ["thsdyrmyy", "taheshi"]),
    ("贵港市覃塘区人民医院", ["qtqrmyy", "qintangqu"], ["ttqrmyy", "tantangqu"]),
    ("长治市长子县人民医院", ["zzxrmyy", "zhangzixian"], ["czxrmyy", "changzixian"]),
    (
        "巴音郭楞蒙古自治州尉犁县人民医院",
        ["ylxrmyy", "yulixian"],
        ["wlxrmyy", "weilixian"],
    ),
]


@pytest.mark.parametrize(("name", "local", "stranger"), READ_BOTH_WAYS)
def test_a_place_is_found_by_its_local_and_by_its_everyday_reading(name, local, stranger):
    assert Institution.objects.filter(name=name).exists()
    for query in local + stranger:
        assert name in names(query), query


def test_the_standard_reading_ranks_before_another_reading():
    # 长治 is read cháng zhì; zhǎng zhì is another reading of it. "zhangzh" finds village
    # clinics whose standard reading starts so (张寨村, 张庄村 …) before the city's
    # hospitals, although those are the largest institutions of all.
    hits = selectors.search_institutions("zhangzh")
    first_city = next(i for i, h in enumerate(hits) if h.name.startswith("长治市第"))
    assert first_city > 0
    assert all(h.kind == "村卫生室" for h in hits[:first_city])
    assert set(names("changzhi")[:2]) == {"长治市第一人民医院", "长治市第二人民医院"}
    # Where the reviewed table knows the local reading, it is the standard one: 长子 zhǎng zǐ.
    assert names("zhangzi")[0] == "长治市长子县人民医院"
    assert set(names("luanshi")[:2]) == {"六安市第一人民医院", "六安市第二人民医院"}


def test_a_local_reading_that_neither_pypinyin_nor_the_table_knows_finds_the_place():
    # pypinyin reads 覃塘 tán táng and PHRASE_OVERRIDES does not list it; locally it is
    # qín táng, one of 覃's other readings.
    hits = selectors.search_institutions("qintangqurenmin")
    assert hits[0].name == "贵港市覃塘区人民医院"


def test_region_filter_keeps_the_other_readings():
    assert "漯河市召陵区人民医院" in names("shaolingqu", region="41")
    assert "漯河市召陵区人民医院" in names("slq", region="4111")
    assert "漯河市召陵区人民医院" in names("shaolingqu", region="411104")


# -- word starts ---------------------------------------------------------------------------
WORD_STARTS = [
    ("郑州市第一人民医院", ["rmyy", "renminyiyuan", "dyrmyy", "diyirenminyiyuan"]),
    ("郑州市新郑市城关乡卫生院", ["wsy", "weishengyuan", "cgxwsy", "chengguanxiangwei"]),
]


@pytest.mark.parametrize(("name", "queries"), WORD_STARTS)
def test_initials_and_full_pinyin_match_from_any_word_start(name, queries):
    for query in queries:
        # Not necessarily in the first 20 (every 人民医院 matches rmyy), but inside the
        # city or county it is.
        region = "410184" if "新郑市" in name else "4101"
        assert name in names(query, region=region), query


def test_word_start_matches_rank_after_prefix_matches():
    # "rmyy" is nobody's prefix; "xzs" is 新郑市…'s prefix and an inner match elsewhere.
    hits = selectors.search_institutions("zzsxzscgx")
    assert hits[0].name.startswith("郑州市新郑市城关乡")
    inner = names("wsy", region="410184")
    assert inner and all(n.endswith(("卫生院", "卫生所", "卫生室", "卫生服务站")) for n in inner)


def test_chinese_and_pinyin_find_the_same_kind_inside_a_county():
    chinese = set(names("卫生院", region="410184"))
    latin = set(names("weishengyuan", region="410184"))
    assert chinese and chinese == latin


# -- the work-unit picker and the API use the same search ----------------------------------
def test_the_picker_finds_a_unit_by_initials_from_a_word_start(client, candidate):
    from django.urls import reverse

    client.force_login(candidate.user)
    pick = reverse("directory:institution_pick")
    page = client.get(pick, {"region": "410184", "q": "wsy", "next": "/profile/work/"})
    assert "郑州市新郑市城关乡卫生院" in page.content.decode()
    page = client.get(pick, {"region": "4101", "q": "rmyy", "next": "/profile/work/"})
    assert "郑州市第一人民医院" in page.content.decode()
    page = client.get(pick, {"q": "shaolingqurenmin", "next": "/profile/work/"})
    assert "漯河市召陵区人民医院" in page.content.decode()


def test_the_api_finds_a_unit_by_another_reading_and_from_a_word_start(client):
    response = client.get("/api/v1/directory/institutions", {"q": "qintangqurenmin"})
    assert response.status_code == 200
    assert response.json()[0]["name"] == "贵港市覃塘区人民医院"
    response = client.get("/api/v1/directory/institutions", {"q": "dyrmyy", "region": "4101"})
    assert "郑州市第一人民医院" in [item["name"] for item in response.json()]
