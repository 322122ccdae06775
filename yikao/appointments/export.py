"""The day's roster as a spreadsheet (ID numbers masked): openpyxl's write-only mode into a
temporary file, rows read from the database in chunks, so a day of thousands of bookings
costs a constant amount of memory."""

import tempfile

from django.utils import timezone

from yikao.appointments.models import BookingStatus

HEADERS = ["时段", "地点", "预约码", "报名号", "姓名", "证件号码", "手机号码", "报考类别", "状态", "签到时间"]  # fmt: skip
WIDTHS = [14, 16, 12, 20, 10, 22, 14, 22, 8, 18]


def _safe(value) -> str:
    # A cell beginning with = + - @ would run as a formula in a spreadsheet program.
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def roster_xlsx(site, day, rows):
    """A temporary file (rewound) holding the workbook of `rows` (selectors.roster_rows)."""
    # ~30 MB; only the roster export needs it, so page workers do not load it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    statuses = dict(BookingStatus.choices)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{day:%Y-%m-%d}")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"

    def bold(values, size=None):
        cells = [WriteOnlyCell(sheet, value=v) for v in values]
        for cell in cells:
            cell.font = Font(bold=True, size=size)
        return cells

    sheet.append(bold([f"{site.name} 现场信息采集名单 {day:%Y-%m-%d}"], size=13))
    sheet.append(bold(HEADERS))
    for starts, ends, place, code, number, name, id_masked, mobile, cat_code, cat_label, status, checked in rows:  # fmt: skip
        span = f"{timezone.localtime(starts):%H:%M}-{timezone.localtime(ends):%H:%M}"
        category = f"{cat_code} {cat_label}" if cat_code else cat_label
        sheet.append([_safe(v) for v in (
            span, place, f"{code[:4]}-{code[4:]}", number, name, id_masked, mobile, category,
            statuses.get(status, status),
            f"{timezone.localtime(checked):%H:%M:%S}" if checked else "",
        )])  # fmt: skip
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    return handle
