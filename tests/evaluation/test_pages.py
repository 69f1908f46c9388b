"""The evaluation pages: who reaches them, what they show, the export, the register import and a
case's outcome form."""

import csv
import datetime as dt
import io
import re
from unittest import mock

from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.evaluation import report
from fasthold.evaluation.demo import PROGRAM_NAME
from fasthold.evaluation.models import BenefitWeek, CaseReturn, FollowUp
from fasthold.screening.models import Program
from tests.base import DemoWorldTestCase


class Pages(DemoWorldTestCase):
    load_demos = ("evaluation",)

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.program = Program.objects.get(name=PROGRAM_NAME)

    def test_staff_see_the_curves_the_figures_and_the_caveats(self):
        self.as_user("koordinator")
        overview = self.client.get(reverse("evaluation:overview"))
        self.assertContains(overview, PROGRAM_NAME)
        self.assertContains(overview, "Jobcenter Frederikshavn")  # the sites across programs
        page = self.client.get(reverse("evaluation:program", args=[self.program.public_id]))
        self.assertEqual(page.status_code, 200)
        html = page.content.decode()
        self.assertIn("<svg", html)
        self.assertEqual(len(re.findall(r"<path d=\"[^\"]+\" class=\"fh-line", html)), 2)  # one curve per arm
        for text in ("Log-rank", "Jobcenter Hjørring", "Jobcenter Frederikshavn", "Hazard ratio", "intention to treat"):
            self.assertIn(text, html)
        # Coordinates are never localised: no decimal comma inside a path.
        for path in re.findall(r' d="([^"]+)"', html):
            self.assertNotIn(",", path)
        pp = self.client.get(reverse("evaluation:program", args=[self.program.public_id]), {"analysis": "pp"})
        self.assertEqual(pp.status_code, 200)
        itt_n = sum(g["n"] for g in page.context["report"]["groups"])
        pp_n = sum(g["n"] for g in pp.context["report"]["groups"])
        self.assertLess(pp_n, itt_n)  # the drop-outs are left out

    def test_nobody_outside_the_organisations_staff_reaches_a_program(self):
        for username in ("leder", "chef", "kurt", "bodil", "psykolog", "anden"):
            self.as_user(username)
            for name in ("program", "dataset", "codebook"):
                url = reverse(f"evaluation:{name}", args=[self.program.public_id])
                self.assertEqual(self.client.get(url).status_code, 404, (username, name))
        for username in ("leder", "kurt", "psykolog"):
            self.as_user(username)
            self.assertEqual(self.client.get(reverse("evaluation:overview")).status_code, 404)
            self.assertEqual(self.client.get(reverse("evaluation:register")).status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.EVALUATION_EXPORTED).exists())

    def test_the_analysis_file_is_pseudonymised_and_audited(self):
        self.as_user("laeser")  # read-only staff see the page, not the file
        self.assertEqual(self.client.get(reverse("evaluation:dataset", args=[self.program.public_id])).status_code, 404)
        self.as_user("koordinator")
        response = self.client.get(reverse("evaluation:dataset", args=[self.program.public_id]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"].count("no-store"), 1)
        text = response.content.decode()
        rows = list(csv.reader(io.StringIO(text)))
        self.assertEqual(rows[0][:3], ["id", "arm", "site"])
        self.assertEqual(len(rows) - 1, sum(1 for _ in self.program.visitations.filter(arm__isnull=False)))
        self.assertNotRegex(text, r"\d{4}-\d{2}-\d{2}")  # no calendar dates
        for cpr in self.program.visitations.values_list("case__person__cpr", flat=True):
            self.assertNotIn(cpr, text)  # no CPR numbers
        for name in ("Hansen", "Jensen", "Nielsen"):
            self.assertNotIn(name, text)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.EVALUATION_EXPORTED).count(), 1)
        codebook = self.client.get(reverse("evaluation:codebook", args=[self.program.public_id])).content.decode()
        self.assertEqual([r[0] for r in csv.reader(io.StringIO(codebook))][1:], rows[0])

    def test_a_computed_page_is_kept_in_the_shared_cache_for_the_next_request(self):
        self.as_user("koordinator")
        url = reverse("evaluation:program", args=[self.program.public_id])
        first = self.client.get(url)
        self.assertEqual(first.status_code, 200)
        # The database cache is shared by every web process: the next request does not compute again.
        with mock.patch.object(report, "compute", side_effect=AssertionError("computed again")):
            again = self.client.get(url)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(type(caches["default"]).__name__, "DatabaseCache")

    def test_the_page_is_computed_once_per_change_of_the_data(self):
        first = report.data_version(self.program)
        self.assertEqual(report.data_version(self.program), first)
        CaseReturn.objects.filter(case__visitations__program=self.program).first().save()
        second = report.data_version(self.program)
        self.assertNotEqual(second, first)
        case = self.program.visitations.filter(case__follow_ups__isnull=True).first().case
        FollowUp.objects.create(case=case, months=3, status="at_work")
        third = report.data_version(self.program)
        self.assertNotEqual(third, second)
        # Closing a case or changing its outcome is a change of the data.
        case.outcome = "new_employer"
        case.save()
        self.assertNotEqual(report.data_version(self.program), third)


