"""The 500s the form fuzz (test_form_fuzz.py) found, one by one, with the message the user sees."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.meetings.models import Meeting
from tests.meetings.base import MeetingTestCase

HUGE = 10**30
NOT_ON_CASE = "Only people taking part in the case can be invited."  # the form's own message, in English


class MeetingParticipantIdsTests(MeetingTestCase):
    """An id beyond 64 bits among the participants raised OverflowError on SQLite (a 500)."""

    def data(self, meeting=None, **overrides):
        day = timezone.localdate() + dt.timedelta(days=3)
        data = {"kind": "joint", "date": day.isoformat(), "time": "10:00", "duration_minutes": 60,
                "place": "Kantinen", "video_link": "", "purpose": "Tal om en rolig start.", "purpose_agreed": "on",
                "participants": list(self.bodil.participants.values_list("pk", flat=True)) + [HUGE]}
        if meeting is not None:
            data["lock"] = meeting.version
        data.update(overrides)
        return data

    def test_plan_with_a_huge_participant_id_is_a_400_with_the_form_kept(self):
        self.as_user("koordinator")
        before = Meeting.objects.count()
        for participants in ([HUGE], [-HUGE], [*self.bodil.participants.values_list("pk", flat=True), HUGE]):
            with self.subTest(participants=participants):
                response = self.client.post(reverse("meetings:plan", args=[self.bodil.public_id]),
                                            self.data(participants=participants, purpose="Mit eget formål"))
                self.assertContains(response, "Mit eget formål", status_code=400)
                self.assertContains(response, NOT_ON_CASE, status_code=400)
        self.assertEqual(Meeting.objects.count(), before)

    def test_edit_with_a_huge_participant_id_is_a_400(self):
        self.as_user("koordinator")
        meeting = self.bodil_meeting()
        response = self.client.post(self.url("edit", meeting), self.data(meeting))
        self.assertContains(response, NOT_ON_CASE, status_code=400)
        self.assertEqual(self.bodil_meeting().version, meeting.version)
