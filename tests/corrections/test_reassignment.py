"""Reassigning a case (or all of a coordinator's cases) with a handover note: who may, to whom, the audit
row, who sees the note, and the digest following the case from the next run."""

import datetime as dt
from unittest import mock

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases import hooks, reassignment
from fasthold.cases.access import case_access
from fasthold.cases.models import Case, EventKind, Handover, TimelineEvent
from fasthold.deadlines import reminders
from fasthold.deadlines.models import Deadline
from fasthold.kernel import ConflictError
from fasthold.notifications.models import OPEN_STATUSES, Notification, Status
from fasthold.organisations.models import OrgRole
from fasthold.requests import notices
from fasthold.requests import services as request_services
from tests.base import DemoWorldTestCase, add_user

NOTE = "Kurt er i gang med optrapning; næste møde er aftalt."


class ReassignCaseTests(DemoWorldTestCase):
    def url(self, case=None):
        return reverse("cases:reassign", args=[(case or self.kurt).public_id])

    def post(self, user="koordinator", to="kollega", note=NOTE, version=None):
        self.as_user(user)
        case = Case.objects.get(pk=self.kurt.pk)
        return self.client.post(
            self.url(),
            {"coordinator": self.users[to].pk, "note": note, "version": case.version if version is None else version},
        )

    def test_editor_gives_the_case_to_a_colleague(self):
        self.assertEqual(self.kurt.coordinator, self.users["koordinator"])
        self.as_user("koordinator")
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, self.users["kollega"].display_name)
        response = self.post()
        self.assertEqual(response.status_code, 302)
        case = Case.objects.get(pk=self.kurt.pk)
        self.assertEqual(case.coordinator, self.users["kollega"])
        entry = AuditEntry.objects.get(action=AuditAction.COORDINATOR_REASSIGNED, case=case)
        self.assertEqual(entry.actor, self.users["koordinator"])
        self.assertNotIn(NOTE, str(entry.fields))
        handover = Handover.objects.get(case=case)
        self.assertEqual(
            (handover.from_user, handover.to_user, handover.note),
            (self.users["koordinator"], self.users["kollega"], NOTE),
        )
        event = TimelineEvent.objects.get(case=case, kind=EventKind.COORDINATOR_REASSIGNED)
        self.assertNotIn(NOTE, str(event.params))
        # The deadlines follow the case.
        self.assertFalse(Deadline.objects.filter(case=case, coordinator=self.users["koordinator"]).exists())
        # The note: the new coordinator sees it on the case page; the manager does not, nor the employee's portal.
        self.as_user("kollega")
        self.assertContains(self.client.get(reverse("cases:detail", args=[case.public_id])), NOTE)
        self.as_user("leder")
        response = self.client.get(reverse("cases:detail", args=[case.public_id]))
        self.assertNotContains(response, NOTE, status_code=response.status_code)
        self.as_user("kurt")
        for url in (reverse("cases:detail", args=[case.public_id]), reverse("portals:employee")):
            response = self.client.get(url, follow=True)
            self.assertNotContains(response, NOTE, status_code=response.status_code)

    def test_only_editors_may_reassign(self):
        expected = {"laeser": 403, "leder": 403, "kurt": 403, "anden": 404, "psykolog": 404}
        for user, status in expected.items():
            with self.subTest(user=user):
                self.as_user(user)
                self.assertEqual(self.client.get(self.url()).status_code, status)
                self.assertEqual(self.post(user=user).status_code, status)
        self.assertEqual(Case.objects.get(pk=self.kurt.pk).coordinator, self.users["koordinator"])
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.COORDINATOR_REASSIGNED).exists())

    def test_the_colleague_must_be_coordinating_staff_of_the_same_organisation(self):
        for to in ("anden", "laeser", "leder", "kurt"):
            with self.subTest(to=to):
                self.assertEqual(self.post(to=to).status_code, 400)
        self.assertEqual(Case.objects.get(pk=self.kurt.pk).coordinator, self.users["koordinator"])

    def test_open_request_notifications_go_to_the_new_coordinator(self):
        request_notifications_follow(self, lambda: self.assertEqual(self.post().status_code, 302))

    def test_a_handover_note_is_required(self):
        self.client.cookies["django_language"] = "da"
        response = self.post(note="  ")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Handover.objects.exists())

    def test_a_stale_version_is_a_conflict(self):
        case = Case.objects.get(pk=self.kurt.pk)
        response = self.post(version=case.version - 1 if case.version > 1 else case.version + 5)
        self.assertEqual(response.status_code, 409)
        self.assertEqual(Case.objects.get(pk=self.kurt.pk).coordinator, self.users["koordinator"])
        self.assertFalse(Handover.objects.exists())

    def test_the_digest_goes_to_the_new_coordinator_from_the_next_run(self):
        # Today's digest went to Karen before the handover.
        reminders.run_once()
        self.assertIn(["koordinator@example.org"], [m.to for m in mail.outbox])
        self.assertEqual(self.post().status_code, 302)
        mail.outbox.clear()
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        reminders.run_once(today=tomorrow)
        kollega = [m for m in mail.outbox if m.to == ["kollega@example.org"]]
        self.assertEqual(len(kollega), 1)
        self.assertIn("Kurt Jensen", kollega[0].body)
        for m in mail.outbox:
            if m.to == ["koordinator@example.org"]:
                self.assertNotIn("Kurt Jensen", m.body)


