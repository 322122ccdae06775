import pytest
from django.core.management import call_command

from yikao.directory.models import Institution, InstitutionKey, LoadedUnit, Major, Region

pytestmark = pytest.mark.usefixtures("directory")


def counts():
    return (
        Region.objects.count(),
        Institution.objects.count(),
        InstitutionKey.objects.count(),
        Major.objects.count(),
        LoadedUnit.objects.count(),
    )


def test_loader_adds_a_county_once_and_a_second_run_adds_nothing():
    before = counts()
    call_command("load_directory", counties="410104", verbosity=0)
    after_first = counts()
    assert after_first[1] > before[1]
    assert Region.objects.get(code="410104").path == "河南省/郑州市/管城回族区"
    assert LoadedUnit.objects.filter(name="a410104").exists()
    call_command("load_directory", counties="410104", verbosity=0)
    assert counts() == after_first


def test_loader_slice_option_takes_the_first_counties():
    call_command("load_directory", provinces="41", slice_=1, verbosity=0)
    assert LoadedUnit.objects.filter(name="a410102").exists()  # already loaded: kept
    assert not LoadedUnit.objects.filter(name="a410104").exists()


def test_loader_rejects_unknown_counties():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="未知的区县代码"):
        call_command("load_directory", counties="999999", verbosity=0)


def test_loaded_slice_has_keys_for_every_institution():
    with_keys = set(InstitutionKey.objects.values_list("institution_id", flat=True).distinct())
    assert set(Institution.objects.values_list("id", flat=True)) <= with_keys
    # 本科/专科; the 67 研究生 disciplines are tested in test_graduate_majors.py.
    assert Major.objects.exclude(level="研究生").count() == 111
