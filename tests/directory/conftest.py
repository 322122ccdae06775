import pytest
from django.core.management import call_command
from django.db import connection

# A small slice, loaded once per test module outside the per-test transactions: two
# districts of 郑州 and one of 北京 (~800 institutions), the MOE schools and the majors.
# Removed again after the module, so other apps' tests start from empty tables.
SLICE_COUNTIES = "410102,410103,110101"
TABLES = [
    "directory_institutionkey",
    "directory_schoolkey",
    "directory_institution",
    "directory_school",
    "directory_major",
    "directory_region",
    "directory_loadedunit",
]


@pytest.fixture(scope="module")
def _directory_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_directory", counties=SLICE_COUNTIES, verbosity=0)
    yield
    with django_db_blocker.unblock(), connection.cursor() as cur:
        for table in TABLES:
            cur.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names


@pytest.fixture
def directory(_directory_loaded, db):
    """The test database with the directory slice loaded."""
