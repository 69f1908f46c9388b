"""The review's three findings: professionals-only text shown without a read row. Each read by the
coordinator or a health professional writes exactly one HEALTH_VIEWED row naming the field, never the
text; the manager never sees the text and no read is written for him."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Audience, EventKind, TimelineEvent
from fasthold.coordination import services as coordination
from fasthold.meetings.models import Meeting, MeetingKind, MeetingStatus
from tests.base import DemoWorldTestCase

NOTE = "SNTLREADLOGNOTE"


class FindingTests(DemoWorldTestCase):
    load_demos = ("meetings", "coordination")

    def reads(self, username, case):
        return AuditEntry.objects.filter(actor=self.users[username], case=case, action=AuditAction.HEALTH_VIEWED)

    def get(self, username, url):
        self.client.force_login(self.users[username])
        return self.client.get(url)

    def assert_one_read(self, username, case, url, field):
        before = set(self.reads(username, case).values_list("pk", flat=True))
        response = self.get(username, url)
        self.assertContains(response, NOTE)
        new = list(self.reads(username, case).exclude(pk__in=before))
        self.assertEqual(len(new), 1, f"{username}: one read row for {url}")
        self.assertIn(field, new[0].fields)
        self.assertNotIn(NOTE, str(new[0].fields))

    def assert_no_read(self, username, case, url):
        before = self.reads(username, case).count()
        response = self.get(username, url)
        self.assertNotIn(NOTE, response.content.decode("utf-8", "replace"))
        self.assertEqual(self.reads(username, case).count(), before)
        return response

    def test_minutes_form_logs_the_professionals_note(self):
        kurt = self.world.kurt
        meeting = Meeting.objects.get(case=kurt, status=MeetingStatus.HELD, kind=MeetingKind.FOLLOW_UP)
        Meeting.objects.filter(pk=meeting.pk).update(private_note=f"Note {NOTE}")
        url = reverse("meetings:minutes", args=[meeting.public_id])
        self.assert_one_read("koordinator", kurt, url, "meeting_note")
        # The manager may not open the minutes form at all.
        self.assertIn(self.assert_no_read("leder", kurt, url).status_code, (403, 404))

    def test_minutes_form_for_bodils_meeting_read_by_the_coordinator_only(self):
        bodil = self.world.bodil
        meeting = Meeting.objects.filter(case=bodil).first()
        Meeting.objects.filter(pk=meeting.pk).update(
            private_note=f"Note {NOTE}", starts_at=timezone.now() - dt.timedelta(hours=2)
        )
        url = reverse("meetings:minutes", args=[meeting.public_id])
        self.assert_one_read("koordinator", bodil, url, "meeting_note")
        # The psychologist reads the case but does not write minutes; the manager reads neither.
        for username in ("psykolog", "chef"):
            self.assertIn(self.assert_no_read(username, bodil, url).status_code, (403, 404))

    def test_case_page_logs_a_professionals_only_timeline_note(self):
        bodil = self.world.bodil
        TimelineEvent.objects.create(
            case=bodil,
            kind=EventKind.NOTE,
            audience=Audience.PROFESSIONALS,
            actor=self.users["koordinator"],
            params={"text": f"Note {NOTE}"},
        )
        url = reverse("cases:detail", args=[bodil.public_id])
        for username in ("koordinator", "psykolog"):
            self.assert_one_read(username, bodil, url, "timeline")
        self.assertEqual(self.assert_no_read("chef", bodil, url).status_code, 200)

    def test_contact_page_logs_a_professionals_only_note(self):
        bodil = self.world.bodil
        coordination.contact_log(
            actor=self.users["koordinator"],
            case=bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            note=f"Note {NOTE}",
            audience=Audience.PROFESSIONALS,
            with_name="Bodil Sørensen",
        )
        url = reverse("coordination:contacts", args=[bodil.public_id])
        for username in ("koordinator", "psykolog"):
            self.assert_one_read(username, bodil, url, "contacts")
        self.assertEqual(self.assert_no_read("chef", bodil, url).status_code, 200)
