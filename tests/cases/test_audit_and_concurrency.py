import datetime as dt
import json

from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import HealthRecord, TimelineEvent
from tests.base import DemoWorldTestCase
from tests.cases.test_bad_input import valid_case_post

SECRETS = ("0503711234", "050371-1234", "Lænderygsmerter", "ikke mere behandling", "Moderat depression")


class AuditTests(DemoWorldTestCase):
    def test_health_read_cpr_reveal_and_changes_are_audited_without_values(self):
        kurt = self.world.kurt
        self.client.force_login(self.world.users["koordinator"])
        self.client.get(reverse("cases:health", args=[kurt.public_id]))
        response = self.client.post(reverse("cases:cpr", args=[kurt.public_id]), HTTP_HX_REQUEST="true")
        self.assertContains(response, "050371-1234")
        self.assertNotContains(response, "<html")  # the htmx fragment only
        self.client.post(
            reverse("cases:health_edit", args=[kurt.public_id]),
            {"diagnosis": "Diskusprolaps", "symptoms": "", "treatment": "", "version": 1},
        )
        actions = list(AuditEntry.objects.filter(case=kurt).values_list("action", "actor__username"))
        for action in (AuditAction.HEALTH_VIEWED, AuditAction.CPR_REVEALED, AuditAction.HEALTH_UPDATED):
            self.assertIn((action.value, "koordinator"), actions)
        dumped = json.dumps(list(AuditEntry.objects.values()), default=str) + json.dumps(
            list(TimelineEvent.objects.values("params")), default=str
        )
        for secret in (*SECRETS, "Diskusprolaps"):
            self.assertNotIn(secret, dumped)
        self.assertIn("diagnosis", AuditEntry.objects.get(action=AuditAction.HEALTH_UPDATED).fields)

    def test_masked_cpr_on_case_page_and_not_in_edit_form(self):
        self.client.force_login(self.world.users["koordinator"])
        page = self.client.get(reverse("cases:detail", args=[self.world.kurt.public_id])).content.decode()
        self.assertIn("050371-xxxx", page)
        self.assertNotIn("0503711234", page)
        edit = self.client.get(reverse("cases:edit", args=[self.world.kurt.public_id])).content.decode()
        self.assertNotIn("1234", edit.split('name="person-cpr"')[1].split(">")[0])

    def test_audit_entries_are_append_only(self):
        entry = AuditEntry.objects.create(action=AuditAction.CASE_VIEWED)
        with self.assertRaises(ValueError):
            entry.save()
        with self.assertRaises(ValueError):
            entry.delete()

    def test_admin_browses_only_own_organisations_audit_log(self):
        self.client.force_login(self.world.users["anden"])
        self.client.get(reverse("cases:list"))
        other_case = self.world.orgs["clinic"].cases.get()
        AuditEntry.objects.create(
            action=AuditAction.CASE_VIEWED, case=other_case, organisation=self.world.orgs["clinic"]
        )
        self.client.force_login(self.world.users["koordinator"])
        self.client.get(reverse("cases:health", args=[self.world.bodil.public_id]))
        self.client.force_login(self.world.users["admin"])
        response = self.client.get(reverse("audit"), {"action": "health.viewed"})
        entries = list(response.context["page"].object_list)
        self.assertEqual([e.case for e in entries], [self.world.bodil])
        all_entries = self.client.get(reverse("audit")).context["page"].object_list
        self.assertNotIn(other_case, [e.case for e in all_entries])

    def test_logs_and_urls_carry_no_cpr_or_health_text(self):
        self.client.force_login(self.world.users["koordinator"])
        with self.assertLogs("django", level="DEBUG") as logs:
            self.client.post(
                reverse("cases:create"), valid_case_post(self.world, **{"case-first_sick_day": "2099-01-01"})
            )
            import logging

            logging.getLogger("django").debug("marker")
        text = "\n".join(logs.output)
        self.assertNotIn("0101801234", text)
        self.assertNotIn("010180-1234", text)


class ConcurrencyTests(DemoWorldTestCase):
    def edit_post(self, case, version, **overrides):
        data = valid_case_post(
            self.world,
            **{
                "person-name": case.person.name,
                "person-cpr": "",
                "employment-employer": case.employment.employer_id,
                "case-first_sick_day": case.first_sick_day.isoformat(),
                "case-cause_category": case.cause_category,
                "case-work_injury": case.work_injury,
                "case-version": version,
            },
        )
        data.update(overrides)
        return self.client.post(reverse("cases:edit", args=[case.public_id]), data)

    def test_second_editor_gets_conflict_and_nothing_is_overwritten(self):
        kurt = self.world.kurt
        self.client.force_login(self.world.users["koordinator"])
        self.client.cookies["django_language"] = "en"
        first = self.edit_post(kurt, 1, **{"employment-job_title": "Truckfører"})
        self.assertEqual(first.status_code, 302)
        second = self.edit_post(kurt, 1, **{"employment-job_title": "Lagerchef"})
        self.assertEqual(second.status_code, 409)
        self.assertContains(second, "Lagerchef", status_code=409)  # the user's own input is kept
        self.assertIn(("Job title", "Lagerchef", "Truckfører"), second.context["conflict"])
        kurt.employment.refresh_from_db()
        self.assertEqual(kurt.employment.job_title, "Truckfører")
        kurt.refresh_from_db()
        self.assertEqual(kurt.version, 2)
        self.assertEqual(self.edit_post(kurt, 2, **{"employment-job_title": "Lagerchef"}).status_code, 302)
        kurt.employment.refresh_from_db()
        self.assertEqual(kurt.employment.job_title, "Lagerchef")

    def test_edit_keeps_cpr_when_left_empty_and_records_changed_fields(self):
        kurt = self.world.kurt
        self.client.force_login(self.world.users["koordinator"])
        self.edit_post(kurt, 1, **{"case-absence_extent": "partial", "case-absence_hours_per_week": "22"})
        kurt.refresh_from_db()
        kurt.person.refresh_from_db()
        self.assertEqual(kurt.person.cpr, "0503711234")
        self.assertEqual(kurt.absence_hours_per_week, 22)
        entry = AuditEntry.objects.filter(case=kurt, action=AuditAction.CASE_UPDATED).get()
        self.assertIn("absence_extent", entry.fields)

    def test_concurrent_health_edits_conflict(self):
        bodil = self.world.bodil
        self.client.force_login(self.world.users["koordinator"])
        url = reverse("cases:health_edit", args=[bodil.public_id])
        self.assertEqual(
            self.client.post(url, {"diagnosis": "A", "symptoms": "", "treatment": "", "version": 1}).status_code, 302
        )
        response = self.client.post(url, {"diagnosis": "B", "symptoms": "", "treatment": "", "version": 1})
        self.assertEqual(response.status_code, 409)
        self.assertEqual(HealthRecord.objects.get(case=bodil).diagnosis, "A")
        self.assertContains(response, "B", status_code=409)

    def test_stale_close_is_rejected(self):
        kurt = self.world.kurt
        self.client.force_login(self.world.users["koordinator"])
        self.edit_post(kurt, 1)
        response = self.client.post(
            reverse("cases:close", args=[kurt.public_id]),
            {"closed_on": dt.date.today().isoformat(), "outcome": "full_return", "version": 1},
        )
        self.assertEqual(response.status_code, 409)
        kurt.refresh_from_db()
        self.assertEqual(kurt.status, "open")
