"""The contact page and the case panel: who may do what, bad input, conflicts, query counts, and
overdue contact on the dashboard and in the reminders."""

import datetime as dt
import uuid

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Audience
from fasthold.coordination import selectors, services
from fasthold.coordination.models import ContactAgreement, ContactEntry
from fasthold.deadlines import reminders
from tests.coordination.base import ContactTestCase

PROFESSIONAL_NOTE = "psykolog hver anden uge"  # in Bodil's demo log, for professionals only
SHARED_NOTE = "Kaffe på kontoret med de nærmeste kolleger"  # for everyone


class AccessTests(ContactTestCase):
    def test_read(self):
        expected = {
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "chef": 200,
            "bodil": 200,
            "psykolog": 200,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get(self.url("contacts", self.bodil)).status_code, status)
        self.as_user("koordinator")
        self.assertEqual(self.client.get(f"/coordination/case/{uuid.uuid4()}/contacts/").status_code, 404)

    def test_employer_sees_agreement_and_only_notes_for_everyone(self):
        for username, sees_private in (("chef", False), ("bodil", True), ("psykolog", True), ("koordinator", True)):
            self.as_user(username)
            with self.subTest(username=username):
                page = self.client.get(self.url("contacts", self.bodil)).content.decode()
                self.assertIn("Susanne ringer til Bodil", page)
                self.assertIn(SHARED_NOTE, page)
                self.assertEqual(PROFESSIONAL_NOTE in page, sees_private)
                self.assertEqual("Anne Lund" in page, sees_private)
                self.assertEqual("Call script" in page, username == "koordinator")

    def test_write_matrix(self):
        today = timezone.localdate().isoformat()
        agreement_post = {"cadence_days": 10, "responsible": "employer", "channel": "phone", "lock": 1}
        log_post = {
            "occurred_on": today,
            "channel": "phone",
            "with_whom": "other",
            "with_name": "Henrik Sand",
            "note": "",
            "audience": "all",
        }
        # username: (agreement, log)
        expected = {
            "koordinator": (302, 302),
            "laeser": (403, 403),
            "leder": (403, 302),
            "kurt": (403, 302),
            "chef": (404, 404),
            "anden": (404, 404),
        }
        for username, (agreement_status, log_status) in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                response = self.client.post(
                    self.url("agreement"), {**agreement_post, "lock": selectors.current_agreement(self.kurt).version}
                )
                self.assertEqual(response.status_code, agreement_status)
                self.assertEqual(self.client.post(self.url("log"), log_post).status_code, log_status)
        self.as_user("laeser")
        page = self.client.get(self.url("contacts")).content.decode()
        self.assertNotIn('action="%s"' % self.url("log"), page)
        self.assertNotIn('action="%s"' % self.url("agreement"), page)

    def test_get_on_write_urls_is_refused(self):
        self.as_user("koordinator")
        self.assertEqual(self.client.get(self.url("log")).status_code, 405)
        self.assertEqual(self.client.get(self.url("agreement")).status_code, 405)


