"""Log filters: a request id on every line, and no ID or mobile number in any line."""

import logging
import re

from yikao.core.middleware import current_request_id

# An 18-character resident ID, an 11-digit mainland mobile, and any run of 15+ digits.
_PERSONAL = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|1[3-9]\d{9}|\d{15,})(?![0-9A-Za-z])")


def redact(text: str) -> str:
    return _PERSONAL.sub("[redacted]", text)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class RedactPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
