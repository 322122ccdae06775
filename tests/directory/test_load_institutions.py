"""manage.py load_institutions: a real registry (CSV or Excel) into the directory."""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from yikao.directory.keys import INSTITUTION_RANKS, build_keys
from yikao.directory.models import Institution, InstitutionKey
from yikao.directory.registry import EXTRA_RANKS, name_parts, region_candidates

pytestmark = pytest.mark.usefixtures("directory")

API = "/api/v1/directory"
DATA = Path(__file__).parent / "data"
EXAMPLE = Path(__file__).parents[2] / "docs" / "registry-example.csv"
HEADER_ZH = ["机构代码", "机构名称", "行政区划代码", "机构类别"]
HEADER_EN = ["code", "name", "region_code", "kind"]
ROWS = [
    ["R00000000001", "郑州市中原区仁济测试医院", "410102", "综合医院"],
    ["R00000000002", "郑州市测试第三人民医院", "410100", "综合医院"],
    ["R00000000003", "北京市东城区测试社区卫生服务中心", "110101000000", "社区卫生服务中心"],
]


def write_csv(path: Path, header, rows, encoding="utf-8") -> Path:
    text = "\r\n".join(",".join(r) for r in [header, *rows]) + "\r\n"
    path.write_bytes(text.encode(encoding))
    return path


def load(path, *args, **options) -> str:
    out = StringIO()
    call_command("load_institutions", str(path), *args, stdout=out, no_progress=True, **options)
    return out.getvalue()


def state():
    return (Institution.objects.count(), InstitutionKey.objects.count())


def search(client, q, **params):
    response = client.get(f"{API}/institutions", {"q": q, **params})
    assert response.status_code == 200
    return [hit["code"] for hit in response.json()]


def assert_loaded():
    first = Institution.objects.get(code="R00000000001")
    assert first.name == "郑州市中原区仁济测试医院"
    assert (first.region_id, first.region_path) == ("410102", "河南省/郑州市/中原区")
    assert (first.area, first.kind, first.verified) == (410102, "县级人民医院", True)
    # The registry's 综合医院 in a city code is the directory's 市级综合医院; padded codes
    # (410100, 110101000000) name the city and the county.
    second = Institution.objects.get(code="R00000000002")
    assert (second.region_id, second.area, second.kind) == ("4101", 410100, "市级综合医院")
    third = Institution.objects.get(code="R00000000003")
    assert (third.region_id, third.kind) == ("110101", "社区卫生服务中心")


def test_csv_utf8_with_english_header_loads_and_is_found_by_name_and_initials(client, tmp_path):
    out = load(write_csv(tmp_path / "r.csv", HEADER_EN, ROWS))
    assert "共 3 行，新增 3，更新 0，未变 0，拒绝 0" in out
    assert_loaded()
    assert search(client, "仁济测试医院")[0] == "R00000000001"
    assert "R00000000001" in search(client, "郑州市中原区仁济测试医院")
    # Initials of the whole name, and from the county (a place boundary) on.
    assert search(client, "zzszyqrjcsyy")[0] == "R00000000001"
    assert "R00000000001" in search(client, "zyqrjcs")
    assert "R00000000001" in search(client, "仁济", region="410102")
    assert search(client, "r00000000003") == ["R00000000003"]


def test_csv_gb18030_without_bom_and_utf8_with_bom(tmp_path):
    load(write_csv(tmp_path / "gbk.csv", HEADER_ZH, ROWS, encoding="gb18030"))
    assert_loaded()
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + write_csv(tmp_path / "x.csv", HEADER_ZH, ROWS).read_bytes())
    assert "新增 0，更新 0，未变 3" in load(path)


