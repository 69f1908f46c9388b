"""Bulk import of sick-listed persons: every kind of bad row, duplicates in the file, a re-import that opens
nothing, nothing half imported, who may import, the audit rows, and the upload → preview → import pages."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases import imports
from fasthold.cases.importing import import_rows
from fasthold.cases.models import Case, Participant, Person, TimelineEvent
from fasthold.deadlines.models import Deadline
from fasthold.organisations.models import Organisation
from tests.base import DemoWorldTestCase, add_user

TODAY = dt.date(2026, 3, 20)


def _day(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).strftime("%d-%m-%Y")


def row(**values) -> dict:
    base = {
        "cpr": "010190-1111",
        "navn": "Jens Hansen",
        "første sygedag": _day(10),
        "arbejdsgiver cvr": "10000009",
        "arbejdsgiver navn": "",
        "stilling": "Tømrer",
        "ugentlige timer": "37",
    }
    base.update(values)
    return base


class PureCheckTests(SimpleTestCase):
    def codes(self, **values):
        result = imports.check([row(**values)], timezone.localdate())
        return [(e.code, e.column) for e in result.rows[0].errors]

    def test_a_good_row(self):
        self.assertEqual(self.codes(), [])

    def test_each_error_kind(self):
        self.assertEqual(self.codes(navn=""), [("required", "name")])
        self.assertEqual(self.codes(cpr="12345"), [("cpr_format", "cpr")])
        self.assertEqual(self.codes(cpr="320190-1111"), [("cpr_date", "cpr")])
        self.assertEqual(self.codes(navn="x" * 201), [("too_long", "name")])
        self.assertEqual(self.codes(**{"første sygedag": "i går"}), [("date_format", "first_sick_day")])
        self.assertEqual(self.codes(**{"første sygedag": _day(-3)}), [("date_future", "first_sick_day")])
        self.assertEqual(self.codes(**{"første sygedag": "02-03-1990"}), [("date_too_old", "first_sick_day")])
        self.assertEqual(self.codes(**{"arbejdsgiver cvr": "12345678"}), [("cvr_invalid", "employer_cvr")])
        self.assertEqual(
            self.codes(**{"arbejdsgiver cvr": "", "arbejdsgiver navn": "Firma"}), [("cvr_required", "employer_cvr")]
        )
        self.assertEqual(self.codes(**{"ugentlige timer": "mange"}), [("hours_format", "weekly_hours")])
        self.assertEqual(self.codes(**{"ugentlige timer": "90"}), [("hours_range", "weekly_hours")])
        self.assertEqual(self.codes(**{"ugentlige timer": "37,5"}), [])
        self.assertEqual(self.codes(**{"e-mail": "nej"}), [("email_invalid", "email")])

    def test_english_headers_and_dates(self):
        result = imports.check(
            [{"CPR number": "0101901111", "Name": "A", "First sick day": "2026-03-02", "Employer CVR": "10000009"}],
            TODAY,
        )
        self.assertTrue(result.ok, result.rows[0].errors)
        self.assertEqual(result.rows[0].first_sick_day, dt.date(2026, 3, 2))

    def test_missing_column(self):
        result = imports.check([{"cpr": "0101901111", "navn": "A"}], TODAY)
        self.assertEqual([(e.code, e.column) for e in result.file_errors], [("missing_column", "first_sick_day")])

    def test_duplicates_in_the_file(self):
        result = imports.check([row(), row(navn="Jens H."), row(cpr="0201901111")], timezone.localdate())
        self.assertEqual([e.code for e in result.rows[1].errors], ["duplicate"])
        self.assertEqual(result.rows[1].errors[0].params, (("row", "2"),))
        self.assertEqual(result.rows[2].errors, [])

    def test_read_csv_semicolons_bom_and_cp1252(self):
        header, rows = imports.read_csv("\ufeffcpr;navn;første sygedag\r\n0101901111;Åse Ø;02-03-2026\r\n".encode())
        self.assertEqual(header, ["cpr", "navn", "første sygedag"])
        self.assertEqual(list(rows), [{"cpr": "0101901111", "navn": "Åse Ø", "første sygedag": "02-03-2026"}])
        header, rows = imports.read_csv("cpr,navn,første sygedag\n0101901111,Åse,02-03-2026\n".encode("cp1252"))
        self.assertEqual(list(rows)[0]["navn"], "Åse")

    def test_a_broken_file_is_a_file_error_not_a_crash(self):
        # An unmatched quote swallows the rest of the file into one field past the csv module's limit.
        data = ('cpr;navn;første sygedag\n0101901111;"Åse;02-03-2026\n' + "x" * 140_000).encode()
        with self.assertRaisesMessage(ValueError, "format"):
            imports.read_csv(data)

    def test_errors_never_carry_the_cpr_number(self):
        for bad in ("12345", "320190-1111"):
            for error in imports.check([row(cpr=bad)], TODAY).rows[0].errors:
                self.assertNotIn(bad, repr(error))


class ImportServiceTests(DemoWorldTestCase):
    def setUp(self):
        self.org = self.world.orgs["jobcentre"]
        self.actor = self.users["koordinator"]

    def run_import(self, rows, dry_run=False):
        return import_rows(actor=self.actor, organisation=self.org, rows=rows, dry_run=dry_run)

    def test_import_then_reimport_creates_nothing_new(self):
        rows = [row(), row(cpr="0201901111", navn="Anna", **{"ugentlige timer": "30,5"})]
        cases_before = Case.objects.count()
        preview = self.run_import(rows, dry_run=True)
        self.assertTrue(preview.ok)
        self.assertEqual((preview.created, preview.skipped), (2, 0))
        self.assertEqual(Case.objects.count(), cases_before)

        result = self.run_import(rows)
        self.assertTrue(result.imported)
        self.assertEqual((result.created, result.skipped), (2, 0))
        self.assertEqual(Case.objects.count(), cases_before + 2)
        case = Case.objects.get(person__name="Anna")
        self.assertEqual(case.organisation, self.org)
        self.assertEqual(case.coordinator, self.actor)
        self.assertEqual(case.employment.employer, self.world.orgs["door_factory"])
        self.assertEqual(str(case.employment.weekly_hours), "30.5")
        self.assertEqual(case.person.cpr, "0201901111")
        self.assertTrue(Participant.objects.filter(case=case, role="employee").exists())
        self.assertTrue(TimelineEvent.objects.filter(case=case, kind="case_opened").exists())
        self.assertTrue(Deadline.objects.filter(case=case).exists(), "the case calendar is computed")
        self.assertTrue(AuditEntry.objects.filter(case=case, action=AuditAction.CASE_CREATED).exists())
        summary = AuditEntry.objects.filter(action=AuditAction.CASES_IMPORTED).get()
        self.assertEqual(summary.actor, self.actor)
        self.assertEqual(summary.fields, ["created_2", "rows_2", "skipped_0"])

        again = self.run_import(rows)
        self.assertTrue(again.imported)
        self.assertEqual((again.created, again.skipped), (0, 2))
        self.assertEqual(Case.objects.count(), cases_before + 2)
        # A file with one more row adds that one only.
        more = self.run_import([*rows, row(cpr="0301901111", navn="Bo")])
        self.assertEqual((more.created, more.skipped), (1, 2))

    def test_a_large_import_leaves_the_calendars_to_the_task_worker(self):
        from unittest import mock

        from django_tasks_db.models import DBTaskResult

        from fasthold.cases import importing

        rows = [row(), row(cpr="0201901111", navn="Anna"), row(cpr="0301901111", navn="Bo")]
        with mock.patch.object(importing, "INLINE_CALENDARS", 2), self.captureOnCommitCallbacks(execute=True):
            result = self.run_import(rows)
        self.assertEqual(result.created, 3)
        cases = list(Case.objects.filter(person__cpr__in=["0101901111", "0201901111", "0301901111"]))
        self.assertFalse(Deadline.objects.filter(case__in=cases).exists(), "not in the import's transaction")
        task = DBTaskResult.objects.get(task_path="fasthold.cases.tasks.compute_calendars")
        self.assertEqual(sorted(task.args_kwargs["args"][0]), sorted(c.pk for c in cases))
        from fasthold.cases.tasks import compute_calendars

        compute_calendars.call(task.args_kwargs["args"][0])
        for case in cases:
            self.assertTrue(Deadline.objects.filter(case=case).exists())

    def test_an_actor_who_may_not_coordinate_leaves_the_coordinator_empty(self):
        service_account = add_user("api-client-1")
        result = import_rows(actor=service_account, organisation=self.org, rows=[row()], dry_run=False)
        self.assertTrue(result.imported)
        case = Case.objects.get(person__cpr="0101901111")
        self.assertIsNone(case.coordinator)
        self.assertEqual(AuditEntry.objects.get(case=case, action=AuditAction.CASE_CREATED).actor, service_account)

    def test_one_bad_row_and_nothing_is_imported(self):
        counts = (Case.objects.count(), Person.objects.count(), Organisation.objects.count())
        rows = [row(), row(cpr="0201901111", **{"arbejdsgiver cvr": "30000005", "arbejdsgiver navn": "Ny A/S"})]
        rows.append(row(cpr="320190-1111"))
        result = self.run_import(rows)
        self.assertFalse(result.ok)
        self.assertFalse(result.imported)
        self.assertEqual(result.created, 0)
        self.assertEqual(
            (Case.objects.count(), Person.objects.count(), Organisation.objects.count()),
            counts,
            "nothing half imported",
        )
        self.assertEqual([(e.row, e.code) for e in result.errors], [(4, "cpr_date")])
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.CASES_IMPORTED).exists())

    def test_a_failure_while_writing_leaves_nothing(self):
        from unittest import mock

        from fasthold.cases import hooks

        counts = (Case.objects.count(), Person.objects.count(), TimelineEvent.objects.count())
        with mock.patch.object(hooks, "dates_changed_many", side_effect=RuntimeError("calendar")):
            with self.assertRaises(RuntimeError):
                self.run_import([row(), row(cpr="0201901111")])
        self.assertEqual((Case.objects.count(), Person.objects.count(), TimelineEvent.objects.count()), counts)
        self.assertFalse(
            AuditEntry.objects.filter(action=AuditAction.CASE_CREATED, fields=[])
            .exclude(case=None)
            .filter(case__person__cpr="0101901111")
            .exists()
        )

    def test_errors_in_plain_danish_and_english(self):
        rows = [row(cpr="320190-1111"), row(navn=""), row()]
        with override("da"):
            messages = [e.message for e in self.run_import(rows, dry_run=True).errors]
        self.assertIn("CPR-nummer", messages[0])
        with override("en"):
            messages = [e.message for e in self.run_import(rows, dry_run=True).errors]
        self.assertIn("Row 2, CPR number: the CPR number does not exist", messages[0])
        self.assertIn("Row 3, name: missing", messages[1])
        self.assertIn("Row 4: the same person and first sick day as row 3", messages[2])
        for message in messages:
            self.assertNotIn("320190", message)

    def test_unknown_cvr_needs_a_name_and_then_makes_the_employer(self):
        unknown = row(**{"arbejdsgiver cvr": "30000005"})
        result = self.run_import([unknown])
        self.assertEqual([e.code for e in result.errors], ["cvr_unknown"])
        result = self.run_import([row(**{"arbejdsgiver cvr": "30000005", "arbejdsgiver navn": "Ny A/S"})])
        self.assertTrue(result.imported)
        self.assertEqual(result.employers_created, 1)
        self.assertEqual(Organisation.objects.get(cvr="30000005").name, "Ny A/S")

    def test_cvr_of_a_non_employer(self):
        self.org.cvr = "20000023"
        self.org.save()
        result = self.run_import([row(**{"arbejdsgiver cvr": "20000023"})], dry_run=True)
        self.assertEqual([e.code for e in result.errors], ["cvr_not_employer"])

    def test_a_case_opened_by_hand_is_not_imported_again(self):
        person = self.kurt.person
        person.cpr = "0101701111"
        person.save()
        result = self.run_import(
            [row(cpr=person.cpr, **{"første sygedag": self.kurt.first_sick_day.strftime("%d-%m-%Y")})], dry_run=True
        )
        self.assertEqual((result.created, result.skipped), (0, 1))


CSV = (
    "cpr;navn;første sygedag;arbejdsgiver cvr;arbejdsgiver navn;stilling;ugentlige timer\r\n"
    f"010190-1111;Jens Hansen;{_day(10)};10000009;;Tømrer;37\r\n"
    f"020190-1111;Anna Berg;{_day(12)};20000005;;Bogholder;30\r\n"
)


class ImportPageTests(DemoWorldTestCase):
    def upload(self, text=CSV, name="liste.csv"):
        return self.client.post(
            reverse("cases:import"), {"file": SimpleUploadedFile(name, text.encode("utf-8"), "text/csv")}
        )

    def test_preview_then_import(self):
        self.as_user("koordinator")
        before = Case.objects.count()
        response = self.upload()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Jens Hansen")
        self.assertContains(response, "2 new cases")
        self.assertEqual(Case.objects.count(), before, "the preview opens nothing")
        token = response.context["token"]
        response = self.client.post(reverse("cases:import_confirm"), {"token": token})
        self.assertRedirects(response, reverse("cases:list"), fetch_redirect_response=False)
        self.assertEqual(Case.objects.count(), before + 2)
        # The stored upload is used once.
        response = self.client.post(reverse("cases:import_confirm"), {"token": token})
        self.assertEqual(response.status_code, 410)
        self.assertEqual(Case.objects.count(), before + 2)

    def test_preview_with_errors_offers_no_import(self):
        self.as_user("koordinator")
        response = self.upload(CSV + f"320190-1111;Bad;{_day(3)};;;;\r\n")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Row 4, CPR number")
        self.assertContains(response, "Nothing is imported")
        self.assertIsNone(response.context["token"])

    def test_a_broken_file_gets_a_message_not_a_500(self):
        self.as_user("koordinator")
        before = Case.objects.count()
        response = self.upload('cpr;navn;første sygedag\n0101901111;"Åse;02-03-2026\n' + "x" * 140_000)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "not a valid CSV file", status_code=400)
        self.assertEqual(Case.objects.count(), before)

    def test_a_valid_cpr_number_stays_masked_in_a_row_with_another_error(self):
        self.as_user("koordinator")
        text = (
            "cpr;navn;første sygedag;arbejdsgiver cvr;stilling;e-mail\r\n"
            f"030190-1111;Bo Lund;{_day(3)};10000009;Smed;ikke-en-adresse\r\n"
        )
        response = self.upload(text)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("030190-1111", html)
        self.assertNotIn("0301901111", html)
        self.assertIn("Row 2", html)

    def test_another_user_cannot_use_the_token(self):
        self.as_user("koordinator")
        token = self.upload().context["token"]
        self.as_user("kollega")
        before = Case.objects.count()
        response = self.client.post(reverse("cases:import_confirm"), {"token": token})
        self.assertEqual(response.status_code, 410)
        self.assertEqual(Case.objects.count(), before)

    def test_who_may_import(self):
        for username in ("koordinator", "admin"):
            self.as_user(username)
            self.assertEqual(self.client.get(reverse("cases:import")).status_code, 200, username)
            self.assertContains(self.client.get(reverse("cases:list")), reverse("cases:import"))
        for username in ("laeser", "leder", "kurt", "psykolog"):
            self.as_user(username)
            self.assertEqual(self.client.get(reverse("cases:import")).status_code, 403, username)
            self.assertEqual(self.upload().status_code, 403, username)
            self.assertNotContains(self.client.get(reverse("cases:list")), reverse("cases:import"))

    def test_template(self):
        self.as_user("koordinator")
        response = self.client.get(reverse("cases:import_template"))
        self.assertEqual(response.status_code, 200)
        body = response.content.decode("utf-8")
        self.assertTrue(body.startswith("\ufeffcpr;navn;første sygedag;arbejdsgiver cvr"))


class DanishWordsTests(SimpleTestCase):
    def test_every_message_has_a_danish_translation(self):
        """In the Danish catalogue or, until it is merged, in locale-pending/import-export.po."""
        from pathlib import Path

        from django.utils.translation import trans_real

        from fasthold.cases import importing

        pending = Path(__file__).resolve().parents[2] / "locale-pending" / "import-export.po"
        text = pending.read_text(encoding="utf-8") if pending.exists() else ""
        words = [*importing.MESSAGES.values(), *importing.FILE_MESSAGES.values(), *importing.COLUMN_LABELS.values()]
        for word in words:
            with override("en"):
                english = str(word)
            translated = english in trans_real.translation("da")._catalog
            escaped = english.replace('"', '\\"')
            self.assertTrue(translated or f'msgid "{escaped}"' in text, english)
