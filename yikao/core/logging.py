"""Log filters: a request id on every line, and no ID or mobile number in any line (the
message, exception text and tracebacks: yikao/core/redaction.py; gunicorn's access log:
yikao/core/gunicorn_logging.py)."""

import logging

from yikao.core.middleware import current_request_id
from yikao.core.redaction import RedactPersonalDataFilter, redact

__all__ = ["RedactPersonalDataFilter", "RequestIdFilter", "redact"]


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True
