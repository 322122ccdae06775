"""Result types: one CheckResult per rule, a PhotoReport for the whole photo, and PhotoError."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    PASS = "pass"  # noqa: S105 - 符合要求 (a status, not a password)
    FIXED = "fixed"  # 不符合，但已自动处理（旋转、裁剪、转换格式、压缩、去元数据等）
    FAIL = "fail"  # 不符合，需考生重新拍摄或处理
    SKIPPED = "skipped"  # 前一项未通过，无法检测


class PhotoError(Exception):
    """The input cannot be used at all (not an image, truncated, too large, refused format)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CheckResult:
    code: str
    status: Status
    message: str
    detail: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.status in (Status.PASS, Status.FIXED)

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "status": str(self.status),
            "passed": self.passed,
            "message": self.message,
            "detail": self.detail,
        }


@dataclass
class PhotoReport:
    checks: list[CheckResult]
    jpeg: bytes | None = None  # fixed and marked; only set when the photo passes
    width: int | None = None
    height: int | None = None
    usable: bool = True  # False: the input could not be decoded or was refused
    profile_fingerprint: str = ""
    elapsed_ms: float = 0.0

    @property
    def passed(self) -> bool:
        return self.usable and self.jpeg is not None and all(c.passed for c in self.checks)

    @property
    def byte_size(self) -> int | None:
        return None if self.jpeg is None else len(self.jpeg)

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if c.status == Status.FAIL]

    def get(self, code: str) -> CheckResult | None:
        return next((c for c in self.checks if c.code == code), None)

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "usable": self.usable,
            "width": self.width,
            "height": self.height,
            "byte_size": self.byte_size,
            "profile": self.profile_fingerprint,
            "elapsed_ms": round(self.elapsed_ms, 1),
            "checks": [c.to_dict() for c in self.checks],
        }


def ok(code: str, message: str, **detail) -> CheckResult:
    return CheckResult(code, Status.PASS, message, detail)


def fixed(code: str, message: str, **detail) -> CheckResult:
    return CheckResult(code, Status.FIXED, message, detail)


def fail(code: str, message: str, **detail) -> CheckResult:
    return CheckResult(code, Status.FAIL, message, detail)


def skipped(code: str, message: str = "前一项未通过，未检测。") -> CheckResult:
    return CheckResult(code, Status.SKIPPED, message, {})
