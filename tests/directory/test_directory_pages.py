from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from yikao.directory.models import Institution

pytestmark = pytest.mark.usefixtures("directory")

PICK = reverse("directory:institution_pick")
NEW = reverse("directory:institution_new")


@pytest.fixture
def logged_in(client, candidate):
    client.force_login(candidate.user)
    return client


def test_picker_requires_login(client):
    for url in (PICK, NEW):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_picker_drills_down_province_city_county(logged_in):
    page = logged_in.get(PICK, {"next": "/profile/work/"}).content.decode()
    assert "选择省份" in page and "河南省" in page
    page = logged_in.get(PICK, {"region": "41", "next": "/profile/work/"}).content.decode()
    assert "选择城市" in page and "郑州市" in page
    page = logged_in.get(PICK, {"region": "4101", "next": "/profile/work/"}).content.decode()
    assert "选择区县" in page and "中原区" in page and "二七区" in page
    page = logged_in.get(PICK, {"region": "410102", "next": "/profile/work/"}).content.decode()
    assert "郑州市中原区人民医院" in page  # the county's largest before anything is typed
    assert 'for="id_q"' in page


def test_picker_search_links_back_to_next_with_the_code(logged_in):
    response = logged_in.get(PICK, {"region": "410102", "q": "lsz", "next": "/profile/work/?a=1"})
    page = response.content.decode()
    assert "郑州市中原区林山寨街道社区卫生服务中心" in page
    assert "/profile/work/?a=1&amp;institution=4101020010002101" in page


def test_picker_ignores_an_offsite_next(logged_in):
    page = logged_in.get(PICK, {"q": "林山寨", "next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in page


def test_picker_shows_a_chinese_error_for_an_overlong_query(logged_in):
    page = logged_in.get(PICK, {"q": "院" * 500}).content.decode()
    assert "查询内容过长" in page and 'aria-invalid="true"' in page


def test_picker_no_result_message(logged_in):
    page = logged_in.get(PICK, {"q": "不存在的医院名称"}).content.decode()
    assert "没有找到" in page and "未找到单位" in page


def test_manual_entry_get_prefills_region_and_refresh_fills_lists(logged_in):
    page = logged_in.get(NEW, {"region": "410102"}).content.decode()
    assert '<option value="410102" selected>' in page
    assert 'for="id_name"' in page and "单位隶属" in page
    page = logged_in.post(NEW, {"province": "41", "refresh": "1"}).content.decode()
    assert '<option value="4101">郑州市</option>' in page
    assert "field-error" not in page


def test_manual_entry_errors_sit_next_to_fields(logged_in):
    response = logged_in.post(
        NEW, {"name": "", "province": "41", "city": "4101", "county": "110101"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "请填写单位全称" in page
    assert "请选择单位隶属关系" in page
    assert 'id="id_county_error"' in page
    assert not Institution.objects.filter(verified=False).exists()


def test_manual_entry_creates_unverified_and_returns_the_code(logged_in):
    response = logged_in.post(
        NEW,
        {
            "name": "郑州市中原区仁心诊所",
            "province": "41",
            "city": "4101",
            "county": "410102",
            "affiliation": "个人",
            "kind": "诊所",
            "next": "/profile/work/",
        },
    )
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/profile/work/"
    code = parse_qs(location.query)["institution"][0]
    inst = Institution.objects.get(code=code)
    assert inst.name == "郑州市中原区仁心诊所" and not inst.verified
    assert inst.region_id == "410102" and inst.affiliation == "个人"


def test_manual_entry_without_next_shows_the_code(logged_in):
    response = logged_in.post(
        NEW,
        {
            "name": "北京市东城区某某门诊部",
            "province": "11",
            "city": "1101",
            "county": "110101",
            "affiliation": "民营企业",
            "kind": "门诊部",
        },
    )
    assert response.status_code == 200
    assert "待工作人员核实" in response.content.decode()


def test_picker_survives_nul_and_odd_codes(logged_in):
    for params in ({"region": "41\x00"}, {"institution": "\x00"}, {"region": "²"}, {"q": "\x00"}):
        assert logged_in.get(PICK, params).status_code == 200
    assert logged_in.get(NEW, {"region": "\x00"}).status_code == 200


def test_manual_entry_asks_for_the_kind_and_never_guesses_it(logged_in):
    """A hand-entered 镇卫生院 is whatever the candidate says it is: the name decides nothing."""
    data = {"name": "中牟县万滩镇卫生院", "province": "41", "city": "4101", "county": "410102",
            "affiliation": "事业单位"}  # fmt: skip
    response = logged_in.post(NEW, data)
    assert "请选择机构类别。" in response.content.decode()
    assert not Institution.objects.filter(name="中牟县万滩镇卫生院").exists()
    logged_in.post(NEW, {**data, "kind": "乡镇卫生院"})
    assert Institution.objects.get(name="中牟县万滩镇卫生院").kind == "乡镇卫生院"