def test_xlsx_with_number_cells_and_extra_columns(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append([*HEADER_ZH, "床位数"])
    for code, name, region, kind in ROWS:
        sheet.append([code, name, int(region), kind, 120.5])  # region typed as a number
    sheet.append([None, None, None, None])  # Excel's trailing blank rows
    sheet.append([4.10102000001e17, "郑州市中原区长码医院", 410102, "综合医院"])
    book.save(tmp_path / "r.xlsx")
    out = load(tmp_path / "r.xlsx")
    assert_loaded()
    assert "第 6 行：机构代码单元格被 Excel 存成了数字，已丢失精度" in out
    assert "新增 3，更新 0，未变 0，拒绝 1" in out


def test_bad_rows_are_reported_by_line_and_good_rows_load(tmp_path):
    before = state()
    errors = tmp_path / "errors.csv"
    out = load(DATA / "registry_bad.csv", errors=str(errors))
    assert "第 3 行：未知的行政区划代码“999999”" in out
    assert "第 4 行：未知的机构类别“美容院”" in out
    assert "第 5 行：机构名称为空" in out
    assert "第 6 行：机构名称过长：101 个字，最多 100 个字" in out
    assert "第 7 行：机构代码“B00000000006”与第 8 行重复，两行都未加载" in out
    assert "第 8 行：机构代码“B00000000006”与第 7 行重复" in out
    assert "第 9 行：有 3 列，与表头的 4 列不一致" in out
    assert "第 11 行：机构代码“B-0009”格式不对" in out
    assert "共 10 行，新增 2，更新 0，未变 0，拒绝 8" in out
    # Full-width digits and letters in a code are the same code: normalised, loaded.
    assert Institution.objects.get(code="B000000000008").name == "郑州市二七区丁氏诊所"
    assert Institution.objects.get(code="B00000000001").kind == "县级人民医院"
    assert state()[0] == before[0] + 2
    with open(errors, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.reader(fh))
    assert written[0] == ["行号", "机构代码", "机构名称", "错误"]
    assert [row[0] for row in written[1:]] == ["3", "4", "5", "6", "7", "8", "9", "11"]


def test_second_run_changes_nothing_and_a_changed_row_updates_and_rebuilds_keys(client, tmp_path):
    path = write_csv(tmp_path / "r.csv", HEADER_ZH, ROWS)
    load(path)
    after_first = state()
    assert "新增 0，更新 0，未变 3，拒绝 0" in load(path)
    assert state() == after_first

    renamed = [["R00000000001", "郑州市二七区康泰测试医院", "410103", "中医医院"], *ROWS[1:]]
    assert "新增 0，更新 1，未变 2" in load(write_csv(tmp_path / "r2.csv", HEADER_ZH, renamed))
    changed = Institution.objects.get(code="R00000000001")
    assert (changed.name, changed.region_id, changed.kind) == (
        "郑州市二七区康泰测试医院",
        "410103",
        "县级中医医院",
    )
    keys = set(InstitutionKey.objects.filter(institution=changed).values_list("key", "area"))
    expected, _, _ = build_keys(name_parts(changed.name, changed.region_path), code=changed.code)
    assert keys == {(key, 410103) for _, key in expected}
    assert search(client, "仁济测试") == []
    assert search(client, "康泰测试") == ["R00000000001"]
    assert state()[0] == after_first[0]


def test_a_hand_entered_unit_with_the_same_code_becomes_verified(tmp_path):
    load(write_csv(tmp_path / "r.csv", HEADER_ZH, ROWS))
    Institution.objects.filter(code="R00000000003").update(verified=False)
    assert "更新 1，未变 2" in load(write_csv(tmp_path / "r.csv", HEADER_ZH, ROWS))
    assert Institution.objects.get(code="R00000000003").verified


def test_dry_run_writes_nothing(tmp_path):
    before = state()
    out = load(write_csv(tmp_path / "r.csv", HEADER_ZH, ROWS), dry_run=True)
    assert "试运行（未写入数据库）：共 3 行，新增 3" in out
    assert state() == before


def test_small_batches_load_everything(tmp_path):
    before = state()
    load(write_csv(tmp_path / "r.csv", HEADER_ZH, ROWS), batch_size=1)
    assert state()[0] == before[0] + 3
    assert_loaded()


def test_documented_example_file_loads_without_errors(client):
    call_command("load_directory", counties="410184", verbosity=0)
    out = load(EXAMPLE)
    assert "共 7 行，新增 7，更新 0，未变 0，拒绝 0" in out
    assert Institution.objects.get(code="EXAMPLE000005").region_id == "41"
    assert Institution.objects.get(code="EXAMPLE000006").kind == "县级人民医院"
    assert search(client, "bjxhyy")[0] == "EXAMPLE000001"
    # Place parts from the row's own region chain: initials from the town on find it too.
    assert search(client, "xzsxdzwsy")[0] == "EXAMPLE000007"
    assert "EXAMPLE000007" in search(client, "xdzwsy")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "机构代码,机构名称\r\nA1,甲\r\n",
            "表头缺少列：行政区划代码（region_code）、机构类别（kind）",
        ),
        ("", "文件是空的"),
        ("code,code,name,region_code,kind\r\n", "出现了两次"),
    ],
)
def test_unreadable_files_stop_with_a_chinese_message(tmp_path, content, message):
    path = tmp_path / "r.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        load(path)


def test_tab_separated_file_with_a_quoted_multiline_cell_keeps_line_numbers(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(
        "code\tname\tregion_code\tkind\n"
        'T00000000001\t"郑州市中原区\n仁济测试医院"\t410102\t综合医院\n'
        "T00000000002\t郑州市妇幼测试院\t410100\t妇幼保健院（所、站）\n"
        "T00000000003\t郑州市中原区测试站\t410102\t社区卫生服务中心（站）\n",
        encoding="utf-8",
    )
    out = load(path)
    # The multi-line cell is lines 2–3, so the last row is line 5; whitespace in a name
    # collapses to one space.
    assert "第 5 行：未知的机构类别“社区卫生服务中心(站)”" in out
    assert Institution.objects.get(code="T00000000001").name == "郑州市中原区 仁济测试医院"
    assert Institution.objects.get(code="T00000000002").kind == "市级妇幼保健院"


def test_unknown_file_types_and_missing_files_are_refused(tmp_path):
    (tmp_path / "r.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(CommandError, match="不支持的文件类型"):
        load(tmp_path / "r.xls")
    with pytest.raises(CommandError, match="找不到文件"):
        load(tmp_path / "none.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="无法读取该 Excel 文件"):
        load(tmp_path / "broken.xlsx")


def test_name_parts_split_the_rows_own_places_from_the_rest():
    assert name_parts("新郑市城关镇卫生院", "河南省/郑州市/新郑市/城关镇") == [
        ("新郑市", True),
        ("城关镇", True),
        ("卫生院", False),
    ]
    assert name_parts("郑州市第一人民医院", "河南省/郑州市/二七区") == [
        ("郑州市", True),
        ("第一人民医院", False),
    ]
    # Short forms (河南, 郑州) are places too; another region's name is not.
    assert name_parts("河南郑州大学医院", "河南省/郑州市/二七区") == [
        ("河南", True),
        ("郑州", True),
        ("大学医院", False),
    ]
    assert name_parts("开封市人民医院", "河南省/郑州市/二七区") == [("开封市人民医院", False)]
    assert name_parts("郑州市", "河南省/郑州市") == [("郑州市", False)]


def test_padded_region_codes_and_extra_kind_ranks():
    assert region_candidates("410102000000") == ["410102000000", "410102000", "410102"]
    assert region_candidates("410000") == ["410000", "4100", "41"]
    assert region_candidates("410102001") == ["410102001"]
    assert set(EXTRA_RANKS.values()) <= set(INSTITUTION_RANKS)
