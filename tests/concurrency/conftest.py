import sys
from pathlib import Path

import pytest

# rush.py, the shared runner of the rush tests.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Hundreds of accounts are created here; the hasher is not what these tests measure.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
