"""The organisation administrator: staff invitations, roles, deactivation, two-factor reset, reassignment."""

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from fasthold.accounts.models import TwoFactorDevice
from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Case
from fasthold.organisations.models import Membership, OrgRole
from fasthold.people.models import Invitation
from tests.people.base import PeopleTestCase

User = get_user_model()


class Administration(PeopleTestCase):
    def invite_staff(self, role="coordinator", email="jens@example.net"):
        data = {"first_name": "Jens", "last_name": "Bak", "email": email, "org_role": role, "language": "da"}
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("people:staff"), data)

    def test_only_administrators_reach_the_pages(self):
        for username in ("koordinator", "laeser", "leder", "kurt", "psykolog", "anden"):
            self.as_user(username)
            for url in (
                reverse("people:staff"),
                reverse("people:reassign"),
                reverse("people:staff_member", args=[self.users["kollega"].pk]),
            ):
                self.assertEqual(self.client.get(url).status_code, 404, (username, url))
            self.assertEqual(
                self.client.post(
                    reverse("people:staff_action", args=[self.users["kollega"].pk, "deactivate"])
                ).status_code,
                404,
            )
        self.assertTrue(User.objects.get(username="kollega").is_active)
        self.as_user("admin")
        page = self.client.get(reverse("people:staff"))
        self.assertContains(page, "Mads Berg")
        self.assertNotContains(page, "Jonas Friis")  # another organisation's coordinator

    def test_an_administrator_cannot_open_another_organisations_staff(self):
        self.as_user("admin")
        self.assertEqual(
            self.client.get(reverse("people:staff_member", args=[self.users["anden"].pk])).status_code, 404
        )
        self.assertEqual(
            self.client.get(reverse("people:staff_member", args=[self.users["leder"].pk])).status_code, 404
        )
        self.assertEqual(
            self.client.post(reverse("people:staff_action", args=[self.users["anden"].pk, "deactivate"])).status_code,
            404,
        )
        self.assertTrue(User.objects.get(username="anden").is_active)

    def test_a_staff_invitation_gives_the_role_and_asks_for_two_factor(self):
        self.as_user("admin")
        response = self.invite_staff()
        self.assertRedirects(response, reverse("people:staff"), fetch_redirect_response=False)
        self.assertIn("inviteret" if "inviteret" in mail.outbox[-1].body else "invited", mail.outbox[-1].body)
        with self.settings(FASTHOLD_2FA_REQUIRED=True):
            self.accept(self.last_link())
            self.assertRedirects(
                self.client.get(reverse("cases:list")), reverse("accounts:enrol"), fetch_redirect_response=False
            )
        user = User.objects.get(email="jens@example.net")
        self.assertEqual(
            list(Membership.objects.filter(user=user).values_list("organisation", "role")),
            [(self.jobcentre.pk, OrgRole.COORDINATOR)],
        )

    def test_a_staff_invitation_offers_only_staff_roles(self):
        self.as_user("admin")
        response = self.invite_staff(role=OrgRole.MANAGER)
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Invitation.objects.exists())

    def test_roles_change_but_the_last_administrator_stays(self):
        self.as_user("admin")
        kollega = self.users["kollega"]
        url = reverse("people:staff_member", args=[kollega.pk])
        self.assertEqual(self.client.post(url, {"roles": ["coordinator", "admin"]}).status_code, 302)
        self.assertEqual(
            set(Membership.objects.filter(user=kollega, organisation=self.jobcentre).values_list("role", flat=True)),
            {"coordinator", "admin"},
        )
        self.assertEqual(self.client.post(url, {"roles": []}).status_code, 400)
        self.assertEqual(self.client.post(url, {"roles": ["nonsense"]}).status_code, 400)
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.ROLES_CHANGED, organisation=self.jobcentre).exists()
        )
        # Now kollega is an administrator too and takes "admin" from the first: allowed, one stays.
        self.as_user("kollega")
        self.assertEqual(
            self.client.post(
                reverse("people:staff_member", args=[self.users["admin"].pk]), {"roles": ["coordinator"]}
            ).status_code,
            302,
        )
        # The last one cannot be removed, not even by another route (deactivation).
        self.as_user("admin")
        self.assertEqual(self.client.get(reverse("people:staff")).status_code, 404)  # no longer an administrator
        self.as_user("kollega")
        response = self.client.post(reverse("people:staff_member", args=[kollega.pk]), {"roles": ["coordinator"]})
        self.assertContains(response, "own account", status_code=400)

    def test_deactivation_ends_sessions_at_once_and_cases_wait_for_a_new_coordinator(self):
        koordinator = self.users["koordinator"]
        their_browser = Client()
        their_browser.force_login(koordinator)
        self.assertEqual(their_browser.get(reverse("cases:list")).status_code, 200)
        open_cases = Case.objects.filter(coordinator=koordinator).exclude(status="closed").count()
        self.assertGreater(open_cases, 0)

        self.as_user("admin")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("people:staff_action", args=[koordinator.pk, "deactivate"]))
        self.assertRedirects(response, reverse("people:reassign"), fetch_redirect_response=False)
        self.assertRedirects(
            their_browser.get(reverse("cases:list")),
            f"{reverse('login')}?next={reverse('cases:list')}",
            fetch_redirect_response=False,
        )
        self.assertFalse(Client().login(username="koordinator", password="fasthold-demo"))

        page = self.client.get(reverse("people:reassign"))
        listed = page.context["cases"]
        self.assertEqual(len(listed), open_cases)
        response = self.client.post(
            reverse("people:reassign"), {"cases": [str(c.pk) for c in listed], "coordinator": self.users["kollega"].pk}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            Case.objects.filter(coordinator=self.users["kollega"]).exclude(status="closed").count() >= open_cases, True
        )
        self.assertFalse(Case.objects.filter(coordinator=koordinator).exclude(status="closed").exists())
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditAction.CASE_UPDATED, fields=["coordinator"]).count(), open_cases
        )

    def test_reassignment_only_to_an_active_coordinator_of_the_organisation(self):
        self.as_user("admin")
        self.client.post(reverse("people:staff_action", args=[self.users["koordinator"].pk, "deactivate"]))
        cases = [str(c.pk) for c in self.client.get(reverse("people:reassign")).context["cases"]]
        for wrong in ("anden", "laeser", "leder", "koordinator"):
            response = self.client.post(
                reverse("people:reassign"), {"cases": cases, "coordinator": self.users[wrong].pk}
            )
            self.assertEqual(response.status_code, 400, wrong)
        self.assertEqual(len(self.client.get(reverse("people:reassign")).context["cases"]), len(cases))

    def test_reactivation(self):
        self.as_user("admin")
        url = reverse("people:staff_action", args=[self.users["laeser"].pk, "deactivate"])
        self.client.post(url)
        self.assertFalse(User.objects.get(username="laeser").is_active)
        self.client.post(reverse("people:staff_action", args=[self.users["laeser"].pk, "reactivate"]))
        self.assertTrue(User.objects.get(username="laeser").is_active)

    def test_two_factor_reset(self):
        kollega = self.users["kollega"]
        TwoFactorDevice.objects.create(user=kollega, secret="JBSWY3DPEHPK3PXP", confirmed_at="2026-11-01T10:00Z")
        their_browser = Client()
        their_browser.force_login(kollega)
        self.as_user("admin")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("people:staff_action", args=[kollega.pk, "reset-two-factor"]))
        self.assertFalse(TwoFactorDevice.objects.filter(user=kollega).exists())
        self.assertEqual(their_browser.get(reverse("cases:list")).status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_RESET).exists())

    def test_an_administrator_cannot_deactivate_themselves(self):
        self.as_user("admin")
        self.client.post(reverse("people:staff_action", args=[self.users["admin"].pk, "deactivate"]))
        self.assertTrue(User.objects.get(username="admin").is_active)

    def test_an_unknown_action_is_not_found(self):
        self.as_user("admin")
        response = self.client.post(reverse("people:staff_action", args=[self.users["kollega"].pk, "delete"]))
        self.assertEqual(response.status_code, 404)


