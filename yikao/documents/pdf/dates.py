"""Dates the forms compute rather than copy: the month a trial year completes, and a
province's deadline day as the forms print it ("8月1日").

``trial_year_complete`` mirrors the eligibility engine's count
(``yikao/eligibility/timing.py``, ``_months`` and ``check_trial``): twelve calendar months
counted from the start month, a start after the 1st of a month counting from the next
month, the year complete at the end of the twelfth counted month. The library stays free
of the engine; ``tests/documents/test_province_dates.py`` checks the two against each other.
"""

from __future__ import annotations

import datetime as dt
import re

from .layout import date_parts

TRIAL_MONTHS = 12  # 试用期满一年
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*[-月]\s*(\d{1,2})\s*日?\s*$")


def trial_year_complete(start: object, months: int = TRIAL_MONTHS) -> tuple[str, str]:
    """(year, month) in which a trial that started on ``start`` ("YYYY-MM", "YYYY-MM-DD" or
    a date) completes ``months`` counted months; ("", "") when the start is unknown.

    2024-08 and 2024-08-01 → ("2025", "7"); 2024-08-15 → ("2025", "8")."""
    y, m, d = date_parts(start)
    if not (y and m):
        return "", ""
    first = int(y) * 12 + int(m) - 1 + (1 if d and int(d) > 1 else 0)
    last = first + months - 1
    return str(last // 12), str(last % 12 + 1)


def month_day(value: object) -> str:
    """A deadline day as printed: a date, "MM-DD" or "8月1日" → "8月1日"; "" when unknown."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.month}月{value.day}日"
    text = "" if value is None else str(value).strip()
    found = _MONTH_DAY.match(text)
    if found:
        return f"{int(found.group(1))}月{int(found.group(2))}日"
    _, m, d = date_parts(text)
    return f"{m}月{d}日" if m and d else text
