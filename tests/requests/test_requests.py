"""Requests for a meeting and messages to the coordinator (issue 18): who reads what, audit and read
logging, the worklist row and the notification that close themselves, bad input."""

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.choices import CaseStatus
from fasthold.meetings.models import Meeting
from fasthold.notifications import outbox
from fasthold.notifications.models import Notification, Status
from fasthold.requests import notices
from fasthold.requests.models import MeetingRequest, Message, RequestStatus, Side
from fasthold.worklist.models import Kind, WorkItem
from tests.base import DemoWorldTestCase

HEALTH = "My depression is worse this week"
MANAGER_TEXT = "Can we talk about the warehouse shifts"


class RequestTestCase(DemoWorldTestCase):
    load_demos = ("meetings",)

    def ask(self, username, case, **data):
        self.as_user(username)
        return self.client.post(reverse("requests:ask_for_meeting", args=[case.public_id]), data)

    def send(self, username, case, **data):
        self.as_user(username)
        return self.client.post(reverse("requests:send_message", args=[case.public_id]), data)

    def page(self, username, url):
        self.as_user(username)
        return self.client.get(url)


class AskingTests(RequestTestCase):
    def test_the_employee_and_the_manager_may_ask_others_not(self):
        for username, case in (("kurt", self.kurt), ("leder", self.kurt), ("bodil", self.bodil), ("chef", self.bodil)):
            with self.subTest(username):
                self.assertEqual(self.ask(username, case, purpose="Talk").status_code, 302)
        for username, case in (
            ("chef", self.kurt),  # another employer
            ("bodil", self.kurt),
            ("anden", self.kurt),  # another organisation's coordinator
            ("koordinator", self.kurt),  # staff write on the case page, not here
            ("laeser", self.kurt),
            ("psykolog", self.bodil),
        ):
            with self.subTest(username):
                self.assertEqual(self.ask(username, case, purpose="Talk").status_code, 404)
                self.assertEqual(self.send(username, case, body="Hello").status_code, 404)
        self.assertEqual(MeetingRequest.objects.count(), 4)

    def test_bad_input_is_400_with_a_clear_message(self):
        self.as_user("kurt")
        url = reverse("requests:ask_for_meeting", args=[self.kurt.public_id])
        response = self.client.post(url, {"purpose": "   "})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Write a few words about what the meeting should be about.", status_code=400)
        response = self.client.post(url, {"purpose": "x" * 1001})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(reverse("requests:send_message", args=[self.kurt.public_id]), {"body": ""})
        self.assertContains(response, "Write your message.", status_code=400)
        self.assertFalse(MeetingRequest.objects.exists() or Message.objects.exists())

    def test_a_closed_case_takes_no_new_requests(self):
        type(self.kurt).objects.filter(pk=self.kurt.pk).update(status=CaseStatus.CLOSED)
        self.assertEqual(self.ask("leder", self.kurt, purpose="Talk").status_code, 400)
        self.assertEqual(self.send("kurt", self.kurt, body="Hello").status_code, 400)
        self.assertFalse(MeetingRequest.objects.exists() or Message.objects.exists())

    def test_the_messages_have_danish_words_waiting(self):
        for msgid, msgstr in (
            (
                "Write a few words about what the meeting should be about.",
                "Skriv et par ord om, hvad mødet skal handle om.",
            ),
            ("Write your message.", "Skriv din besked."),
            ("Keep it under %(limit)s characters.", "Hold det under %(limit)s tegn."),
        ):
            with translation.override("da"):
                self.assertEqual(translation.gettext(msgid), msgstr)

    def test_a_request_is_audited_and_tells_the_coordinator_without_its_text(self):
        self.ask("leder", self.kurt, purpose=MANAGER_TEXT, interpreter="on", video="on")
        item = MeetingRequest.objects.get()
        self.assertEqual(
            (item.side, item.interpreter, item.video, item.health_professional), (Side.EMPLOYER, True, True, False)
        )
        self.assertFalse(item.share_with_employer)
        self.assertTrue(
            AuditEntry.objects.filter(
                actor=self.users["leder"], case=self.kurt, action=AuditAction.REQUEST_CREATED
            ).exists()
        )
        notification = Notification.objects.get(kind=notices.MEETING_REQUEST)
        self.assertEqual(notification.user, self.kurt.coordinator)
        words = notices.render_meeting_request(notification)
        self.assertNotIn("warehouse", words.subject + words.body)

    def test_the_worker_sends_the_coordinator_the_words_without_the_text(self):
        self.send("kurt", self.kurt, body=HEALTH)
        outbox.run_once("test")
        self.assertEqual(Notification.objects.get(kind=notices.MESSAGE).status, Status.SENT)
        sent = [m for m in mail.outbox if self.kurt.coordinator.email in m.to]
        self.assertEqual(len(sent), 1)
        self.assertNotIn("depression", sent[0].subject + sent[0].body)
        self.assertIn(str(self.kurt.public_id), sent[0].body)

    def test_a_message_is_audited(self):
        self.send("kurt", self.kurt, body=HEALTH)
        self.assertTrue(
            AuditEntry.objects.filter(
                actor=self.users["kurt"], case=self.kurt, action=AuditAction.MESSAGE_SENT
            ).exists()
        )
        words = notices.render_message(Notification.objects.get(kind=notices.MESSAGE))
        self.assertNotIn("depression", words.subject + words.body)


