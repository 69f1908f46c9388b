"""Backup → change → restore: every table's row count and checksum come back (SQLite and PostgreSQL)."""

import io
import json
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TransactionTestCase

from fasthold.cases.models import Case, HealthRecord, Person
from fasthold.privacy import backup, fingerprint
from tests.base import build_demo_world


# Its own world per test: a restore replaces every table, which a TestCase's rolled-back transaction cannot hold.
class BackupRoundTripTests(TransactionTestCase):
    def setUp(self):
        self.world = build_demo_world()
        self.tmp = Path(tempfile.mkdtemp())
        self.path = self.tmp / "fasthold.backup"

    def test_backup_change_restore_matches_every_table(self):
        out = io.StringIO()
        call_command("backup", str(self.path), stdout=out)
        self.assertIn("Backed up", out.getvalue())
        manifest = json.loads(backup.manifest_path(self.path).read_text())
        self.assertEqual(manifest["vendor"], connection.vendor)
        before = backup.current_fingerprints()
        self.assertEqual(manifest["tables"], before)
        self.assertGreater(before["cases_case"]["rows"], 0)
        self.assertIn("audit_auditentry", before)

        # Change data: a new row, a changed value, a deleted row.
        Person.objects.create(name="Efter Backup")
        original_treatment = HealthRecord.objects.get(case=self.world.kurt).treatment
        HealthRecord.objects.filter(case=self.world.kurt).update(treatment="Ændret efter backup")
        Case.objects.filter(pk=self.world.bodil.pk).update(expected_weeks=99)
        changed = backup.current_fingerprints()
        diff = fingerprint.differences(before, changed)
        self.assertTrue(any(line.startswith("cases_person:") for line in diff), diff)
        self.assertTrue(
            any(line.startswith("cases_healthrecord:") and "content differs" in line for line in diff), diff
        )
        self.assertTrue(any(line.startswith("cases_case:") for line in diff), diff)

        out = io.StringIO()
        call_command("restore", str(self.path), "--no-input", stdout=out)
        self.assertIn("every table's row count and checksum match", out.getvalue())
        self.assertEqual(backup.current_fingerprints(), before)
        self.assertFalse(Person.objects.filter(name="Efter Backup").exists())
        self.assertEqual(
            HealthRecord.objects.get(case=self.world.kurt).treatment,
            original_treatment,
        )
        # The restored database works for ordinary writes (sequences came back too).
        Person.objects.create(name="Ny efter restore")

        out = io.StringIO()
        Person.objects.filter(name="Ny efter restore").delete()
        call_command("verify_backup", "--manifest", str(backup.manifest_path(self.path)), stdout=out)
        self.assertIn("match the manifest", out.getvalue())

    def test_verify_reports_a_difference(self):
        call_command("backup", str(self.path), stdout=io.StringIO())
        Person.objects.create(name="Ekstra")
        err = io.StringIO()
        with pytest.raises(CommandError) as error:
            call_command(
                "verify_backup", "--manifest", str(backup.manifest_path(self.path)), stdout=io.StringIO(), stderr=err
            )
        self.assertEqual(error.value.returncode, 1)
        self.assertIn("cases_person", err.getvalue())

    def test_backup_refuses_to_overwrite_and_restore_refuses_a_bad_file(self):
        self.path.write_text("not a backup")
        with pytest.raises(CommandError) as error:
            call_command("backup", str(self.path), stdout=io.StringIO())
        self.assertEqual(error.value.returncode, 2)
        before = backup.current_fingerprints()
        with pytest.raises(CommandError) as error:
            call_command("restore", str(self.path), "--no-input", stdout=io.StringIO())
        self.assertEqual(error.value.returncode, 2)
        self.assertEqual(backup.current_fingerprints(), before)
        with pytest.raises(CommandError):
            call_command("restore", str(self.tmp / "missing"), "--no-input", stdout=io.StringIO())

    def test_checksum_sees_a_change_that_keeps_the_row_count(self):
        before = backup.current_fingerprints()
        Person.objects.filter(pk=self.world.kurt.person_id).update(phone="+45 00 00 00 00")
        after = backup.current_fingerprints()
        self.assertEqual(before["cases_person"]["rows"], after["cases_person"]["rows"])
        self.assertNotEqual(before["cases_person"]["sha256"], after["cases_person"]["sha256"])
        self.assertEqual(
            {k: v for k, v in before.items() if k != "cases_person"},
            {k: v for k, v in after.items() if k != "cases_person"},
        )
