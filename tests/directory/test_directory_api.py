import pytest

pytestmark = pytest.mark.usefixtures("directory")

API = "/api/v1/directory"


def test_api_institutions_is_public_and_returns_name_code_region_kind(client):
    response = client.get(f"{API}/institutions", {"q": "林山寨"})
    assert response.status_code == 200
    first = response.json()[0]
    assert first == {
        "name": "郑州市中原区林山寨街道社区卫生服务中心",
        "code": "4101020010002101",
        "region": "河南省/郑州市/中原区/林山寨街道",
        "kind": "社区卫生服务中心",
        "verified": True,
    }


def test_api_institutions_returns_at_most_20_and_honours_region(client):
    response = client.get(f"{API}/institutions", {"q": "卫生", "limit": 500})
    assert len(response.json()) == 20
    response = client.get(f"{API}/institutions", {"q": "人民医院", "region": "11"})
    assert response.json() and all(r["region"].startswith("北京市") for r in response.json())
    response = client.get(f"{API}/institutions", {"q": "人民医院", "region": "x'1"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("地区代码无效")


@pytest.mark.parametrize(
    "query",
    ["", " ", "'; drop table directory_institution; --", "😀", "\x00", "%_%", "<script>", "ｌｓｚ"],
)
def test_api_junk_queries_never_fail(client, query):
    for path in ("institutions", "schools", "majors"):
        response = client.get(f"{API}/{path}", {"q": query})
        assert response.status_code == 200, (path, query)
        assert isinstance(response.json(), list)


def test_api_overlong_query_is_a_400_in_chinese(client):
    for path in ("institutions", "schools", "majors"):
        response = client.get(f"{API}/{path}", {"q": "a" * 10_000})
        assert response.status_code == 400
        assert "查询内容过长" in response.json()["detail"]


def test_api_full_width_initials_find_the_school(client):
    response = client.get(f"{API}/schools", {"q": "ＢＪＤＸ"})
    assert response.json()[0]["name"] == "北京大学"
    assert response.json()[0]["code"] == "4111010001"
    assert response.json()[0]["region"] == "北京市"


def test_api_regions_drill_down(client):
    provinces = client.get(f"{API}/regions").json()
    assert {"code": "41", "name": "河南省", "level": 1, "path": "河南省"} in provinces
    cities = client.get(f"{API}/regions", {"parent": "41"}).json()
    assert [c["code"] for c in cities] == ["4101"]
    assert client.get(f"{API}/regions", {"parent": "999999"}).json() == []
    assert client.get(f"{API}/regions", {"parent": "abc"}).status_code == 400


def test_api_majors(client):
    response = client.get(f"{API}/majors", {"q": "lcyx", "level": "本科"})
    assert response.json()[0] == {
        "name": "临床医学",
        "code": "100201K",
        "level": "本科",
        "category_name": "医学",
    }


def test_api_is_read_only(client):
    assert client.post(f"{API}/institutions", {"q": "x"}).status_code == 405


def test_api_unicode_digits_in_codes_are_refused_not_crashed(client):
    assert client.get(f"{API}/institutions", {"q": "医院", "region": "4²"}).status_code == 400
    assert client.get(f"{API}/regions", {"parent": "²"}).status_code == 400
