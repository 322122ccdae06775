"""Excel export of the filtered queue: openpyxl's write-only mode into a temporary file,
sent in chunks, so 100,000 rows cost a constant amount of memory."""

import tempfile

from django.db.models.fields.json import KT
from django.utils import timezone

from yikao.accounts.identity import ID_TYPE_LABELS, IdType
from yikao.core.masking import mask_id_number
from yikao.registrations.models import Status

HEADER = [
    "报名号", "姓名", "证件类型", "证件号码", "报考类别代码", "报考类别", "考点",
    "状态", "退回原因", "工作单位", "提交时间",
]  # fmt: skip
COLUMNS = [
    "number", "candidate__full_name", "candidate__id_type", "candidate__id_number",
    "category__code", "category__label", "site__name", "status", "status_reason", "unit",
    "submitted_at",
]  # fmt: skip
FORMULA_START = ("=", "+", "-", "@")


def _text(value) -> str:
    """A typed value never becomes a spreadsheet formula."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def registrations_workbook(queryset, *, full_ids: bool):
    """A temporary file (rewound) holding the workbook, and the number of rows written."""
    statuses = dict(Status.choices)
    types = {t.value: ID_TYPE_LABELS[t] for t in IdType}
    from openpyxl import Workbook  # ~30 MB; only staff exports need it

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("报名")
    sheet.append(HEADER)
    rows = (
        queryset.annotate(unit=KT("snapshot__work__work_unit_name"))
        .values_list(*COLUMNS)
        .iterator(chunk_size=2000)
    )
    count = 0
    for number, name, id_type, id_no, code, label, site, status, reason, unit, at in rows:
        sheet.append([
            number, _text(name), types.get(id_type, id_type),
            id_no if full_ids else mask_id_number(id_no), code, label, site,
            statuses.get(status, status), _text(reason), _text(unit),
            timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"),
        ])  # fmt: skip
        count += 1
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle, count
