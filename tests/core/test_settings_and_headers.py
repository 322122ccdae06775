import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

from yikao.core.logging import redact


@pytest.mark.django_db
def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert len(response["X-Request-Id"]) == 16


@pytest.mark.django_db
def test_no_inline_scripts_in_pages(client):
    for url in ["/", "/accounts/register/", "/accounts/login/", "/accounts/recover/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and ' style="' not in html


@pytest.mark.django_db
def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "YIKAO_ENV": "production",
        "SECRET_KEY": "x" * 64 + "production-secret-for-check-only-0123456789",
        "FIELD_ENCRYPTION_KEYS": "p1:" + "A" * 43 + "=",
        "FIELD_HASH_KEY": "h" * 44,
        "ALLOWED_HOSTS": "yikao.example.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'check.sqlite3'}",
        "YIKAO_VAR_DIR": str(tmp_path),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        cwd=settings.BASE_DIR,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_logs_redact_id_and_mobile_numbers(caplog):
    from yikao.core.logging import RedactPersonalDataFilter

    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "id %s phone %s",
        ("11010519491231002X", "13812345678"),
        None,
    )
    RedactPersonalDataFilter().filter(record)
    assert record.getMessage() == "id [redacted] phone [redacted]"
    assert redact("order 12") == "order 12"