class FormTests(ContactTestCase):
    def test_coordinator_logs_a_contact_with_a_participant(self):
        self.as_user("koordinator")
        manager = self.participant(self.kurt, ParticipantRole.MANAGER)
        response = self.client.post(
            self.url("log"),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "channel": "video",
                "with_whom": str(manager.public_id),
                "note": "Aftalt næste møde.",
                "audience": "professionals",
            },
            follow=True,
        )
        self.assertContains(response, "The contact was logged.")
        entry = ContactEntry.objects.filter(case=self.kurt).order_by("-id").first()
        self.assertEqual(
            (entry.participant, entry.audience, entry.logged_by),
            (manager, Audience.PROFESSIONALS, self.users["koordinator"]),
        )

    def test_employee_logs_with_the_coordinator(self):
        self.as_user("bodil")
        response = self.client.post(
            self.url("log", self.bodil),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "channel": "phone",
                "with_whom": "coordinator",
                "note": "",
                "audience": "all",
            },
        )
        self.assertEqual(response.status_code, 302)
        entry = ContactEntry.objects.filter(case=self.bodil).order_by("-id").first()
        self.assertEqual((entry.with_role, entry.with_name), ("coordinator", "Karen Holm"))

    def test_employer_cannot_pick_a_health_professional(self):
        self.as_user("chef")
        psychologist = self.participant(self.bodil, ParticipantRole.PSYCHOLOGIST)
        page = self.client.get(self.url("contacts", self.bodil)).content.decode()
        self.assertNotIn(str(psychologist.public_id), page)
        response = self.client.post(
            self.url("log", self.bodil),
            {
                "occurred_on": timezone.localdate().isoformat(),
                "channel": "phone",
                "with_whom": str(psychologist.public_id),
                "note": "Min note",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Min note", status_code=400)

    def test_bad_contact_input_gives_400_and_keeps_the_input(self):
        self.as_user("koordinator")
        count = ContactEntry.objects.count()
        for date, other, message in (
            ((timezone.localdate() + dt.timedelta(days=3)).isoformat(), "Henrik Sand", "cannot be in the future"),
            ((self.kurt.first_sick_day - dt.timedelta(days=1)).isoformat(), "Henrik Sand", "before the first sick day"),
            (timezone.localdate().isoformat(), "", "Write the name"),
            ("not a date", "Henrik Sand", "Enter a valid date"),
        ):
            with self.subTest(message=message):
                response = self.client.post(
                    self.url("log"),
                    {
                        "occurred_on": date,
                        "channel": "phone",
                        "with_whom": "other",
                        "with_name": other,
                        "note": "Min vigtige note",
                        "audience": "all",
                    },
                )
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, message, status_code=400)
                self.assertContains(response, "Min vigtige note", status_code=400)
                self.assertContains(response, "Nothing has been saved yet", status_code=400)
        self.assertEqual(ContactEntry.objects.count(), count)

    def test_bad_agreement_input_gives_400(self):
        self.as_user("koordinator")
        lock = selectors.current_agreement(self.kurt).version
        for data, message in (
            ({"cadence_days": 0}, "every 1 to 90 days"),
            ({"cadence_days": 400}, "every 1 to 90 days"),
            ({"lighter_start_weeks": 2}, "give both the number of weeks"),
            ({"description": "y" * 301}, "at most 300 characters"),
        ):
            post = {
                "cadence_days": 10,
                "responsible": "employer",
                "channel": "phone",
                "lock": lock,
                "description": "Peter ringer",
                **data,
            }
            with self.subTest(message=message):
                response = self.client.post(self.url("agreement"), post)
                self.assertContains(response, message, status_code=400)
        self.assertEqual(ContactAgreement.objects.filter(case=self.kurt).count(), 1)

    def test_stale_agreement_version_gives_409_keeps_input_and_saving_again_goes_through(self):
        self.as_user("koordinator")
        lock = selectors.current_agreement(self.kurt).version
        services.contact_agreement_set(
            actor=self.users["kollega"],
            case=self.kurt,
            cadence_days=21,
            responsible="employee",
            channel="email",
            description="Kurt skriver en mail",
        )
        post = {
            "cadence_days": 10,
            "responsible": "employer",
            "channel": "video",
            "lock": lock,
            "description": "Min beskrivelse",
        }
        response = self.client.post(self.url("agreement"), post)
        self.assertContains(response, "Someone else changed the contact agreement", status_code=409)
        self.assertContains(response, "Min beskrivelse", status_code=409)
        self.assertContains(response, "Kurt skriver en mail", status_code=409)
        self.assertContains(response, f'name="lock" value="{lock + 1}"', status_code=409)
        self.assertEqual(selectors.current_agreement(self.kurt).cadence_days, 21)
        response = self.client.post(self.url("agreement"), {**post, "lock": lock + 1})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(selectors.current_agreement(self.kurt).description, "Min beskrivelse")

    def test_agreement_with_lighter_start_saved_from_the_form(self):
        self.as_user("koordinator")
        lock = selectors.current_agreement(self.kurt).version
        response = self.client.post(
            self.url("agreement"),
            {
                "cadence_days": 7,
                "responsible": "employer",
                "channel": "phone",
                "lock": lock,
                "lighter_start_weeks": 3,
                "lighter_cadence_days": 14,
            },
            follow=True,
        )
        self.assertContains(response, "The first 3 weeks: every 14 days")
        self.assertEqual(selectors.current_agreement(self.kurt).lighter_start_weeks, 3)


class PanelAndQueryTests(ContactTestCase):
    def test_case_page_panel_shows_agreement_last_contact_and_overdue(self):
        self.as_user("chef")
        page = self.client.get(reverse("cases:detail", args=[self.bodil.public_id])).content.decode()
        status = selectors.contact_status(self.bodil)
        self.assertIn("Every 7 days · Phone · Initiative: the employer (the manager)", page)
        self.assertIn("The first 2 weeks: every 14 days", page)
        self.assertIn(f"Overdue by {status.days_overdue} days", page)
        self.assertIn(self.url("contacts", self.bodil), page)
        self.assertNotIn("#agreement-form-heading", page)
        self.as_user("koordinator")
        page = self.client.get(reverse("cases:detail", args=[self.kurt.public_id])).content.decode()
        self.assertNotIn("Overdue by", page)
        self.assertIn("#agreement-form-heading", page)
        # The timeline tells what the agreement became.
        self.assertIn("Contact agreement: Every 14 days", page)

    def test_panel_is_two_queries(self):
        from django.template import Context, Template

        from fasthold.cases.access import case_access

        access = case_access(self.users["koordinator"], self.bodil)
        template = Template("{% load coordination_tags %}{% contact_panel case access %}")
        with self.assertNumQueries(2):
            html = template.render(Context({"case": self.bodil, "access": access}))
        self.assertIn("contact-panel-heading", html)

    def test_contact_page_queries_do_not_grow_with_the_log(self):
        self.as_user("koordinator")
        url = self.url("contacts", self.bodil)
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.assertEqual(self.client.get(url).status_code, 200)
        for i in range(15):
            services.contact_log(
                actor=self.users["koordinator"],
                case=self.bodil,
                occurred_on=timezone.localdate(),
                channel="phone",
                with_name=f"Person {i}",
                audience=Audience.ALL,
            )
        for i in range(3):
            services.contact_agreement_set(
                actor=self.users["koordinator"],
                case=self.bodil,
                cadence_days=5 + i,
                responsible="employer",
                channel="phone",
            )
        with CaptureQueriesContext(connection) as after:
            response = self.client.get(url)
        self.assertContains(response, "Person 14")
        self.assertEqual(len(after), len(before))
        # With the header's unread notifications (1).
        self.assertLessEqual(len(after), 13)


class CalendarTests(ContactTestCase):
    def test_overdue_contact_on_the_dashboard_of_coordinator_and_manager(self):
        for username in ("koordinator", "chef"):
            self.as_user(username)
            with self.subTest(username=username):
                page = self.client.get(reverse("deadlines:dashboard")).content.decode()
                self.assertIn("Next contact under the contact agreement", page)
                self.assertIn("Bodil Sørensen", page)
        self.as_user("koordinator")
        calendar = self.client.get(reverse("deadlines:case", args=[self.bodil.public_id])).content.decode()
        self.assertIn("Next contact under the contact agreement", calendar)

    def test_overdue_contact_in_the_responsible_persons_digest(self):
        reminders.run_once()
        digest = next(m for m in mail.outbox if m.to == ["chef@example.org"])
        self.assertIn("Næste kontakt efter kontaktaftalen", digest.body)
        self.assertIn("Bodil Sørensen", digest.body)
        self.assertNotIn(PROFESSIONAL_NOTE, digest.body)
        # Kurt's agreement is the employer's too, but not due within a week: not in Peter's digest.
        kurt_status = selectors.contact_status(self.kurt)
        leder = [m for m in mail.outbox if m.to == ["leder@example.org"]]
        if kurt_status.due > timezone.localdate() + dt.timedelta(days=reminders.LOOK_AHEAD_DAYS):
            self.assertFalse(any("kontaktaftalen" in m.body for m in leder))

    def test_employee_responsible_gets_the_reminder(self):
        services.contact_agreement_set(
            actor=self.users["koordinator"], case=self.bodil, cadence_days=7, responsible="employee", channel="phone"
        )
        reminders.run_once()
        digest = next(m for m in mail.outbox if m.to == ["bodil@example.org"])
        self.assertIn("Næste kontakt efter kontaktaftalen", digest.body)