def request_notifications_follow(test, hand_over):
    """Kurt asks for a meeting and sends a message: Karen (koordinator) is notified. After `hand_over` her
    notifications are closed and the colleague has them, once."""
    case = Case.objects.get(pk=test.kurt.pk)
    kurt = test.users["kurt"]
    access = case_access(kurt, case)
    asked = request_services.ask_for_meeting(actor=kurt, case=case, access=access, purpose="Et møde, tak")
    sent = request_services.send_message(actor=kurt, case=case, access=access, body="Hej Karen")
    karen, kollega = test.users["koordinator"], test.users["kollega"]
    mine = Notification.objects.filter(case=case, kind__in=notices.KINDS)
    test.assertEqual(mine.filter(user=karen, status__in=OPEN_STATUSES).count(), 2)
    hand_over()
    test.assertFalse(mine.filter(user=karen, status__in=OPEN_STATUSES).exists())
    test.assertEqual(mine.filter(user=karen, status=Status.CLOSED).count(), 2)
    moved = mine.filter(user=kollega, status__in=OPEN_STATUSES)
    test.assertEqual(
        sorted(moved.values_list("kind", "object_id")),
        sorted([(notices.MEETING_REQUEST, asked.pk), (notices.MESSAGE, sent.pk)]),
    )


