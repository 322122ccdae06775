from yikao.directory.generator import Source, town_kind, village_clinic

SOURCE = Source(counties=["410102", "110101"])  # parses only these counties' villages


def test_village_committee_becomes_village_clinic():
    assert village_clinic("大孟村委会") == ("大孟村", "村卫生室")
    assert village_clinic("大孟村村委会") == ("大孟村", "村卫生室")
    assert village_clinic("巴彦嘎查村委会") == ("巴彦嘎查村", "村卫生室")
    assert village_clinic("多福巷社区居委会") == ("多福巷社区", "社区卫生服务站")
    assert village_clinic("银闸居委会") == ("银闸社区", "社区卫生服务站")


def test_town_kind_by_suffix():
    assert town_kind("林山寨街道") == "社区卫生服务中心"
    assert town_kind("韩寺镇") == "乡镇卫生院"
    assert town_kind("白沙乡") == "乡镇卫生院"


def test_county_generation_is_deterministic_and_named_in_full():
    first = SOURCE.county("410102")
    second = Source(counties=["410102"]).county("410102")
    assert [(r.code, r.name) for r in first[1]] == [(r.code, r.name) for r in second[1]]
    by_name = {r.name: r for r in first[1]}
    centre = by_name["郑州市中原区林山寨街道社区卫生服务中心"]
    assert centre.kind == "社区卫生服务中心"
    assert centre.region_path == "河南省/郑州市/中原区/林山寨街道"
    assert centre.code == "4101020010002101"
    assert by_name["郑州市中原区人民医院"].kind == "县级人民医院"
    assert "郑州市中原区中医院" in by_name and "郑州市中原区妇幼保健院" in by_name
    codes = [r.code for r in first[1]]
    assert len(codes) == len(set(codes))
    assert all(len(c) == 16 and c.isdigit() for c in codes)


def test_county_has_one_unit_per_town_and_village():
    source = SOURCE
    regions, rows = source.county("410102")
    towns = [r for r in regions if r.level == 4]
    villages = [r for r in regions if r.level == 5]
    kinds = [r.kind for r in rows]
    assert kinds.count("社区卫生服务中心") + kinds.count("乡镇卫生院") == len(towns)
    assert kinds.count("村卫生室") + kinds.count("社区卫生服务站") == len(villages)
    assert 7 * len(towns) <= kinds.count("诊所") + kinds.count("门诊部") <= 11 * len(towns)


def test_municipality_names_use_the_municipality():
    _, rows = SOURCE.county("110101")
    names = {r.name for r in rows}
    assert "北京市东城区人民医院" in names
    assert "北京市东城区东华门街道社区卫生服务中心" in names
    city = SOURCE.city_institutions("4101")
    assert [r.name for r in city][:2] == ["郑州市第一人民医院", "郑州市第二人民医院"]
    assert SOURCE.city_institutions("1101")[0].name == "北京市第一人民医院"
