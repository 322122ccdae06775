"""backup_data / restore_data: a backup taken while the service runs, restored after the data
was damaged, brings back every row (counts per table) and every registration (checksum)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import make_bachelor_profile, make_candidate, make_draft, make_exam, make_site

from yikao.ops.management.commands.backup_data import registrations_checksum, row_counts
from yikao.registrations.models import Registration
from yikao.registrations.services import registration_abandon, registration_submit

pytestmark = pytest.mark.django_db(transaction=True)


def _registrations(n: int):
    exam = make_exam()
    site = make_site(exam)
    made = []
    for _ in range(n):
        candidate = make_candidate()
        make_bachelor_profile(candidate)
        draft = make_draft(candidate, exam, site)
        made.append(registration_submit(draft=draft, token=draft.token))
    return made


def test_backup_then_restore_brings_back_every_row(tmp_path):
    made = _registrations(5)
    registration_abandon(candidate=made[0].candidate, registration=made[0])
    counts, checksum = row_counts(), registrations_checksum()
    assert counts["registrations_registration"] == 5
    out = io.StringIO()
    call_command("backup_data", str(tmp_path / "yikao.backup"), stdout=out)
    assert f"5 registrations, checksum {checksum}" in out.getvalue()
    # Damage: a registration deleted, another changed, a new one added.
    Registration.objects.filter(pk=made[1].pk).update(status="approved")
    made[2].educations.clear()
    Registration.objects.filter(pk=made[3].pk).delete()
    _registrations(1)
    assert registrations_checksum() != checksum
    out = io.StringIO()
    call_command("restore_data", str(tmp_path / "yikao.backup"), "--yes", stdout=out)
    assert row_counts() == counts
    assert registrations_checksum() == checksum
    assert f"5 registrations, checksum {checksum}" in out.getvalue()
    assert Registration.objects.get(pk=made[2].pk).educations.count() == 1


def test_restore_needs_confirmation_and_a_file(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_data", __file__)
    with pytest.raises(CommandError, match="not a backup file"):
        call_command("restore_data", str(tmp_path / "missing"), "--yes")
    (tmp_path / "taken").write_text("x")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup_data", str(tmp_path / "taken"))
