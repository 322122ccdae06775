"""缴费统计 as a spreadsheet: the same table as the page (totals.exam_totals), amounts in 元
as numbers so the sheet can add them up."""

import tempfile

from yikao.payments.totals import Figures, Totals

HEADERS = ["考区", "考点代码", "考点", "待缴费（人）", "已缴费（人）", "已缴金额（元）",
           "待退款（笔）", "待退款金额（元）", "已退款金额（元）"]  # fmt: skip
WIDTHS = [14, 10, 18, 12, 12, 14, 12, 16, 16]


def _safe(value) -> str:
    # A cell beginning with = + - @ would run as a formula in a spreadsheet program.
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _row(area: str, code: str, name: str, f: Figures) -> list:
    return [_safe(area), code, _safe(name), f.due, f.paid, f.paid_fen / 100,
            f.refund_pending, f.refund_pending_fen / 100, f.refunded_fen / 100]  # fmt: skip


def totals_xlsx(exam, place: str, totals: Totals):
    """A temporary file (rewound) holding the workbook."""
    # ~30 MB; only staff exports need it, so page workers do not load it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("缴费统计")
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"

    def bold(values, size=None):
        cells = [WriteOnlyCell(sheet, value=v) for v in values]
        for cell in cells:
            cell.font = Font(bold=True, size=size)
        return cells

    sheet.append(bold([_safe(f"{exam.name} 缴费统计（{place}）")], size=13))
    sheet.append(bold(HEADERS))
    for group in totals.areas:
        area_name = group.area.label.removesuffix("小计")
        for site in group.sites:
            sheet.append(_row(area_name, site.code, site.label, site))
        sheet.append(bold(_row(area_name, "", "小计", group.area)))
    sheet.append(bold(_row("合计", "", "", totals.total)))
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    book.save(handle)
    handle.seek(0)
    return handle