class RegisterPage(DemoWorldTestCase):
    def upload(self, text):
        return self.client.post(
            reverse("evaluation:register"), {"file": SimpleUploadedFile("weeks.csv", text.encode())}
        )

    def test_preview_then_import(self):
        self.as_user("koordinator")
        case = self.kurt
        good = "case,week,status\n" + "".join(
            f"{case.public_id},2026-W{w:02d},{'sickness' if w < 10 else 'none'}\n" for w in range(2, 16)
        )
        bad = good + f"{case.public_id},2026-W99,none\n"
        response = self.upload(bad)
        self.assertContains(response, "Line 16", status_code=400)
        self.assertFalse(BenefitWeek.objects.exists())
        response = self.upload(good)
        self.assertContains(response, "14 rows for 1 cases")
        self.assertFalse(BenefitWeek.objects.exists())  # not before the confirmation
        response = self.client.post(reverse("evaluation:register_confirm"), follow=True)
        self.assertContains(response, "Imported 14 rows for 1 cases")
        self.assertEqual(BenefitWeek.objects.filter(case=case).count(), 14)
        self.assertEqual(CaseReturn.objects.get(case=case).register_return_on, dt.date.fromisocalendar(2026, 10, 1))
        # The stored file is gone: a second confirmation imports nothing.
        again = self.client.post(reverse("evaluation:register_confirm"), follow=True)
        self.assertContains(again, "Nothing is waiting")

    def test_not_a_text_file_and_no_file(self):
        self.as_user("koordinator")
        self.assertEqual(self.client.post(reverse("evaluation:register"), {}).status_code, 400)
        response = self.client.post(
            reverse("evaluation:register"), {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81\x00")}
        )
        self.assertIn(response.status_code, (400,))


class CaseOutcomePage(DemoWorldTestCase):
    def test_the_coordinator_records_the_return_and_the_follow_ups(self):
        self.as_user("koordinator")
        url = reverse("evaluation:case", args=[self.kurt.public_id])
        self.assertEqual(self.client.get(url).status_code, 200)
        response = self.client.post(
            url, {"form": "return", "full_return_on": "2026-11-02", "partial_return_on": "2026-11-09", "version": 0}
        )
        self.assertContains(response, "before the full return", status_code=400)
        response = self.client.post(url, {"form": "return", "full_return_on": "2026-11-02", "version": 0})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CaseReturn.objects.get(case=self.kurt).full_return_on, dt.date(2026, 11, 2))
        # A second tab with the old version: refused, nothing overwritten.
        stale = self.client.post(url, {"form": "return", "full_return_on": "2026-12-01", "version": 0}, follow=True)
        self.assertContains(stale, "Someone else saved")
        self.assertEqual(CaseReturn.objects.get(case=self.kurt).full_return_on, dt.date(2026, 11, 2))
        # Follow-ups come with closure.
        self.assertEqual(self.client.post(url, {"form": "m3", "m3-status": "at_work"}).status_code, 404)
        self.kurt.status, self.kurt.closed_on, self.kurt.outcome = "closed", dt.date(2026, 11, 2), "full_return"
        self.kurt.save()
        response = self.client.post(url, {"form": "m3", "m3-status": "new_absence", "m3-version": 0})
        self.assertContains(response, "the day the new absence began", status_code=400)
        response = self.client.post(
            url, {"form": "m3", "m3-status": "new_absence", "m3-absence_from": "2026-12-01", "m3-version": 0}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(FollowUp.objects.get(case=self.kurt, months=3).absence_from, dt.date(2026, 12, 1))

    def test_only_staff_of_the_case(self):
        for username in ("leder", "kurt", "psykolog", "anden"):
            self.as_user(username)
            self.assertEqual(
                self.client.get(reverse("evaluation:case", args=[self.kurt.public_id])).status_code, 404, username
            )
        self.as_user("laeser")
        response = self.client.post(
            reverse("evaluation:case", args=[self.kurt.public_id]),
            {"form": "return", "full_return_on": "2026-11-02", "version": 0},
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CaseReturn.objects.exists())
