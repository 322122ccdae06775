"""A server process starts without the heavy libraries that only rare requests need.

OpenCV (photo checks), pypinyin's phrase dictionaries (directory loading) and openpyxl
(staff exports) are ~110 MB of every worker's memory when imported at start-up; the rush
benchmark's memory target (< 250 MB per process) depends on their loading on first use.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("cv2", "pypinyin", "openpyxl", "boto3")

START_SERVER = f"""
import json, sys
LAZY = {LAZY!r}
from yikao.wsgi import application
from django.urls import get_resolver
get_resolver().url_patterns  # every app's views, forms and services
import yikao.api.api
print(json.dumps([m for m in LAZY if m in sys.modules]))
"""


def test_a_started_server_has_not_loaded_opencv_pypinyin_or_openpyxl():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yikao.settings", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", START_SERVER],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_photo_checker_still_loads_opencv_when_it_checks():
    code = (
        "import sys; from yikao.photos import check_photo; "
        "check_photo(b'not a photo', key=b'k'); print('cv2' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "True"
