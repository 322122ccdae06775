"""Year-month value type: the granularity the NMEC forms use (YYYY-MM)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import total_ordering

_PATTERN = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?\s*$")


@total_ordering
@dataclass(frozen=True, slots=True)
class YearMonth:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份须在1–12之间：{self.month}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"年份无效：{self.year}")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Parse "YYYY-MM" (also accepts "YYYY.MM", "YYYY/MM" and "YYYY年MM月")."""
        match = _PATTERN.match(text or "")
        if not match:
            raise ValueError(f"年月格式应为YYYY-MM：{text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def index(self) -> int:
        """Months since year 0; differences of indices count months."""
        return self.year * 12 + (self.month - 1)

    @classmethod
    def from_index(cls, index: int) -> YearMonth:
        return cls(index // 12, index % 12 + 1)

    def add_months(self, months: int) -> YearMonth:
        return YearMonth.from_index(self.index + months)

    def last_day(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, YearMonth):
            return NotImplemented
        return self.index < other.index

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def chinese(self) -> str:
        return f"{self.year}年{self.month}月"


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day in the year such as 08-31, used for per-exam cut-offs."""

    month: int
    day: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 1 <= self.day <= 31:
            raise ValueError(f"月日无效：{self.month}-{self.day}")

    @classmethod
    def parse(cls, text: str) -> MonthDay:
        match = re.match(r"^\s*(\d{1,2})-(\d{1,2})\s*$", text or "")
        if not match:
            raise ValueError(f"月日格式应为MM-DD：{text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    def is_month_end(self, year: int) -> bool:
        return self.day >= calendar.monthrange(year, self.month)[1]

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    def chinese(self) -> str:
        return f"{self.month}月{self.day}日"
