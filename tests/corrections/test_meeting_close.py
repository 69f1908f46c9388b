"""Closing a stale or duplicate meeting: who may, the reason, the audit row, gone from upcoming lists and
the case calendar, and its calendar file a cancellation."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.deadlines.models import Deadline
from fasthold.meetings import selectors
from fasthold.meetings.models import ClosedReason, Meeting, MeetingStatus
from tests.meetings.base import MeetingTestCase


class CloseMeetingTests(MeetingTestCase):
    def close(self, meeting, reason, user="koordinator", lock=None):
        self.as_user(user)
        return self.client.post(
            self.url("close", meeting), {"reason": reason, "lock": meeting.version if lock is None else lock}
        )

    def test_a_duplicate_leaves_the_upcoming_lists_and_its_ics_cancels(self):
        meeting = self.kurt_next()
        self.assertEqual(selectors.next_meeting(self.kurt), meeting)
        self.as_user("koordinator")
        self.assertEqual(self.client.get(self.url("close", meeting)).status_code, 200)
        self.assertEqual(self.close(meeting, ClosedReason.DUPLICATE).status_code, 302)
        meeting.refresh_from_db()
        self.assertEqual((meeting.status, meeting.closed_reason), (MeetingStatus.CLOSED, ClosedReason.DUPLICATE))
        self.assertIsNone(selectors.next_meeting(self.kurt))
        self.assertFalse(Deadline.objects.filter(case=self.kurt, key="next_meeting", due__isnull=False).exists())
        leder = self.users["leder"]
        self.assertNotIn(self.kurt.pk, selectors.next_invited(leder, [self.kurt.pk]))
        entry = AuditEntry.objects.get(action=AuditAction.MEETING_CLOSED, case=self.kurt)
        self.assertEqual(entry.actor, self.users["koordinator"])
        ics = self.client.get(self.url("ics", meeting)).content.decode()
        self.assertIn("METHOD:CANCEL", ics)
        page = self.client.get(self.url("detail", meeting))
        self.assertContains(page, str(ClosedReason.DUPLICATE.label))
        self.assertNotContains(page, self.url("agenda", meeting))
        self.assertNotContains(page, self.url("close", meeting))

    def test_a_stale_meeting_in_the_past_is_closed_one_still_ahead_is_not(self):
        ahead = self.kurt_next()
        response = self.close(ahead, ClosedReason.STALE)
        self.assertEqual(response.status_code, 400)
        ahead.refresh_from_db()
        self.assertTrue(ahead.is_planned)
        past = Meeting.objects.get(pk=ahead.pk)
        Meeting.objects.filter(pk=past.pk).update(starts_at=timezone.now() - dt.timedelta(days=3))
        past.refresh_from_db()
        self.assertEqual(self.close(past, ClosedReason.STALE).status_code, 302)
        past.refresh_from_db()
        self.assertTrue(past.is_closed)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.MEETING_CLOSED, case=self.kurt).exists())

    def test_a_reason_is_required_and_a_stale_version_conflicts(self):
        meeting = self.kurt_next()
        self.assertEqual(self.close(meeting, "").status_code, 400)
        self.assertEqual(self.close(meeting, ClosedReason.DUPLICATE, lock=meeting.version + 1).status_code, 409)
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_planned)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.MEETING_CLOSED).exists())

    def test_only_editing_staff_may_close(self):
        meeting = self.kurt_next()
        for user, status in {"laeser": 403, "leder": 403, "kurt": 403, "anden": 404}.items():
            with self.subTest(user=user):
                self.as_user(user)
                self.assertEqual(self.client.get(self.url("close", meeting)).status_code, status)
                self.assertEqual(self.close(meeting, ClosedReason.DUPLICATE, user=user).status_code, status)
        meeting.refresh_from_db()
        self.assertTrue(meeting.is_planned)
        self.assertEqual(reverse("meetings:close", args=[meeting.public_id]), self.url("close", meeting))
