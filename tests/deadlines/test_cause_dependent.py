"""A rule that applies only to mental-health absence tells the cause by being there: the employer never sees it."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.deadlines import reminders
from fasthold.deadlines.models import Deadline, cause_dependent_keys
from fasthold.deadlines.services import calendar_refresh_many
from tests.base import DemoWorldTestCase

KEY = "mental_health_return_conversation"


class CauseDependentRuleTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        calendar_refresh_many(list(Case.objects.select_related("employment")))
        # Bodil's absence is mental: the rule applies to her case, due today.
        Deadline.objects.filter(case=cls.world.bodil, key=KEY).update(due=timezone.localdate())

    def setUp(self):
        self.client.cookies["django_language"] = "en"

    def test_the_rule_is_known_as_cause_dependent(self):
        self.assertIn(KEY, cause_dependent_keys())
        self.assertTrue(Deadline.objects.filter(case=self.world.bodil, key=KEY).exists())

    def test_coordinator_sees_it_and_the_manager_does_not(self):
        url = reverse("deadlines:case", args=[self.world.bodil.public_id])
        self.client.force_login(self.world.users["koordinator"])
        self.assertContains(self.client.get(url), "mental-health absence")
        self.client.force_login(self.world.users["chef"])
        self.assertEqual(self.client.get(url).status_code, 404)  # the case calendar is a staff worksheet
        for page in (
            reverse("deadlines:dashboard"),
            reverse("portals:employer"),
            reverse("portals:employer_case", args=[self.world.bodil.public_id]),
        ):
            with self.subTest(page):
                response = self.client.get(page)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "mental")
                self.assertNotContains(response, "psykisk")

    def test_the_managers_reminder_digest_leaves_it_out(self):
        reminders.run_once(today=timezone.localdate() - dt.timedelta(days=1))
        chef = self.world.users["chef"]
        to_chef = [m for m in mail.outbox if chef.email in m.to]
        to_coordinator = [m for m in mail.outbox if self.world.users["koordinator"].email in m.to]
        self.assertTrue(any("psykisk" in m.body or "mental" in m.body for m in to_coordinator))
        for message in to_chef:
            self.assertNotIn("psykisk", message.body)
            self.assertNotIn("mental", message.body)
