"""Plain-dict conversion for the frozen dataclasses (for JSON APIs and forms)."""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

from .yearmonth import MonthDay, YearMonth


def to_plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float):
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, YearMonth | MonthDay):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list | frozenset | set):
        items = [to_plain(v) for v in value]
        return sorted(items) if isinstance(value, frozenset | set) else items
    raise TypeError(f"cannot convert {type(value).__name__}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(tp: Any, data: Any) -> Any:
    """Build a value of type `tp` from plain data; unknown keys are an error."""
    if data is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_plain(options[0], data) if len(options) == 1 else data
    if origin in (tuple, list):
        args = typing.get_args(tp)
        if not isinstance(data, list | tuple):
            raise ValueError(f"应为列表：{data!r}")
        return tuple(from_plain(args[0], item) for item in data)
    if origin is frozenset:
        (arg,) = typing.get_args(tp)
        return frozenset(from_plain(arg, item) for item in data)
    if tp in (YearMonth, MonthDay):
        if isinstance(data, tp):
            return data
        if not isinstance(data, str):
            raise ValueError(f"应为年月字符串：{data!r}")
        return tp.parse(data)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise ValueError(f"应为对象：{data!r}")
        hints = _hints(tp)
        names = {f.name for f in dataclasses.fields(tp) if f.init}
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"未知字段：{', '.join(sorted(unknown))}")
        return tp(**{k: from_plain(hints[k], v) for k, v in data.items()})
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(data)
    if tp is bool:
        if not isinstance(data, bool):
            raise ValueError(f"应为布尔值：{data!r}")
        return data
    if tp is int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise ValueError(f"应为整数：{data!r}")
        return data
    if tp is str:
        if not isinstance(data, str):
            raise ValueError(f"应为字符串：{data!r}")
        return data
    return data
