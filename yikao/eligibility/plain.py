"""The engine's input as plain data (the API's JSON shape), checked and turned into facts.

The API, the self-check page and the registration wizard all build their facts through
`facts_from_plain`, so one candidate gets one answer, and impossible input (a graduation
before the enrolment, 02-30, a start in 1900) is refused with the same words everywhere,
naming the field and the expected form.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

from .facts import CandidateFacts

EARLIEST_YEAR = 1950
YEAR_MONTH_HINT = "请写作 YYYY-MM，如 2024-07"
DATE_HINT = "请写作 YYYY-MM 或 YYYY-MM-DD，如 2024-09-01"

_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Per list: the date fields (name, label, may carry a day), and the (earlier, later) pairs.
DATES = {
    "education": [("entry", "入学年月", False), ("graduation", "毕业年月", False)],
    "work": [("start", "开始日期", True), ("end", "结束年月", False)],
    "certificates": [("issued", "发证年月", False), ("registered", "执业注册年月", False)],
    "training": [("start", "开始年月", False), ("end", "结束年月", False)],
}
ORDER = {
    "education": ("entry", "graduation", "毕业年月不能早于入学年月"),
    "work": ("start", "end", "结束年月不能早于开始日期"),
    "certificates": ("issued", "registered", "执业注册年月不能早于发证年月"),
    "training": ("start", "end", "结束年月不能早于开始年月"),
}
LIST_LABELS = {
    "education": "教育经历",
    "work": "工作经历",
    "certificates": "证书",
    "training": "培训经历",
}
# Dates that lie in the future by nature: a student's expected graduation, a planned end.
MAY_BE_LATER = {("education", "graduation"), ("training", "end"), ("work", "end")}
LATEST_AHEAD_YEARS = 6


@dataclass(frozen=True)
class Problem:
    """One refused value: where it is (a path into the plain data) and what to do."""

    loc: tuple[str | int, ...]
    message: str


def _parse(text: str, *, with_day: bool) -> tuple[int, int, int | None] | str:
    """(year, month, day or None), or the message for a value that is not a date."""
    day_match = _DATE.fullmatch(text) if with_day else None
    match = day_match or _YEAR_MONTH.fullmatch(text)
    if match is None:
        return DATE_HINT if with_day else YEAR_MONTH_HINT
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return f"月份应在01至12之间，{DATE_HINT if with_day else YEAR_MONTH_HINT}"
    day = int(day_match.group(3)) if day_match else None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return f"{year}年{month}月没有{day}日，{DATE_HINT}"
    return year, month, day


def check(data: dict[str, Any]) -> list[Problem]:
    """Every impossible value in the plain facts; empty when the facts may be judged."""
    problems: list[Problem] = []
    exam_year = data.get("exam_year") if isinstance(data.get("exam_year"), int) else None
    for key, fields in DATES.items():
        entries = data.get(key) or []
        seen: dict[str, int] = {}
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                continue
            ident = entry.get("id")
            if ident:
                if ident in seen:
                    problems.append(
                        Problem(
                            (key, index, "id"),
                            f"标识「{ident}」与第{seen[ident] + 1}条{LIST_LABELS[key]}重复，每条须不同",
                        )
                    )
                seen.setdefault(ident, index)
            parsed: dict[str, tuple[int, int, int | None]] = {}
            for name, label, with_day in fields:
                value = entry.get(name)
                if value in (None, ""):
                    continue
                result = _parse(str(value), with_day=with_day)
                if isinstance(result, str):
                    problems.append(Problem((key, index, name), f"{label}：{result}"))
                    continue
                year = result[0]
                if year < EARLIEST_YEAR:
                    problems.append(
                        Problem((key, index, name), f"{label}不能早于{EARLIEST_YEAR}年，请核对")
                    )
                    continue
                if exam_year is not None:
                    latest = exam_year + (LATEST_AHEAD_YEARS if (key, name) in MAY_BE_LATER else 0)
                    if year > latest:
                        problems.append(
                            Problem((key, index, name), f"{label}不能晚于{latest}年，请核对")
                        )
                        continue
                parsed[name] = result
            first, last, message = ORDER[key]
            if first in parsed and last in parsed:
                begin, end = parsed[first], parsed[last]
                # A month-only end is the whole month: compare months, then days if both.
                if (end[0], end[1]) < (begin[0], begin[1]) or (
                    (end[0], end[1]) == (begin[0], begin[1])
                    and end[2] is not None
                    and begin[2] is not None
                    and end[2] < begin[2]
                ):
                    problems.append(Problem((key, index, last), message))
    return problems


class PlainError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


def _split_days(data: dict[str, Any]) -> dict[str, Any]:
    """A work start given as YYYY-MM-DD becomes start (YYYY-MM) and start_day."""
    works = data.get("work")
    if not works:
        return data
    split = []
    for work in works:
        start = work.get("start") if isinstance(work, dict) else None
        if isinstance(start, str) and _DATE.fullmatch(start):
            work = {**work, "start": start[:7], "start_day": int(start[8:])}
        split.append(work)
    return {**data, "work": split}


def facts_from_plain(data: dict[str, Any]) -> CandidateFacts:
    """The engine's facts from plain data; raises PlainError for impossible values."""
    problems = check(data)
    if problems:
        raise PlainError(problems)
    return CandidateFacts.from_dict(_split_days(data))