class InvitationRetention(PeopleTestCase):
    def test_finished_invitations_go_after_90_days_with_erase_expired(self):
        import datetime as dt
        import io

        from django.core.management import call_command
        from django.utils import timezone

        now = timezone.now()
        old, recent = now - dt.timedelta(days=91), now - dt.timedelta(days=30)

        def make(email, **dates):
            Invitation.objects.create(
                purpose="case",
                case=self.case,
                participant_role="hr",
                email=email,
                first_name="X",
                language="da",
                invited_by=self.users["koordinator"],
                token_hash=email,
                sent_at=old,
                expires_at=dates.pop("expires_at", now + dt.timedelta(days=3)),
                **dates,
            )

        make("accepted-old@example.net", accepted_at=old)
        make("revoked-old@example.net", revoked_at=old)
        make("expired-old@example.net", expires_at=old)
        make("accepted-recent@example.net", accepted_at=recent)
        make("expired-recent@example.net", expires_at=recent)
        make("pending@example.net")
        out = io.StringIO()
        call_command("erase_expired", "--dry-run", stdout=out)
        self.assertIn("3 finished invitation(s) would be deleted", out.getvalue())
        self.assertEqual(Invitation.objects.count(), 6)
        call_command("erase_expired", stdout=io.StringIO())
        self.assertEqual(
            sorted(Invitation.objects.values_list("email", flat=True)),
            ["accepted-recent@example.net", "expired-recent@example.net", "pending@example.net"],
        )
