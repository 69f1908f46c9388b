import datetime as dt

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.demo import build_world
from fasthold.meetings.demo import load_demo
from fasthold.meetings.models import Meeting, MeetingKind, MeetingStatus


class MeetingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        load_demo(cls.world)
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil
        cls.users = cls.world.users

    def as_user(self, username):
        self.client.force_login(self.users[username])
        # The assertions quote the English messages; Danish is the default.
        self.client.cookies["django_language"] = "en"

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
