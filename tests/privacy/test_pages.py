"""The employee's own export and the retention settings page: content, access, audit, bad input."""

import io
import json
import uuid
import zipfile

from django.urls import reverse
from pypdf import PdfReader

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Case, TimelineEvent
from fasthold.organisations.models import Organisation
from fasthold.privacy.forms import RetentionForm
from fasthold.privacy.models import DEFAULT_LEGAL_BASIS, RetentionPolicy
from fasthold.privacy.retention import MAX_RETENTION_MONTHS, MIN_RETENTION_MONTHS
from tests.base import ALL_DEMOS, DemoWorldTestCase


class PrivacyPageTests(DemoWorldTestCase):
    # Every app's demo content: the export must hold the rows of every app on the case.
    load_demos = ALL_DEMOS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jobcentre = cls.world.orgs["jobcentre"]

    # --- the export -------------------------------------------------------------------------

    def download(self):
        response = self.client.get(reverse("privacy:my_export"))
        self.assertEqual(response.status_code, 200)
        return response, zipfile.ZipFile(io.BytesIO(response.content))

    def test_export_is_an_attachment_not_stored_and_named_without_cpr(self):
        self.as_user("kurt")
        response, archive = self.download()
        self.assertEqual(response["Content-Type"], "application/zip")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn("no-store", response["Cache-Control"])
        self.assertNotIn(self.kurt.person.cpr, response["Content-Disposition"])
        self.assertNotIn(self.kurt.person.cpr[:6], response["Content-Disposition"])
        self.assertNotIn("Kurt", response["Content-Disposition"])
        self.assertEqual(sorted(archive.namelist()), ["data.json", "data.pdf"])

    def test_export_holds_the_employees_own_case_and_nothing_of_others(self):
        self.as_user("kurt")
        _response, archive = self.download()
        text = archive.read("data.json").decode()
        data = json.loads(text)
        self.assertEqual(data["account"]["username"], "kurt")
        self.assertEqual(data["person"]["cases.Person"][0]["cpr"], self.kurt.person.cpr)
        self.assertEqual([c["case"] for c in data["cases"]], [str(self.kurt.public_id)])
        case = data["cases"][0]["data"]
        self.assertEqual(case["cases.HealthRecord"][0]["diagnosis"], self.kurt.health.diagnosis)
        for label in (
            "cases.Case",
            "cases.Participant",
            "cases.TimelineEvent",
            "plans.Plan",
            "plans.PlanVersion",
            "meetings.Meeting",
            "coordination.ContactEntry",
            "deadlines.Deadline",
        ):
            self.assertIn(label, case)
            self.assertTrue(case[label], label)
        self.assertIn("schedules.ReturnSchedule", case)
        # Nothing of Bodil's case, and no secrets or internal bookkeeping.
        self.assertNotIn("Bodil", text)
        self.assertNotIn(self.bodil.health.diagnosis, text)
        self.assertNotIn("password", text)
        self.assertNotIn("agreements_hash", text)
        # The access log: when, what, which organisation; not the staff member's name.
        log = data["cases"][0]["access_log"]
        self.assertTrue(log)
        self.assertNotIn("Karen", json.dumps(log))

    def test_export_pdf_is_readable_and_masks_the_cpr(self):
        self.as_user("kurt")
        _response, archive = self.download()
        pdf = PdfReader(io.BytesIO(archive.read("data.pdf")))
        text = " ".join(page.extract_text() for page in pdf.pages)
        self.assertIn("Your data in Fasthold", text)
        self.assertIn("Kurt Jensen", text)
        self.assertIn("Lænderygsmerter", text)
        self.assertNotIn(self.kurt.person.cpr, text.replace("-", ""))
        self.assertNotIn("Bodil", text)

    def test_export_leaves_out_rows_whose_audience_excludes_the_employee(self):
        TimelineEvent.objects.create(
            case=self.kurt, kind="note", audience="staff_only", params={"text": "Intern bemærkning om sagen"}
        )
        self.as_user("kurt")
        _response, archive = self.download()
        self.assertNotIn("Intern bemærkning", archive.read("data.json").decode())

    def test_export_is_audited_per_case(self):
        self.as_user("kurt")
        before = AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED).count()
        self.download()
        entries = AuditEntry.objects.filter(action=AuditAction.DATA_EXPORTED)
        self.assertEqual(entries.count(), before + 1)
        entry = entries.first()
        self.assertEqual((entry.case_id, entry.actor_id), (self.kurt.pk, self.users["kurt"].pk))

    def test_only_the_person_themselves_may_download(self):
        for username in ("koordinator", "admin", "leder", "psykolog", "anden", "laeser"):
            with self.subTest(username):
                self.as_user(username)
                self.assertEqual(self.client.get(reverse("privacy:my_export")).status_code, 404)
        self.client.logout()
        response = self.client.get(reverse("privacy:my_export"))
        self.assertEqual(response.status_code, 302)
        self.assertIn("/login/", response["Location"])
        self.as_user("bodil")
        _response, archive = self.download()
        text = archive.read("data.json").decode()
        self.assertIn(self.bodil.health.diagnosis, text)
        self.assertNotIn("Kurt", text)

    def test_export_is_get_only(self):
        self.as_user("kurt")
        self.assertEqual(self.client.post(reverse("privacy:my_export")).status_code, 405)

    def test_portal_links_to_the_export(self):
        self.as_user("kurt")
        self.assertContains(self.client.get(reverse("portals:employee")), reverse("privacy:my_export"))

    # --- the retention settings --------------------------------------------------------------

    def url(self, org=None):
        return reverse("privacy:retention", args=[(org or self.jobcentre).public_id])

    def test_admin_sees_the_default_and_saves_a_period_audited(self):
        self.as_user("admin")
        response = self.client.get(self.url())
        self.assertContains(response, 'value="60"')
        self.assertContains(response, "0 closed cases are due for erasure now.")
        Case.objects.filter(pk=self.kurt.pk).update(status="closed", closed_on="2015-03-01")
        self.assertContains(self.client.get(self.url()), "1 closed case is due for erasure now.")
        self.assertContains(response, "databeskyttelsesforordningens artikel 5")
        response = self.client.post(self.url(), {"months": "120", "legal_basis": "  Kommunens kassationsregler.  "})
        self.assertRedirects(response, self.url())
        policy = RetentionPolicy.objects.get(organisation=self.jobcentre)
        self.assertEqual((policy.months, policy.legal_basis), (120, "Kommunens kassationsregler."))
        entry = AuditEntry.objects.get(action=AuditAction.RETENTION_CHANGED)
        self.assertEqual(entry.fields, ["legal_basis", "months"])
        self.assertEqual((entry.actor_id, entry.organisation_id), (self.users["admin"].pk, self.jobcentre.pk))
        self.client.post(self.url(), {"months": "96", "legal_basis": "Kommunens kassationsregler."})
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.RETENTION_CHANGED).first().fields, ["months"])

    def test_bounds_and_bad_input_give_a_clear_400(self):
        self.as_user("admin")
        for months in (str(MIN_RETENTION_MONTHS - 1), str(MAX_RETENTION_MONTHS + 1), "abc", "-5", "1e9", ""):
            with self.subTest(months):
                response = self.client.post(self.url(), {"months": months, "legal_basis": DEFAULT_LEGAL_BASIS})
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "months", status_code=400)
        response = self.client.post(self.url(), {"months": "60", "legal_basis": "   "})
        self.assertContains(response, "Write the legal basis", status_code=400)
        response = self.client.post(self.url(), {"months": "60", "legal_basis": "x" * 3001})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(RetentionPolicy.objects.exists())
        for months in (MIN_RETENTION_MONTHS, MAX_RETENTION_MONTHS):
            self.assertTrue(RetentionForm({"months": months, "legal_basis": "x"}).is_valid())

    def test_bounds_message_names_the_real_bounds(self):
        form = RetentionForm({"months": 1, "legal_basis": "x"})
        self.assertIn(f"{MIN_RETENTION_MONTHS} to {MAX_RETENTION_MONTHS} months", str(form.errors["months"]))

    def test_only_the_organisations_administrator(self):
        for username, status in (
            ("koordinator", 403),
            ("laeser", 403),
            ("kollega", 403),
            ("leder", 404),
            ("kurt", 404),
            ("psykolog", 404),
            ("anden", 404),
        ):
            with self.subTest(username):
                self.as_user(username)
                self.assertEqual(self.client.get(self.url()).status_code, status)
                self.assertEqual(self.client.post(self.url(), {"months": "12", "legal_basis": "x"}).status_code, status)
        self.assertFalse(RetentionPolicy.objects.exists())
        self.as_user("admin")
        employer = Organisation.objects.filter(kind="employer").first()
        self.assertEqual(self.client.get(self.url(employer)).status_code, 404)
        self.assertEqual(self.client.get(reverse("privacy:retention", args=[uuid.uuid4()])).status_code, 404)

    def test_home_sends_the_admin_on_and_others_away(self):
        self.as_user("admin")
        self.assertRedirects(self.client.get(reverse("privacy:retention_home")), self.url())
        self.assertContains(self.client.get(reverse("audit")), reverse("privacy:retention_home"))
        self.as_user("koordinator")
        self.assertEqual(self.client.get(reverse("privacy:retention_home")).status_code, 403)
        self.as_user("kurt")
        self.assertEqual(self.client.get(reverse("privacy:retention_home")).status_code, 404)
