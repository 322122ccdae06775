"""No ID or mobile number in any log line: exception text and tracebacks too, and gunicorn's
access log (query strings, referer) as gunicorn.conf.py configures it."""

import datetime
import io
import logging
import runpy
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils.module_loading import import_string

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "41010119900101123X"
MOBILE = "13812345678"


def _assert_clean(text: str) -> None:
    assert ID_NUMBER not in text and ID_NUMBER[:-1] not in text
    assert MOBILE not in text
    assert "[redacted]" in text


@pytest.fixture
def project_log():
    """A logger writing through the filters and the formatter of settings.LOGGING's console."""
    conf = settings.LOGGING
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    for name in conf["handlers"]["console"]["filters"]:
        handler.addFilter(import_string(conf["filters"][name]["()"])())
    handler.setFormatter(logging.Formatter(conf["formatters"]["plain"]["format"]))
    log = logging.getLogger("tests.log_redaction")
    log.addHandler(handler)
    log.propagate = False
    log.setLevel(logging.INFO)
    yield log, stream
    log.removeHandler(handler)


def _fail_with_personal_data():
    raise ValueError(f"no candidate with id {ID_NUMBER} and mobile {MOBILE}")


def test_exception_text_and_traceback_are_redacted(project_log):
    log, stream = project_log
    try:
        _fail_with_personal_data()
    except ValueError:
        log.exception("lookup failed")
    out = stream.getvalue()
    assert "Traceback (most recent call last)" in out and "ValueError" in out
    _assert_clean(out)


def test_exception_logged_with_exc_info_in_a_chain_is_redacted(project_log):
    log, stream = project_log
    try:
        try:
            _fail_with_personal_data()
        except ValueError as exc:
            raise RuntimeError(f"wrapped: {exc}") from exc
    except RuntimeError:
        log.error("request failed for %s", "/profile/", exc_info=True)
    _assert_clean(stream.getvalue())


def test_stack_info_is_redacted(project_log):
    log, stream = project_log

    log.warning("with its stack", stack_info=True, extra={"m": "13812345678"})  # source line
    out = stream.getvalue()
    assert "Stack (most recent call last)" in out
    _assert_clean(out)


# --- gunicorn ---------------------------------------------------------------------------------


def _gunicorn_logger(capsys):
    from gunicorn.config import Config

    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    cfg = Config()
    for name in ("accesslog", "access_log_format", "logger_class"):
        if name in conf:
            cfg.set(name, conf[name])
    return cfg.logger_class(cfg)


def _access_line(capsys, raw_uri: str, referer: str = "-") -> str:
    logger = _gunicorn_logger(capsys)
    path, _, query = raw_uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": raw_uri,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "test",
    }
    resp = SimpleNamespace(status="200 OK", sent=512, headers=[])
    req = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(resp, req, environ, datetime.timedelta(milliseconds=12))
    for handler in logger.access_log.handlers:
        handler.flush()
    return capsys.readouterr().out


def test_gunicorn_conf_uses_the_redacting_logger():
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["logger_class"] == "yikao.core.gunicorn_logging.RedactingLogger"


def test_access_log_line_redacts_query_strings(capsys):
    uri = f"/review/?q={ID_NUMBER}&mobile=%2B86{MOBILE}&id=4101%200119%209001%200112%203X&page=2"
    line = _access_line(capsys, uri, referer=f"https://example.cn/x?m={MOBILE}")
    assert '"GET /review/?q=[redacted]&mobile=[redacted]&id=[redacted]&page=2 HTTP/1.1" 200' in line
    assert "%2B86" not in line and "0119" not in line
    _assert_clean(line)


def test_plain_redact_covers_the_86_prefix():
    from yikao.core.redaction import redact

    assert redact(f"call +86{MOBILE} or 86-{MOBILE}") == "call [redacted] or [redacted]"


def test_access_log_keeps_ordinary_queries(capsys):
    line = _access_line(capsys, "/photos/check/?exam=3&after=1024")
    assert '"GET /photos/check/?exam=3&after=1024 HTTP/1.1" 200 512' in line
    assert "[redacted]" not in line


def test_gunicorn_error_log_tracebacks_are_redacted(capsys):
    logger = _gunicorn_logger(capsys)
    try:
        _fail_with_personal_data()
    except ValueError:
        logger.exception("Error handling request /x?id=%s", ID_NUMBER)
    for handler in logger.error_log.handlers:
        handler.flush()
    err = capsys.readouterr().err
    assert "ValueError" in err
    _assert_clean(err)


def test_access_log_redaction_needs_no_django():
    """gunicorn's master loads the logger class before any Django settings exist."""
    import subprocess

    code = (
        "import sys; import yikao.core.gunicorn_logging; "
        "print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
