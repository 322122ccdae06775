"""gunicorn's logger (gunicorn.conf.py: logger_class) with personal numbers redacted.

The access log line is formatted from "atoms" (gunicorn.glogging.Logger.atoms): the request
line (%(r)s) and the query string (%(q)s) carry whatever a client put in the URL, the referer
(%(f)s) a previous page's URL. Each atom is redacted before formatting, query values also
when percent-encoded. The error log (tracebacks of failed requests) and the access log get
the same filter as the application's own log lines.
"""

from gunicorn.glogging import Logger

from yikao.core.redaction import RedactPersonalDataFilter, redact, redact_url_text

_URL_ATOMS = {"r", "q", "f", "U", "{referer}i"}


def redact_atoms(atoms: dict) -> dict:
    """The atoms with every text value redacted (query values decoded for the URL ones)."""
    out = dict(atoms)
    for key, value in atoms.items():
        if not isinstance(value, str):
            continue
        if key in _URL_ATOMS:
            out[key] = redact_url_text(value) if key != "q" else redact_url_text("?" + value)[1:]
        else:
            out[key] = redact(value)
    return out


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            if not any(isinstance(f, RedactPersonalDataFilter) for f in log.filters):
                log.addFilter(RedactPersonalDataFilter())

    def atoms(self, resp, req, environ, request_time):
        return redact_atoms(super().atoms(resp, req, environ, request_time))
