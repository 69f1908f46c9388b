"""The case calendar in the product: stored deadlines, events, completion, dashboard, feed."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditEntry
from fasthold.cases.demo import add_synthetic_cases
from fasthold.deadlines.models import CalendarSettings, Deadline, FeedToken
from fasthold.deadlines.services import calendar_refresh
from tests.base import DemoWorldTestCase


class CalendarTests(DemoWorldTestCase):
    def setUp(self):
        self.client.cookies["django_language"] = "en"

    def login(self, username):
        self.client.force_login(self.world.users[username])

    def deadline(self, case, key):
        return Deadline.objects.get(case=case, key=key)

    def test_opening_a_case_computes_its_danish_calendar(self):
        kurt = self.world.kurt
        first = kurt.first_sick_day
        d = self.deadline(kurt, "absence_conversation")
        self.assertEqual(d.due, first + dt.timedelta(days=27))  # day 28, the first sick day being day 1
        self.assertEqual(d.responsible, "employer")
        self.assertEqual(self.deadline(kurt, "employer_period_end").due, first + dt.timedelta(days=29))
        self.assertEqual(self.deadline(kurt, "first_follow_up").due, first + dt.timedelta(days=55))
        self.assertIsNone(self.deadline(kurt, "fast_track_first_conversation").due)  # waits for the request
        self.assertTrue(Deadline.objects.filter(case=kurt, pack_id="dk-good-practice").exists())

    def test_changing_the_first_sick_day_recomputes(self):
        self.login("koordinator")
        kurt = self.world.kurt
        from tests.cases.test_audit_and_concurrency import ConcurrencyTests

        helper = ConcurrencyTests(methodName="test_stale_close_is_rejected")
        helper.client, helper.world = self.client, self.world
        new_first = kurt.first_sick_day + dt.timedelta(days=7)
        response = helper.edit_post(kurt, 1, **{"case-first_sick_day": new_first.isoformat()})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.deadline(kurt, "absence_conversation").due, new_first + dt.timedelta(days=27))

    def test_recording_an_event_starts_its_deadline_and_writes_the_timeline(self):
        self.login("koordinator")
        kurt = self.world.kurt
        requested = kurt.first_sick_day + dt.timedelta(days=20)
        response = self.client.post(
            reverse("deadlines:event_record", args=[kurt.public_id]),
            {"key": "fast_track_requested", "occurred_on": requested.isoformat()},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.deadline(kurt, "fast_track_first_conversation").due, requested + dt.timedelta(days=14))
        self.assertTrue(kurt.events.filter(params__calendar_event="fast_track_requested").exists())
        self.client.post(reverse("deadlines:event_remove", args=[kurt.public_id, "fast_track_requested"]))
        self.assertIsNone(self.deadline(kurt, "fast_track_first_conversation").due)

    def test_event_before_first_sick_day_or_in_future_is_rejected(self):
        self.login("koordinator")
        kurt = self.world.kurt
        url = reverse("deadlines:event_record", args=[kurt.public_id])
        for day, text in (
            (kurt.first_sick_day - dt.timedelta(days=1), "before the first sick day"),
            (timezone.localdate() + dt.timedelta(days=1), "future"),
        ):
            response = self.client.post(url, {"key": "fast_track_requested", "occurred_on": day.isoformat()})
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, text, status_code=400)
        self.assertFalse(kurt.calendar_events.exists())
        response = self.client.post(url, {"key": "no_such_event", "occurred_on": "2026-01-01"})
        self.assertEqual(response.status_code, 400)

    def test_marking_done_records_who_and_when_and_survives_recompute(self):
        self.login("koordinator")
        kurt = self.world.kurt
        response = self.client.post(
            reverse("deadlines:done", args=[kurt.public_id, "first_follow_up"]),
            {"done_on": timezone.localdate().isoformat()},
        )
        self.assertEqual(response.status_code, 302)
        calendar_refresh(kurt)
        d = self.deadline(kurt, "first_follow_up")
        self.assertEqual((d.done_on, d.done_by), (timezone.localdate(), self.world.users["koordinator"]))
        self.assertTrue(kurt.events.filter(params__deadline_done="first_follow_up").exists())
        self.assertTrue(AuditEntry.objects.filter(case=kurt, fields=["deadline:first_follow_up"]).exists())
        # A second click (another tab) is harmless.
        self.client.post(
            reverse("deadlines:done", args=[kurt.public_id, "first_follow_up"]),
            {"done_on": timezone.localdate().isoformat()},
        )
        self.assertEqual(self.deadline(kurt, "first_follow_up").done_by, self.world.users["koordinator"])

    def test_manager_may_complete_employer_duties_only(self):
        self.login("leder")
        kurt = self.world.kurt
        url = lambda key: reverse("deadlines:done", args=[kurt.public_id, key])  # noqa: E731
        today = timezone.localdate().isoformat()
        self.assertEqual(self.client.post(url("absence_conversation"), {"done_on": today}).status_code, 302)
        self.assertEqual(self.client.post(url("first_follow_up"), {"done_on": today}).status_code, 403)
        self.assertEqual(
            self.client.post(
                reverse("deadlines:event_record", args=[kurt.public_id]), {"key": "full_return", "occurred_on": today}
            ).status_code,
            403,
        )

    def test_access_matrix_for_case_calendar(self):
        for username, expected in (
            ("koordinator", 200),
            ("laeser", 200),
            # A worksheet of rules and sources: the employer side and the employee have their duties on
            # their portals.
            ("leder", 404),
            ("kurt", 404),
            ("psykolog", 404),
            ("anden", 404),
            ("chef", 404),
        ):
            with self.subTest(user=username):
                self.login(username)
                self.assertEqual(
                    self.client.get(reverse("deadlines:case", args=[self.world.kurt.public_id])).status_code, expected
                )
        self.login("laeser")
        self.assertEqual(
            self.client.post(
                reverse("deadlines:done", args=[self.world.kurt.public_id, "first_follow_up"]),
                {"done_on": timezone.localdate().isoformat()},
            ).status_code,
            403,
        )

    def test_dashboard_groups_overdue_and_coming_for_the_coordinator(self):
        self.login("koordinator")
        response = self.client.get(reverse("deadlines:dashboard"))
        self.assertEqual(response.status_code, 200)
        today = timezone.localdate()
        overdue = response.context["overdue"]
        self.assertTrue(overdue)
        self.assertTrue(all(d.due < today and d.coordinator == self.world.users["koordinator"] for d in overdue))
        for day, _items in response.context["by_day"]:
            self.assertTrue(today <= day <= today + dt.timedelta(days=14))

    def test_employer_dashboard_shows_only_employer_duties_of_own_cases(self):
        self.login("leder")
        response = self.client.get(reverse("deadlines:dashboard"))
        items = response.context["overdue"] + [d for _, ds in response.context["by_day"] for d in ds]
        self.assertTrue(items)
        self.assertEqual({d.responsible for d in items}, {"employer"})
        self.assertEqual({d.case for d in items}, {self.world.kurt})

    def test_dashboard_query_count_is_constant(self):
        self.login("koordinator")

        def count():
            with CaptureQueriesContext(connection) as ctx:
                self.client.get(reverse("deadlines:dashboard"), {"scope": "organisation"})
            return len(ctx.captured_queries)

        before = count()
        add_synthetic_cases(
            40,
            organisation=self.world.orgs["jobcentre"],
            coordinators=[self.world.users["koordinator"]],
            employers=[self.world.orgs["door_factory"]],
            events_per_case=1,
        )
        self.assertEqual(count(), before)

    def test_good_practice_can_be_switched_off_by_admin(self):
        self.login("koordinator")
        self.assertEqual(self.client.get(reverse("deadlines:settings")).status_code, 403)
        self.login("admin")
        self.client.post(reverse("deadlines:settings"), {"version": 1, "jurisdiction": "dk"})
        self.assertFalse(CalendarSettings.objects.get(organisation=self.world.orgs["jobcentre"]).good_practice)
        self.assertFalse(Deadline.objects.filter(case=self.world.kurt, pack_id="dk-good-practice").exists())

    def test_ical_feed_is_secret_revocable_and_has_no_names(self):
        self.login("koordinator")
        self.client.post(reverse("deadlines:feed_settings"), {"action": "renew"})
        token = FeedToken.objects.get(user=self.world.users["koordinator"]).token
        self.client.logout()
        response = self.client.get(f"/calendar/feed/{token}.ics")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertTrue(body.startswith("BEGIN:VCALENDAR"))
        self.assertIn("BEGIN:VEVENT", body)
        self.assertIn("(K.J.)", body)
        self.assertNotIn("Kurt Jensen", body)
        self.assertNotIn("Lænderyg", body)
        self.assertEqual(self.client.get("/calendar/feed/wrong.ics").status_code, 404)
        self.login("koordinator")
        self.client.post(reverse("deadlines:feed_settings"), {"action": "revoke"})
        self.client.logout()
        self.assertEqual(self.client.get(f"/calendar/feed/{token}.ics").status_code, 404)

    def test_closing_a_case_takes_its_deadlines_off_the_dashboard(self):
        self.login("koordinator")
        kurt = self.world.kurt
        self.client.post(
            reverse("cases:close", args=[kurt.public_id]),
            {"closed_on": timezone.localdate().isoformat(), "outcome": "full_return", "version": 1},
        )
        # Everything leaves the dashboard except the checks that belong after closure: the follow-ups
        # at 3, 6 and 12 months (fasthold/evaluation), which stay until they are recorded.
        still_open = set(Deadline.objects.filter(case=kurt, case_open=True).values_list("key", flat=True))
        self.assertEqual(still_open, {"follow_up_3m", "follow_up_6m", "follow_up_12m"})


class PlanEvaluationInCalendarTests(DemoWorldTestCase):
    def test_current_plan_versions_evaluation_date_is_a_deadline(self):
        from fasthold.plans import services as plan_services

        kurt, actor = self.world.kurt, self.world.users["koordinator"]
        today = timezone.localdate()
        version = plan_services.plan_create(
            actor=actor,
            case=kurt,
            goal="Tilbage i fuldt job",
            goal_target_date=today + dt.timedelta(days=180),
            evaluation_date=today + dt.timedelta(days=30),
        )
        self.assertFalse(Deadline.objects.filter(case=kurt, key="plan_evaluation").exists())  # a draft is no plan yet
        version.refresh_from_db()
        plan_services.plan_publish(actor=actor, version=version, expected_version=version.version)
        d = Deadline.objects.get(case=kurt, key="plan_evaluation")
        self.assertEqual((d.due, d.responsible), (today + dt.timedelta(days=30), "coordinator"))
        self.assertEqual(d.title("da"), "Evaluering af planen")
        self.client.force_login(actor)
        self.assertContains(self.client.get(reverse("deadlines:case", args=[kurt.public_id])), "Evaluering af planen")

    def test_the_cases_own_deadlines_have_no_english_half_in_the_basis_column(self):
        # The basis read "Kontaktaftalen / the contact agreement" on the Danish calendar page.
        from fasthold.deadlines.registry import LOCAL_RULES

        for rule in LOCAL_RULES.values():
            with self.subTest(key=rule.key):
                self.assertNotIn(" / ", rule.legal_ref)
                self.assertNotRegex(rule.legal_ref, r"\b(the|a)\b")
