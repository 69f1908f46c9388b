import datetime as dt

from django.urls import reverse
from django.utils import timezone

from fasthold.meetings.models import Meeting, MeetingKind, MeetingStatus
from tests.base import DemoWorldTestCase


class MeetingTestCase(DemoWorldTestCase):
    load_demos = ("meetings",)

    def bodil_meeting(self) -> Meeting:
        return Meeting.objects.get(case=self.bodil, status=MeetingStatus.PLANNED)

    def kurt_follow_up(self) -> Meeting:
        return Meeting.objects.get(case=self.kurt, status=MeetingStatus.HELD, kind=MeetingKind.FOLLOW_UP)

    def kurt_next(self) -> Meeting:
        return Meeting.objects.get(case=self.kurt, status=MeetingStatus.PLANNED)

    def url(self, name, meeting, *args):
        return reverse(f"meetings:{name}", args=[meeting.public_id, *args])

    @staticmethod
    def later(days=7, hour=10) -> dt.datetime:
        day = timezone.localdate() + dt.timedelta(days=days)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
