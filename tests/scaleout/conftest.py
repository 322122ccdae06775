import sys
from pathlib import Path

# bench/cluster.py runs the servers; the repository root makes `bench` importable.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "scaleout: two gunicorn servers sharing PostgreSQL and Redis (skipped without them)",
    )
