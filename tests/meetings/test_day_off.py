"""Issue 17, item 3: a meeting cannot be put on a Saturday, a Sunday or a Danish public holiday."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.deadlines.engine.dates import add_working_days
from fasthold.meetings.models import Meeting
from tests.meetings.base import MeetingTestCase


def next_weekday(weekday: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=1)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return day


def next_christmas() -> dt.date:
    today = timezone.localdate()
    christmas = dt.date(today.year, 12, 25)
    return christmas if christmas > today else dt.date(today.year + 1, 12, 25)


class MeetingsOnDaysOffTests(MeetingTestCase):
    language = "en"

    def data(self, day: dt.date) -> dict:
        return {
            "kind": "joint",
            "date": day.isoformat(),
            "time": "10:00",
            "duration_minutes": 60,
            "place": "Kantinen",
            "video_link": "",
            "purpose": "Tal om en rolig start.",
            "purpose_agreed": "on",
            "participants": list(self.bodil.participants.values_list("pk", flat=True)),
            "checklist": ["lead_welcome"],
        }

    def post(self, day):
        return self.client.post(reverse("meetings:plan", args=[self.bodil.public_id]), self.data(day))

    def test_saturday_sunday_and_christmas_day_are_refused(self):
        self.as_user("koordinator")
        before = Meeting.objects.count()
        for day in (next_weekday(5), next_weekday(6), next_christmas()):
            with self.subTest(day=day):
                response = self.post(day)
                self.assertEqual(response.status_code, 400)
                self.assertIn(
                    "Saturday, a Sunday or a public holiday", " ".join(response.context["form"].errors["date"])
                )
        self.assertEqual(Meeting.objects.count(), before)

    def test_a_working_day_is_accepted(self):
        self.as_user("koordinator")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(add_working_days(timezone.localdate(), 3))
        self.assertEqual(response.status_code, 302)
