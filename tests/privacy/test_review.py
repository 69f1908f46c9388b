"""Findings of a hostile review of the privacy commands: file modes and dates outside the calendar."""

import io
import stat
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db(transaction=True)
def test_a_backup_and_its_manifest_are_readable_by_their_owner_only():
    folder = Path(tempfile.mkdtemp())
    path = folder / "fasthold.backup"
    call_command("backup", str(path), stdout=io.StringIO())
    for file in (path, path.with_name(path.name + ".manifest.json")):
        assert stat.S_IMODE(file.stat().st_mode) & 0o077 == 0, file


@pytest.mark.django_db(transaction=True)
def test_a_backup_into_a_missing_folder_is_a_clear_error():
    with pytest.raises(CommandError):
        call_command("backup", str(Path(tempfile.mkdtemp()) / "nowhere" / "b"), stdout=io.StringIO())


@pytest.mark.django_db
def test_erase_expired_with_a_date_too_early_to_count_from_exits_with_2():
    with pytest.raises(CommandError) as error:
        call_command("erase_expired", "--today", "0001-01-01", stdout=io.StringIO())
    assert error.value.returncode == 2