class WhoReadsWhatTests(RequestTestCase):
    def portal(self, username):
        if username in ("kurt", "bodil"):
            return reverse("portals:employee")
        case = self.kurt if username == "leder" else self.bodil
        return reverse("portals:employer_case", args=[case.public_id])

    def case_page(self, case):
        return reverse("cases:detail", args=[case.public_id])

    def test_the_employees_message_is_for_professionals_unless_she_shares_it(self):
        self.send("bodil", self.bodil, body=HEALTH)
        self.assertNotContains(self.page("chef", self.portal("chef")), "depression")
        for username in ("koordinator", "laeser", "psykolog"):
            with self.subTest(username):
                self.assertContains(self.page(username, self.case_page(self.bodil)), HEALTH)
        self.assertContains(self.page("bodil", self.portal("bodil")), HEALTH)

        shared = "I can do the phones from Monday"
        self.send("bodil", self.bodil, body=shared, share_with_employer="on")
        response = self.page("chef", self.portal("chef"))
        self.assertContains(response, shared)
        self.assertNotContains(response, "depression")
        row = AuditEntry.objects.filter(actor=self.users["chef"], case=self.bodil).latest("pk")
        self.assertEqual((row.action, row.fields), (AuditAction.SHARED_VIEWED, ["employee_message"]))

    def test_the_answer_to_her_shared_message_reaches_the_workplace_only_when_the_coordinator_shares_it(self):
        # She consents to her message, not to the coordinator's answer (which may be health text).
        shared = "I can do the phones from Monday"
        answer = "Your MRI shows a hernia, so no lifting"
        self.send("bodil", self.bodil, body=shared, share_with_employer="on")
        message = Message.objects.get()
        self.as_user("koordinator")
        url = reverse("requests:answer", args=[message.public_id])
        form = self.client.get(url)
        self.assertContains(form, 'name="share_with_employer"')
        self.assertContains(form, "If you tick this, the workplace reads your answer")
        self.assertEqual(self.client.post(url, {"lock": message.version, "answer": answer}).status_code, 302)
        message.refresh_from_db()
        self.assertFalse(message.answer_shared_with_employer)
        employer_pages = (reverse("portals:employer"), self.portal("chef"))
        for page in employer_pages:
            with self.subTest(page):
                response = self.page("chef", page)
                self.assertNotContains(response, "hernia")
                self.assertNotContains(response, "MRI")
        self.assertContains(self.page("chef", self.portal("chef")), shared)
        row = AuditEntry.objects.filter(actor=self.users["chef"], case=self.bodil).latest("pk")
        self.assertEqual((row.action, row.fields), (AuditAction.SHARED_VIEWED, ["employee_message"]))
        # She reads the answer, and that her workplace does not.
        response = self.page("bodil", self.portal("bodil"))
        self.assertContains(response, answer)
        self.assertContains(response, "Your workplace does not read the answer.")

        # Ticked: the workplace reads the answer, logged as a shared read like her message.
        self.send("bodil", self.bodil, body="Second shared note", share_with_employer="on")
        second = Message.objects.latest("pk")
        self.as_user("koordinator")
        self.client.post(
            reverse("requests:answer", args=[second.public_id]),
            {"lock": second.version, "answer": "Fewer hours for now", "share_with_employer": "on"},
        )
        second.refresh_from_db()
        self.assertTrue(second.answer_shared_with_employer)
        response = self.page("chef", self.portal("chef"))
        self.assertContains(response, "Fewer hours for now")
        self.assertNotContains(response, "hernia")
        row = AuditEntry.objects.filter(actor=self.users["chef"], case=self.bodil).latest("pk")
        self.assertEqual(row.action, AuditAction.SHARED_VIEWED)
        self.assertEqual(sorted(row.fields), ["employee_message", "employee_message_answer"])
        self.assertContains(
            self.page("bodil", self.portal("bodil")), "Your coordinator shares the answer with your workplace too."
        )

    def test_the_answer_sharing_has_danish_words_waiting(self):
        for msgid, msgstr in (
            ("Let the workplace read my answer too", "Lad også arbejdspladsen læse mit svar"),
            ("Your workplace does not read the answer.", "Din arbejdsplads læser ikke svaret."),
        ):
            with translation.override("da"):
                self.assertEqual(translation.gettext(msgid), msgstr)

    def test_an_answer_to_an_unshared_message_cannot_be_shared_with_the_workplace(self):
        self.send("bodil", self.bodil, body=HEALTH)
        message = Message.objects.get()
        self.as_user("koordinator")
        url = reverse("requests:answer", args=[message.public_id])
        self.assertNotContains(self.client.get(url), 'name="share_with_employer"')
        self.client.post(url, {"lock": message.version, "answer": "MRI next week", "share_with_employer": "on"})
        message.refresh_from_db()
        self.assertTrue(message.is_answered)
        self.assertFalse(message.answer_shared_with_employer)
        self.assertNotContains(self.page("chef", self.portal("chef")), "MRI")

    def test_the_managers_message_is_never_shown_to_the_employee_or_another_employer(self):
        self.send("leder", self.kurt, body=MANAGER_TEXT)
        message = Message.objects.get()
        self.assertContains(self.page("leder", self.portal("leder")), MANAGER_TEXT)
        self.assertContains(self.page("koordinator", self.case_page(self.kurt)), MANAGER_TEXT)
        self.assertNotContains(self.page("kurt", self.portal("kurt")), "warehouse")
        self.assertEqual(
            self.page("chef", reverse("portals:employer_case", args=[self.kurt.public_id])).status_code, 404
        )
        self.assertNotContains(self.page("chef", self.portal("chef")), "warehouse")

        # Answered and shared with the employee: she reads the answer, still not the manager's text.
        self.as_user("koordinator")
        url = reverse("requests:answer", args=[message.public_id])
        self.client.post(url, {"lock": message.version, "answer": "Shifts are arranged", "share_with_employee": "on"})
        response = self.page("kurt", self.portal("kurt"))
        self.assertContains(response, "Shifts are arranged")
        self.assertNotContains(response, "warehouse")

    def test_the_employees_request_is_hidden_from_the_workplace_unless_shared(self):
        self.ask("kurt", self.kurt, purpose="About my back pain")
        response = self.page("leder", self.portal("leder"))
        self.assertNotContains(response, "Waiting for the coordinator")
        self.assertNotContains(response, "back pain")
        self.ask("kurt", self.kurt, purpose="About my tasks", share_with_employer="on")
        response = self.page("leder", self.portal("leder"))
        self.assertContains(response, "Waiting for the coordinator", count=1)
        self.assertContains(response, "About my tasks")
        self.assertNotContains(response, "back pain")
        row = AuditEntry.objects.filter(actor=self.users["leder"], case=self.kurt).latest("pk")
        self.assertEqual((row.action, row.fields), (AuditAction.SHARED_VIEWED, ["employee_meeting_request"]))

    def test_a_closed_request_is_a_line_without_its_text_and_no_read(self):
        self.ask("kurt", self.kurt, purpose=HEALTH)
        item = MeetingRequest.objects.get()
        self.as_user("kurt")
        self.client.post(reverse("requests:withdraw", args=[item.public_id]), {"lock": item.version})
        self.as_user("koordinator")
        response = self.client.get(self.case_page(self.kurt))
        self.assertNotContains(response, "depression")
        rows = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor=self.users["koordinator"])
        self.assertFalse(any("employee_meeting_request" in r.fields for r in rows))

    def test_other_organisations_and_other_employers_reach_nothing(self):
        self.send("kurt", self.kurt, body=HEALTH)
        self.ask("kurt", self.kurt, purpose=HEALTH)
        message, item = Message.objects.get(), MeetingRequest.objects.get()
        for username in ("anden", "chef", "leder", "bodil", "psykolog"):
            with self.subTest(username):
                self.assertEqual(
                    self.page(username, reverse("requests:answer", args=[message.public_id])).status_code, 404
                )
                self.assertEqual(self.page(username, reverse("requests:plan", args=[item.public_id])).status_code, 404)
        # Read-only staff see it on the case page but may not answer or plan.
        self.assertEqual(self.page("laeser", reverse("requests:answer", args=[message.public_id])).status_code, 403)
        self.assertEqual(self.page("laeser", reverse("requests:plan", args=[item.public_id])).status_code, 403)
        self.assertNotContains(
            self.page("laeser", self.case_page(self.kurt)), reverse("requests:plan", args=[item.public_id])
        )

    def test_each_read_of_the_employees_text_by_staff_is_logged(self):
        self.send("kurt", self.kurt, body=HEALTH)
        before = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED).count()
        self.page("koordinator", self.case_page(self.kurt))
        row = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor=self.users["koordinator"]).latest("pk")
        self.assertIn("employee_message", row.fields)
        self.assertGreater(AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED).count(), before)
        message = Message.objects.get()
        self.page("koordinator", reverse("requests:answer", args=[message.public_id]))
        row = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor=self.users["koordinator"]).latest("pk")
        self.assertIn("employee_message", row.fields)

    def test_the_managers_text_is_not_logged_as_health(self):
        self.send("leder", self.kurt, body=MANAGER_TEXT)
        self.page("koordinator", self.case_page(self.kurt))
        rows = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor=self.users["koordinator"])
        self.assertFalse(any("employee_message" in r.fields for r in rows))