class ReassignAllTests(DemoWorldTestCase):
    def url(self, user="koordinator"):
        return reverse("people:staff_hand_over", args=[self.users[user].pk])

    def open_cases(self, user):
        return set(
            reassignment.open_cases_of(self.kurt.organisation_id, self.users[user].pk).values_list("pk", flat=True)
        )

    def test_admin_gives_all_open_cases_in_one_go(self):
        before = self.open_cases("koordinator")
        self.assertTrue(before)
        self.as_user("admin")
        page = self.client.get(self.url())
        self.assertEqual(page.status_code, 200)
        response = self.client.post(
            self.url(),
            {
                "coordinator": self.users["kollega"].pk,
                "note": NOTE,
                "version": 0,
                "cases_key": page.context["cases_key"],
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.open_cases("koordinator"))
        self.assertTrue(before <= self.open_cases("kollega"))
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditAction.COORDINATOR_REASSIGNED, actor=self.users["admin"]).count(),
            len(before),
        )
        self.assertEqual(Handover.objects.filter(to_user=self.users["kollega"]).count(), len(before))

    def test_a_case_given_to_the_coordinator_after_the_preview_is_a_conflict(self):
        before = self.open_cases("koordinator")
        late = min(before)
        Case.objects.filter(pk=late).update(coordinator=None)
        self.as_user("admin")
        page = self.client.get(self.url())
        self.assertNotIn(late, [c.pk for c in page.context["cases"]])
        # Given to the coordinator between the preview and the POST.
        Case.objects.filter(pk=late).update(coordinator=self.users["koordinator"])
        data = {"coordinator": self.users["kollega"].pk, "note": NOTE, "version": 0}
        response = self.client.post(self.url(), {**data, "cases_key": page.context["cases_key"]})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "The open cases changed", status_code=409)
        # The refreshed preview shows the case and carries the new fingerprint.
        self.assertIn(late, [c.pk for c in response.context["cases"]])
        self.assertNotEqual(response.context["cases_key"], page.context["cases_key"])
        self.assertEqual(self.open_cases("koordinator"), before)
        self.assertFalse(Handover.objects.exists())
        # Without the preview's fingerprint nothing moves either.
        self.assertEqual(self.client.post(self.url(), data).status_code, 409)
        self.assertEqual(self.open_cases("koordinator"), before)
        # Confirmed from the refreshed preview: all of them move.
        response = self.client.post(self.url(), {**data, "cases_key": response.context["cases_key"]})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.open_cases("koordinator"))

    def test_the_calendars_are_recomputed_in_bulk(self):
        before = self.open_cases("koordinator")
        self.assertGreater(len(before), 1)
        with mock.patch.object(hooks, "dates_changed", side_effect=AssertionError("one case at a time")):
            n = reassignment.reassign_all(
                actor=self.users["admin"],
                organisation_id=self.kurt.organisation_id,
                from_user=self.users["koordinator"],
                to_user=self.users["kollega"],
                note=NOTE,
            )
        self.assertEqual(n, len(before))
        deadlines = Deadline.objects.filter(case__in=before)
        self.assertTrue(deadlines.exists())
        self.assertFalse(deadlines.exclude(coordinator=self.users["kollega"]).exists())

    def test_open_request_notifications_go_to_the_new_coordinator(self):
        request_notifications_follow(
            self,
            lambda: reassignment.reassign_all(
                actor=self.users["admin"],
                organisation_id=self.kurt.organisation_id,
                from_user=self.users["koordinator"],
                to_user=self.users["kollega"],
                note=NOTE,
            ),
        )

    def test_only_the_organisations_administrators(self):
        for user in ("koordinator", "kollega", "laeser", "leder", "anden"):
            with self.subTest(user=user):
                self.as_user(user)
                self.assertEqual(self.client.get(self.url("koordinator")).status_code, 404)
                response = self.client.post(
                    self.url("koordinator"), {"coordinator": self.users["kollega"].pk, "note": NOTE, "version": 0}
                )
                self.assertEqual(response.status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.COORDINATOR_REASSIGNED).exists())
        # Another organisation's administrator cannot reach the jobcentre's coordinator.
        other_admin = add_user("andenadmin", (self.users["anden"].memberships.first().organisation, OrgRole.ADMIN))
        self.client.force_login(other_admin)
        self.assertEqual(self.client.get(self.url("koordinator")).status_code, 404)

    def test_service_refuses_a_non_admin_and_an_outsider_and_is_all_or_nothing(self):
        from fasthold.kernel import NotAllowed

        org = self.kurt.organisation_id
        with self.assertRaises(NotAllowed):
            reassignment.reassign_all(
                actor=self.users["koordinator"],
                organisation_id=org,
                from_user=self.users["koordinator"],
                to_user=self.users["kollega"],
                note=NOTE,
            )
        with self.assertRaises(NotAllowed):
            reassignment.reassign_all(
                actor=self.users["admin"],
                organisation_id=org,
                from_user=self.users["koordinator"],
                to_user=self.users["anden"],
                note=NOTE,
            )
        # A case saved meanwhile: nothing of the batch is written.
        case = Case.objects.filter(pk__in=self.open_cases("koordinator")).first()
        stale = Case.objects.get(pk=case.pk)
        Case.objects.filter(pk=case.pk).update(version=case.version + 1)
        with self.assertRaises(ConflictError):
            reassignment._hand_over(
                actor=self.users["admin"],
                case=stale,
                expected_version=stale.version,
                to_user=self.users["kollega"],
                note=NOTE,
            )
        self.assertEqual(Case.objects.get(pk=case.pk).coordinator, self.users["koordinator"])


class OrphanReassignTests(DemoWorldTestCase):
    def test_the_deadlines_follow_a_case_given_a_coordinator_from_the_waiting_list(self):
        from fasthold.people import services as people

        Case.objects.filter(pk=self.kurt.pk).update(coordinator=None)
        people.reassign(
            actor=self.users["admin"],
            organisation=self.kurt.organisation,
            case_ids=[self.kurt.pk],
            to_user=self.users["kollega"],
        )
        deadlines = Deadline.objects.filter(case=self.kurt)
        self.assertTrue(deadlines.exists())
        self.assertFalse(deadlines.exclude(coordinator=self.users["kollega"]).exists())
