import sys
from pathlib import Path

import pytest

# security_world.py lives beside this file; importlib mode does not add it to the path.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def world(db):
    from security_world import build_world

    return build_world()