class ClosingItselfTests(RequestTestCase):
    def plan_data(self, item):
        day = timezone.localdate() + dt.timedelta(days=10)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return {
            "kind": "joint",
            "date": day.isoformat(),
            "time": "10:00",
            "duration_minutes": 60,
            "place": "Jobcentret",
            "purpose": item.purpose,
            "purpose_agreed": "on",
            "participants": list(self.kurt.participants.values_list("pk", flat=True)),
            "request_lock": item.version,
        }

    def test_a_request_becomes_a_worklist_row_and_planning_closes_it(self):
        self.ask("leder", self.kurt, purpose=MANAGER_TEXT, video="on")
        item = MeetingRequest.objects.get()
        row = WorkItem.objects.get(kind=Kind.MEETING_REQUEST, source_id=item.pk)
        self.assertTrue(row.is_unhandled)

        self.as_user("koordinator")
        url = reverse("requests:plan", args=[item.public_id])
        response = self.client.get(url)
        self.assertContains(response, MANAGER_TEXT)
        self.assertContains(response, "Taking part by video")
        meetings_before = Meeting.objects.count()
        response = self.client.post(url, self.plan_data(item))
        self.assertEqual(
            response.status_code, 302, getattr(response, "context", None) and response.context["form"].errors
        )
        item.refresh_from_db()
        self.assertEqual(item.status, RequestStatus.PLANNED)
        self.assertEqual(Meeting.objects.count(), meetings_before + 1)
        self.assertEqual(item.meeting, Meeting.objects.latest("pk"))
        row.refresh_from_db()
        self.assertIsNotNone(row.resolved_at)
        self.assertEqual(Notification.objects.get(kind=notices.MEETING_REQUEST).status, Status.CLOSED)
        # Planned once: a second plan is refused.
        response = self.client.post(url, self.plan_data(item))
        self.assertEqual(Meeting.objects.count(), meetings_before + 1)

    def test_bad_meeting_input_is_400_and_keeps_the_request_open(self):
        self.ask("leder", self.kurt, purpose=MANAGER_TEXT)
        item = MeetingRequest.objects.get()
        self.as_user("koordinator")
        data = self.plan_data(item) | {"date": "not a date"}
        response = self.client.post(reverse("requests:plan", args=[item.public_id]), data)
        self.assertEqual(response.status_code, 400)
        item.refresh_from_db()
        self.assertTrue(item.is_open)

    def test_a_stale_request_lock_plans_nothing(self):
        self.ask("leder", self.kurt, purpose=MANAGER_TEXT)
        item = MeetingRequest.objects.get()
        self.as_user("koordinator")
        before = Meeting.objects.count()
        self.client.post(reverse("requests:plan", args=[item.public_id]), self.plan_data(item) | {"request_lock": 99})
        self.assertEqual(Meeting.objects.count(), before)
        item.refresh_from_db()
        self.assertTrue(item.is_open)

    def test_withdrawing_resolves_the_row(self):
        self.ask("kurt", self.kurt, purpose="Talk")
        item = MeetingRequest.objects.get()
        self.as_user("leder")
        self.assertEqual(
            self.client.post(reverse("requests:withdraw", args=[item.public_id]), {"lock": 1}).status_code, 404
        )
        self.as_user("kurt")
        self.client.post(reverse("requests:withdraw", args=[item.public_id]), {"lock": 1})
        item.refresh_from_db()
        self.assertEqual(item.status, RequestStatus.WITHDRAWN)
        self.assertIsNotNone(WorkItem.objects.get(kind=Kind.MEETING_REQUEST, source_id=item.pk).resolved_at)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.REQUEST_WITHDRAWN, case=self.kurt).exists())

    def test_answering_resolves_the_message_row_and_closes_the_notification(self):
        self.send("kurt", self.kurt, body=HEALTH)
        message = Message.objects.get()
        row = WorkItem.objects.get(kind=Kind.MESSAGE, source_id=message.pk)
        self.assertTrue(row.is_unhandled)
        self.as_user("koordinator")
        url = reverse("requests:answer", args=[message.public_id])
        self.assertEqual(self.client.post(url, {"lock": message.version, "answer": ""}).status_code, 400)
        self.assertEqual(
            self.client.post(url, {"lock": message.version, "answer": "Let us talk Monday"}).status_code, 302
        )
        row.refresh_from_db()
        self.assertIsNotNone(row.resolved_at)
        self.assertEqual(Notification.objects.get(kind=notices.MESSAGE).status, Status.CLOSED)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.MESSAGE_ANSWERED, case=self.kurt).exists())
        self.assertContains(self.page("kurt", reverse("portals:employee")), "Let us talk Monday")
        # A second answer from a stale form is a conflict, the first kept.
        self.as_user("koordinator")
        self.assertEqual(self.client.post(url, {"lock": message.version, "answer": "Other"}).status_code, 409)
        message.refresh_from_db()
        self.assertEqual(message.answer, "Let us talk Monday")

    def test_junk_locks_are_refused_without_an_error(self):
        self.ask("leder", self.kurt, purpose=MANAGER_TEXT)
        self.send("leder", self.kurt, body=MANAGER_TEXT)
        item, message = MeetingRequest.objects.get(), Message.objects.get()
        self.as_user("koordinator")
        for junk in ("NaN", "1e309", str(10**30), "-1", ""):
            with self.subTest(junk):
                response = self.client.post(
                    reverse("requests:plan", args=[item.public_id]), self.plan_data(item) | {"request_lock": junk}
                )
                self.assertLess(response.status_code, 500)
                response = self.client.post(
                    reverse("requests:answer", args=[message.public_id]), {"lock": junk, "answer": "Yes"}
                )
                self.assertIn(response.status_code, (400, 409))
                response = self.client.post(reverse("requests:withdraw", args=[item.public_id]), {"lock": junk})
                self.assertLess(response.status_code, 500)
        item.refresh_from_db()
        message.refresh_from_db()
        self.assertTrue(item.is_open)
        self.assertFalse(message.is_answered)


