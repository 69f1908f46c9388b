"""A duty hidden from the employer (it exists only for some causes) cannot be ticked by the employer:
404, as for a deadline that does not exist, in the view and in the service. The coordinator still can."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Participant, TimelineEvent
from fasthold.deadlines import services
from fasthold.deadlines.models import Deadline
from fasthold.organisations.models import OrgRole
from tests.base import DemoWorldTestCase, add_user

KEY = "mental_health_return_conversation"  # cause-dependent, and the employer's duty


class HiddenDutyTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.bodil = cls.world.bodil
        cls.deadline = Deadline.objects.get(case=cls.bodil, key=KEY)
        Deadline.objects.filter(pk=cls.deadline.pk).update(due=timezone.localdate(), done_on=None, done_by=None)
        hr = add_user("hr", (cls.world.orgs["accounting_firm"], OrgRole.HR))
        Participant.objects.create(case=cls.bodil, role=ParticipantRole.HR, user=hr, name="HR")
        cls.hr = hr

    def url(self, key=KEY):
        return reverse("deadlines:done", args=[self.bodil.public_id, key])

    def post_done(self, username_or_user):
        user = self.world.users[username_or_user] if isinstance(username_or_user, str) else username_or_user
        self.client.force_login(user)
        return self.client.post(self.url(), {"done_on": timezone.localdate().isoformat()})

    def assert_untouched(self):
        row = Deadline.objects.get(pk=self.deadline.pk)
        self.assertEqual((row.done_on, row.done_by_id), (None, None))
        self.assertFalse(TimelineEvent.objects.filter(case=self.bodil, params__deadline_done=KEY).exists())

    def test_the_deadline_is_the_employers_duty_and_hidden_from_them(self):
        from fasthold.deadlines.selectors import employer_hidden_keys

        self.assertEqual(self.deadline.responsible, "employer")
        self.assertIn(KEY, employer_hidden_keys())

    def test_manager_gets_404_and_nothing_is_recorded(self):
        self.assertEqual(self.post_done("chef").status_code, 404)
        self.assert_untouched()

    def test_hr_gets_404_and_nothing_is_recorded(self):
        self.assertEqual(self.post_done(self.hr).status_code, 404)
        self.assert_untouched()

    def test_the_404_is_the_same_as_for_a_deadline_that_does_not_exist(self):
        self.client.force_login(self.world.users["chef"])
        missing = self.client.post(self.url("no-such-deadline"), {"done_on": timezone.localdate().isoformat()})
        hidden = self.client.post(self.url(), {"done_on": timezone.localdate().isoformat()})
        self.assertEqual((missing.status_code, hidden.status_code), (404, 404))

        # The same page, apart from the address it names and the per-response CSRF token.
        def normal(response, key):
            text = response.content.decode().replace(key, "KEY")
            return re.sub(r'"X-CSRFToken": "[^"]+"|value="[A-Za-z0-9]{32,}"', "TOKEN", text)

        self.assertEqual(normal(missing, "no-such-deadline"), normal(hidden, KEY))

    def test_a_visible_employer_duty_can_still_be_ticked_by_the_manager(self):
        visible = (
            Deadline.objects.filter(case=self.bodil, responsible="employer", done_on__isnull=True)
            .exclude(key=KEY)
            .exclude(key="next_meeting")
            .first()
        )
        self.assertIsNotNone(visible)
        self.client.force_login(self.world.users["chef"])
        response = self.client.post(self.url(visible.key), {"done_on": timezone.localdate().isoformat()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Deadline.objects.get(pk=visible.pk).done_by, self.world.users["chef"])

    def test_the_coordinator_still_can(self):
        response = self.post_done("koordinator")
        self.assertEqual(response.status_code, 302)
        row = Deadline.objects.get(pk=self.deadline.pk)
        self.assertEqual((row.done_on, row.done_by), (timezone.localdate(), self.world.users["koordinator"]))

    def test_the_service_refuses_it_too(self):
        for actor in (self.world.users["chef"], self.hr):
            with self.subTest(actor.username), self.assertRaises(Deadline.DoesNotExist):
                services.deadline_complete(
                    actor=actor, case=self.bodil, deadline=self.deadline, done_on=timezone.localdate()
                )
        self.assert_untouched()
        # Someone who may not open the case at all gets the same answer.
        with self.assertRaises(Deadline.DoesNotExist):
            services.deadline_complete(
                actor=self.world.users["anden"], case=self.bodil, deadline=self.deadline, done_on=timezone.localdate()
            )
        with self.assertRaises(Deadline.DoesNotExist):
            services.deadline_reopen(actor=self.world.users["chef"], case=self.bodil, deadline=self.deadline)
        services.deadline_complete(
            actor=self.world.users["koordinator"],
            case=self.bodil,
            deadline=self.deadline,
            done_on=timezone.localdate() - dt.timedelta(days=1),
        )
        self.assertIsNotNone(Deadline.objects.get(pk=self.deadline.pk).done_on)
