import datetime as dt
import re
from unittest import mock

from django.core import mail
from django.urls import reverse

from fasthold.cases import services as case_services
from fasthold.cases.choices import CauseCategory, ReferralSource
from tests.base import DemoWorldTestCase

LINK = re.compile(r"https?://[^\s]+/people/invitation/[^\s/]+/")


class PeopleTestCase(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jobcentre = cls.world.orgs["jobcentre"]
        cls.employer = cls.world.orgs["door_factory"]
        cls.case = case_services.case_open(
            actor=cls.users["koordinator"],
            organisation=cls.jobcentre,
            person={"name": "Sofie Andersen", "email": "sofie@example.net", "preferred_language": "en"},
            employment={"employer": cls.employer, "job_title": "Montør"},
            case={
                "coordinator": cls.users["koordinator"],
                "first_sick_day": dt.date(2026, 11, 2),
                "cause_category": CauseCategory.PHYSICAL_MUSCULOSKELETAL,
                "referral_source": ReferralSource.EMPLOYER,
            },
        )

    def invite(self, role="employee", *, case=None, **fields):
        data = {
            "participant_role": role,
            "first_name": "Sofie",
            "last_name": "Andersen",
            "email": "sofie@example.net",
            "language": "en",
            **fields,
        }
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("people:case_invite", args=[(case or self.case).public_id]), data)

    def last_link(self) -> str:
        match = LINK.search(mail.outbox[-1].body)
        self.assertIsNotNone(match, mail.outbox[-1].body)
        return match.group(0)

    def accept(self, link, password="Lang-og-sikker-42", language="en"):
        """Open the link as a new visitor and make the login; returns the response of the form POST."""
        self.client.logout()
        opened = self.client.get(link)
        self.assertRedirects(opened, reverse("people:accept"), fetch_redirect_response=False)
        return self.client.post(
            reverse("people:accept"), {"language": language, "password1": password, "password2": password}
        )


def mock_time(when):
    """The wall clock as the signing module reads it (time.time), set to `when`."""
    return mock.patch("time.time", return_value=when.timestamp())
