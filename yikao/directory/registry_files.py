"""Reading a real institution registry file (CSV or Excel .xlsx) into numbered rows.

Only reading happens here: which columns are which (Chinese or English headers), the
encoding of a CSV (UTF-8 with or without BOM, or GB18030 — what Excel in China saves),
and the line number of every row, so that each problem can be reported where the user
will find it. Whether the values make sense is registry.py's job.
"""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ("code", "name", "region_code", "kind")
COLUMN_LABELS = {
    "code": "机构代码",
    "name": "机构名称",
    "region_code": "行政区划代码",
    "kind": "机构类别",
}
# Header cell (after NFKC, trimming and lower case) → column. Other columns are ignored:
# real registry exports carry many more (地址, 床位数 …).
HEADERS = {
    **{label: column for column, label in COLUMN_LABELS.items()},
    **{column: column for column in COLUMNS},
}
# Excel stores long digit strings typed into a number cell as a float; beyond 15 digits
# the value is already rounded, so the code it shows is not the one that was typed.
EXACT_DIGITS = 10**15


class FileError(Exception):
    """The whole file cannot be read (no header, wrong format, unknown encoding)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RawRow:
    line: int  # 1-based line of the CSV file, or row of the Excel sheet
    values: dict[str, str] = field(default_factory=dict)
    problem: str = ""  # the row could not be read as the header says (column count …)


def read_rows(path: str | Path) -> list[RawRow]:
    path = Path(path)
    if not path.is_file():
        raise FileError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix in (".csv", ".txt"):
        return _csv_rows(decode(path.read_bytes()))
    raise FileError(f"不支持的文件类型“{suffix or '无扩展名'}”：请使用 CSV 或 Excel（.xlsx）文件。")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileError("文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 编码。") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise FileError("无法识别文件编码：请另存为 UTF-8 或 GBK（GB18030）编码的 CSV。") from exc


def _header_map(cells: Sequence[str]) -> dict[str, int]:
    """Column → position in the row."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = HEADERS.get(unicodedata.normalize("NFKC", cell or "").strip().lower())
        if column is None:
            continue
        if column in found:
            raise FileError(f"表头中“{COLUMN_LABELS[column]}”列出现了两次。")
        found[column] = index
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        names = "、".join(f"{COLUMN_LABELS[c]}（{c}）" for c in missing)
        raise FileError(f"表头缺少列：{names}。第一行须为列名，见 docs/directory.md。")
    return found


def _row(line: int, cells: Sequence[str], header: dict[str, int], width: int) -> RawRow | None:
    """One data row; None for a blank row (Excel leaves them at the end of a sheet)."""
    if not any(cell.strip() for cell in cells):
        return None
    # Trailing empty cells (a stray comma, formatting in Excel) are harmless; anything
    # else not matching the header means the columns have shifted.
    if len(cells) < width or any(cell.strip() for cell in cells[width:]):
        return RawRow(line, problem=f"有 {len(cells)} 列，与表头的 {width} 列不一致。")
    return RawRow(line, {column: cells[index] for column, index in header.items()})


def _csv_rows(text: str) -> list[RawRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: dict[str, int] | None = None
    width = 0
    rows: list[RawRow] = []
    end = 0
    try:
        for cells in reader:
            # A quoted cell may span lines: a row starts on the line after the last one.
            line, end = end + 1, reader.line_num
            if header is None:
                if any(cell.strip() for cell in cells):
                    header, width = _header_map(cells), len(cells)
                continue
            row = _row(line, cells, header, width)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        raise FileError(f"第 {end + 1} 行附近的 CSV 格式有误（{exc}）。") from exc
    if header is None:
        raise FileError("文件是空的：第一行须为列名，见 docs/directory.md。")
    return rows


def _cell_text(value: object) -> str | None:
    """The cell as text; None for a number Excel has already rounded."""
    if value is None:
        return ""
    if isinstance(value, float) and not isinstance(value, bool):
        if value.is_integer() and abs(value) < EXACT_DIGITS:
            return str(int(value))
        return None
    return str(value)


def _xlsx_rows(path: Path) -> list[RawRow]:
    from openpyxl import load_workbook  # only the Excel path needs it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileError(
            "无法读取该 Excel 文件：请确认是 .xlsx 格式（旧的 .xls 请另存为 .xlsx）。"
        ) from exc
    try:
        return _sheet_rows(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


ROUNDED = "单元格被 Excel 存成了数字，已丢失精度：请将该列设为“文本”格式后重新填写。"


def _sheet_rows(sheet: Iterable[Sequence[object]]) -> list[RawRow]:
    header: dict[str, int] | None = None
    width = 0
    rows: list[RawRow] = []
    for line, values in enumerate(sheet, start=1):
        texts = [_cell_text(v) for v in values]
        cells = [t or "" for t in texts]
        if header is None:
            if any(cell.strip() for cell in cells):
                # Excel pads rows to the sheet's used width: count the named columns only.
                while cells and not cells[-1].strip():
                    cells.pop()
                header, width = _header_map(cells), len(cells)
            continue
        rounded = [c for c, i in header.items() if i < len(texts) and texts[i] is None]
        if rounded:
            rows.append(RawRow(line, problem=f"{COLUMN_LABELS[rounded[0]]}{ROUNDED}"))
            continue
        row = _row(line, cells, header, width)
        if row is not None:
            rows.append(row)
    if header is None:
        raise FileError("工作表是空的：第一行须为列名，见 docs/directory.md。")
    return rows