class OpenOnesAlwaysShownTests(RequestTestCase):
    """The panel and the portals show every open request and unanswered message, however many closed ones
    are newer, and the last few closed ones; in the same number of queries however many there are."""

    def add(self, *, open_rows: int, closed_rows: int, start: int) -> None:
        now = timezone.now()
        leder, koordinator = self.users["leder"], self.users["koordinator"]

        def at(i):
            return now - dt.timedelta(days=400 - start - i)

        MeetingRequest.objects.bulk_create(
            [
                MeetingRequest(
                    case=self.kurt,
                    asked_by=leder,
                    side=Side.EMPLOYER,
                    purpose=f"Open request {start + i}",
                    created_at=at(i),
                )
                for i in range(open_rows)
            ]
            + [
                MeetingRequest(
                    case=self.kurt,
                    asked_by=leder,
                    side=Side.EMPLOYER,
                    purpose=f"Closed request {start + i}",
                    status=RequestStatus.WITHDRAWN,
                    closed_at=now,
                    created_at=at(open_rows + i),
                )
                for i in range(closed_rows)
            ]
        )
        Message.objects.bulk_create(
            [
                Message(
                    case=self.kurt, author=leder, side=Side.EMPLOYER, body=f"Open message {start + i}", created_at=at(i)
                )
                for i in range(open_rows)
            ]
            + [
                Message(
                    case=self.kurt,
                    author=leder,
                    side=Side.EMPLOYER,
                    body=f"Answered message {start + i}",
                    answer=f"Answer {start + i}",
                    answered_by=koordinator,
                    answered_at=now,
                    created_at=at(open_rows + i),
                )
                for i in range(closed_rows)
            ]
        )

    def test_an_old_open_request_is_not_pushed_off_by_newer_closed_ones(self):
        # The oldest request and message are open; 25 newer ones are closed.
        self.add(open_rows=1, closed_rows=25, start=0)
        response = self.page("koordinator", reverse("cases:detail", args=[self.kurt.public_id]))
        self.assertContains(response, "Open request 0")
        self.assertContains(response, "Open message 0")
        portal = self.page("leder", reverse("portals:employer_case", args=[self.kurt.public_id]))
        self.assertContains(portal, "Open request 0")
        self.assertContains(portal, "Open message 0")
        # Besides the open ones, the newest five closed.
        self.assertContains(portal, "Answered message 24")
        self.assertContains(portal, "Answered message 20")
        self.assertNotContains(portal, "Answered message 19")

    def test_the_panel_takes_the_same_queries_however_many_rows(self):
        url = reverse("cases:detail", args=[self.kurt.public_id])
        self.add(open_rows=2, closed_rows=5, start=0)
        self.as_user("koordinator")
        self.client.get(url)
        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        self.add(open_rows=20, closed_rows=20, start=100)
        with CaptureQueriesContext(connection) as many:
            response = self.client.get(url)
        self.assertContains(response, "Open request ", count=22)
        self.assertContains(response, "Open message ", count=22)
        self.assertEqual(len(many), len(few), [q["sql"] for q in many.captured_queries])
