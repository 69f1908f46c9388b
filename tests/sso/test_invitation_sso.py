"""Accepting an invitation with single sign-on, against the local provider: the account is made from the
invitation and linked to the provider's subject; without an invitation, or with one for staff (who use
their organisation's provider), a public provider's login makes nothing."""

import datetime as dt

from django.core import mail
from django.test import Client
from django.urls import reverse

from fasthold.accounts.models import ExternalIdentity, User
from fasthold.cases import services as case_services
from fasthold.cases.choices import CauseCategory, ReferralSource
from fasthold.cases.models import Participant
from fasthold.people import services as people
from fasthold.people.models import Invitation
from tests.people.base import LINK
from tests.sso import oidc_op
from tests.sso.test_sso_flow import SSOTestCase


class AcceptWithSSO(SSOTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.case = case_services.case_open(
            actor=cls.users["koordinator"],
            organisation=cls.world.orgs["jobcentre"],
            person={"name": "Sofie Andersen"},
            employment={"employer": cls.world.orgs["door_factory"]},
            case={
                "coordinator": cls.users["koordinator"],
                "first_sick_day": dt.date(2026, 11, 2),
                "cause_category": CauseCategory.MENTAL_STRESS,
                "referral_source": ReferralSource.GP,
            },
        )

    def invite(self, **data):
        with self.captureOnCommitCallbacks(execute=True):
            people.invite_to_case(
                actor=self.users["koordinator"],
                case=self.case,
                data={
                    "participant_role": "employee",
                    "first_name": "Sofie",
                    "last_name": "Andersen",
                    "email": "sofie@example.net",
                    "language": "da",
                    **data,
                },
                base_url="http://testserver/",
            )
        return LINK.search(mail.outbox[-1].body).group(0)

    def test_the_employee_accepts_with_the_provider_and_is_linked_by_subject(self):
        self.client.get(self.invite())
        page = self.client.get(reverse("people:accept"))
        self.assertContains(page, "Test-IdP")
        start = self.client.post(reverse("people:accept_sso", args=["local"]), {"language": "en"})
        self.assertEqual(start.status_code, 302)
        authorize = self.client.get(start["Location"])["Location"]
        callback = oidc_op.log_in_at_provider(authorize, "stranger", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        response = self.client.get(callback)
        self.assertEqual(response.status_code, 302)
        user = User.objects.get(email="sofie@example.net")
        self.assertEqual(self.logged_in_as(), user.username)
        self.assertEqual((user.first_name, user.preferred_language), ("Sofie", "en"))
        self.assertFalse(user.has_usable_password())
        self.assertTrue(ExternalIdentity.objects.filter(user=user, provider="local", subject="sub-stranger").exists())
        self.assertEqual(Participant.objects.get(case=self.case, role="employee").user, user)
        self.assertIsNotNone(Invitation.objects.get().accepted_at)

        # The next time the same login finds the same user, with no invitation at all.
        other = Client()
        self.client = other
        callback = oidc_op.log_in_at_provider(self.start(), "stranger", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        self.client.get(callback)
        self.assertEqual(self.logged_in_as(), user.username)
        self.assertEqual(User.objects.filter(email="sofie@example.net").count(), 1)

    def test_a_withdrawn_invitation_in_the_session_makes_nothing(self):
        self.client.get(self.invite())
        start = self.client.post(reverse("people:accept_sso", args=["local"]))
        Invitation.objects.update(revoked_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
        authorize = self.client.get(start["Location"])["Location"]
        callback = oidc_op.log_in_at_provider(authorize, "stranger", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        response = self.client.get(callback)
        self.assertEqual(response.status_code, 403)
        self.assertIsNone(self.logged_in_as())
        self.assertFalse(User.objects.filter(email="sofie@example.net").exists())
        self.assertFalse(ExternalIdentity.objects.filter(subject="sub-stranger").exists())

    def test_staff_invitations_are_not_accepted_with_a_public_provider(self):
        with self.captureOnCommitCallbacks(execute=True):
            people.invite_to_organisation(
                actor=self.users["admin"],
                organisation=self.world.orgs["jobcentre"],
                data={"first_name": "Jens", "email": "jens@example.net", "org_role": "coordinator", "language": "da"},
                base_url="http://testserver/",
            )
        self.client.get(LINK.search(mail.outbox[-1].body).group(0))
        self.assertNotContains(self.client.get(reverse("people:accept")), "Test-IdP")
        self.assertEqual(self.client.post(reverse("people:accept_sso", args=["local"])).status_code, 404)
        # Even a login started by hand with the invitation in the session makes no staff account.
        callback = oidc_op.log_in_at_provider(self.start(), "stranger", stop_at=oidc_op.TEST_CLIENT_CALLBACK)
        self.assertEqual(self.client.get(callback).status_code, 403)
        self.assertFalse(User.objects.filter(email="jens@example.net").exists())
