"""No ID or mobile number in any log line: the message, an exception's text and traceback, a
stack, and gunicorn's access log (request line, query string, referer).

No Django here: gunicorn's master process imports this module (gunicorn_logging.py) before
any settings exist.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

# An 18-character resident ID, an 11-digit mainland mobile (also as +86…/86-…), and any run
# of 15+ digits.
_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|(?:\+?86[- ]?)?1[3-9]\d{9}|\d{15,})(?![0-9A-Za-z])"
)
# In a decoded query value, whatever the separators: 11 or more digits in a row.
_LONG_NUMBER = re.compile(r"\d{11,}")
_SEPARATORS = re.compile(r"[\s+\-.()]")
REDACTED = "[redacted]"
# A query string in a log line: from "?" to the end of the URL (a space or a quote).
_QUERY = re.compile(r"\?([^\s\"'#]*)")
_PAIR_SEPARATORS = re.compile(r"([&;])")


def redact(text: str) -> str:
    return _PERSONAL.sub(REDACTED, text)


def _redact_pair(pair: str) -> str:
    """One `key=value` of a query string, its value replaced when, once percent-decoded and
    without separators, it holds 11 or more digits in a row (`id=4101%200119…`,
    `mobile=%2B8613812345678`): the encoded form hides the digits from `redact`."""
    key, sep, value = pair.partition("=")
    decoded = unquote_plus(value if sep else key)
    if redact(decoded) == decoded and not _LONG_NUMBER.search(_SEPARATORS.sub("", decoded)):
        return pair
    return f"{key}={REDACTED}" if sep else REDACTED


def redact_query(query: str) -> str:
    """A query string (no "?") with every value that holds a personal number replaced."""
    parts = _PAIR_SEPARATORS.split(query)
    return "".join(p if p in ("&", ";") else _redact_pair(p) for p in parts)


def redact_url_text(text: str) -> str:
    """A log value that may hold URLs (a request line, a referer): query values decoded and
    checked, then the plain `redact`."""
    return redact(_QUERY.sub(lambda m: "?" + redact_query(m.group(1)), text))


class RedactPersonalDataFilter(logging.Filter):
    """Redacts the message (with its arguments), an exception's formatted text and traceback
    (exc_text, which every logging.Formatter reuses once set) and stack_info."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
