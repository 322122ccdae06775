"""Fault tests (marked `faults`) start servers, kill them and restart PostgreSQL: they run in
their own target, `make test-faults` (YIKAO_FAULTS=1), not in the normal suite."""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(config, items):
    if os.environ.get("YIKAO_FAULTS") == "1":
        return
    skip = pytest.mark.skip(reason="fault test: run with `make test-faults` (YIKAO_FAULTS=1)")
    for item in items:
        if item.get_closest_marker("faults") is not None:
            item.add_marker(skip)


def pytest_configure(config):
    # Registered here too, so that --strict-markers accepts it before pyproject lists it.
    config.addinivalue_line("markers", "faults: fault injection (kill -9, database restart)")
