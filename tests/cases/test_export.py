"""The case list as CSV: who may download it, what each sees, the filters kept, the audit row, the format
(UTF-8 with BOM and ";" for Danish Excel), no CPR numbers, and a constant number of queries."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.demo import add_synthetic_cases
from tests.base import DemoWorldTestCase


class CaseExportTests(DemoWorldTestCase):
    def download(self, query=""):
        response = self.client.get(reverse("cases:export") + (f"?{query}" if query else ""))
        if response.status_code != 200:
            return response, None
        body = b"".join(response.streaming_content).decode("utf-8")
        return response, body

    def rows(self, body):
        self.assertTrue(body.startswith("\ufeff"), "a BOM for Excel")
        return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))

    def test_staff_download_their_organisations_cases(self):
        for username in ("koordinator", "admin", "laeser"):
            self.as_user(username)
            response, body = self.download()
            self.assertEqual(response.status_code, 200, username)
            self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
            self.assertIn("attachment;", response["Content-Disposition"])
            rows = self.rows(body)
            self.assertEqual(
                rows[0],
                [
                    "Case",
                    "Name",
                    "Employer",
                    "Employer's CVR number",
                    "Job title",
                    "First sick day",
                    "Weeks",
                    "Cause",
                    "Status",
                    "Coordinator",
                    "Organisation",
                ],
            )
            names = {row[1] for row in rows[1:]}
            self.assertIn("Kurt Jensen", names)
            self.assertIn("Bodil Sørensen", names)
            kurt = next(row for row in rows if row[1] == "Kurt Jensen")
            self.assertEqual(kurt[0], str(self.kurt.public_id))
            self.assertEqual(kurt[7], self.kurt.get_cause_category_display(), "staff may see the cause")
            self.assertEqual({row[10] for row in rows[1:]}, {"Jobcenter Aalborg"})

    def test_no_cpr_numbers(self):
        self.kurt.person.cpr = "0101701111"
        self.kurt.person.save()
        self.as_user("koordinator")
        _response, body = self.download()
        self.assertNotIn("0101701111", body)
        self.assertNotIn("010170", body)

    def test_another_organisation_sees_only_its_own(self):
        self.as_user("anden")
        _response, body = self.download()
        names = {row[1] for row in self.rows(body)[1:]}
        self.assertNotIn("Kurt Jensen", names)
        self.assertNotIn("Bodil Sørensen", names)

    def test_not_the_employer_side_the_employee_or_health_professionals(self):
        for username in ("leder", "chef", "kurt", "bodil", "psykolog"):
            self.as_user(username)
            response, _body = self.download()
            self.assertEqual(response.status_code, 403, username)
            self.assertNotContains(self.client.get(reverse("cases:list")), reverse("cases:export"))
        self.client.logout()
        response = self.client.get(reverse("cases:export"))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.CASES_EXPORTED).exists())

    def test_the_filters_are_kept_and_audited(self):
        self.as_user("koordinator")
        list_page = self.client.get(reverse("cases:list"), {"q": "kurt", "status": "all"})
        self.assertContains(list_page, reverse("cases:export") + "?q=kurt&amp;status=all")
        _response, body = self.download("q=kurt&status=all")
        self.assertEqual([row[1] for row in self.rows(body)[1:]], ["Kurt Jensen"])
        entry = AuditEntry.objects.get(action=AuditAction.CASES_EXPORTED)
        self.assertEqual(entry.actor, self.users["koordinator"])
        self.assertEqual(entry.organisation, self.world.orgs["jobcentre"])
        self.assertIsNone(entry.case)
        self.assertEqual(entry.fields, ["filter_q", "filter_status_all", "rows_1"])
        self.assertNotIn("kurt", " ".join(entry.fields), "a searched name is not logged")

    def test_a_bad_filter_is_refused_not_ignored(self):
        self.as_user("koordinator")
        response = self.client.get(reverse("cases:export"), {"status": "bogus"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("not valid", response.content.decode())
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.CASES_EXPORTED).exists())

    def test_constant_queries(self):
        jobcentre = self.world.orgs["jobcentre"]
        employers = [self.world.orgs["door_factory"]]
        coordinators = [self.users["koordinator"]]
        self.as_user("koordinator")
        add_synthetic_cases(
            5, organisation=jobcentre, coordinators=coordinators, employers=employers, events_per_case=0
        )
        with CaptureQueriesContext(connection) as few:
            _response, body = self.download("status=all")
        small = len(self.rows(body))
        add_synthetic_cases(
            40, organisation=jobcentre, coordinators=coordinators, employers=employers, events_per_case=0
        )
        with CaptureQueriesContext(connection) as many:
            _response, body = self.download("status=all")
        self.assertEqual(len(self.rows(body)), small + 40)
        self.assertEqual(len(few), len(many))

    def test_a_value_that_looks_like_a_formula_is_quoted(self):
        self.kurt.person.name = "=HYPERLINK(1)"
        self.kurt.person.save()
        self.as_user("koordinator")
        _response, body = self.download("status=all")
        self.assertIn("'=HYPERLINK(1)", body)
