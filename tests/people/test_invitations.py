"""Invitations to a case: sending, the link, accepting, and every way a link can fail."""

import datetime as dt
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Participant
from fasthold.organisations.models import Membership, Organisation, OrganisationKind, OrgRole
from fasthold.people.models import Invitation
from tests.people.base import PeopleTestCase, mock_time

User = get_user_model()


class InviteTheEmployee(PeopleTestCase):
    def test_the_employee_makes_a_login_and_reaches_the_portal(self):
        self.as_user("koordinator")
        response = self.invite()
        self.assertRedirects(
            response, reverse("cases:detail", args=[self.case.public_id]), fetch_redirect_response=False
        )
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["sofie@example.net"])
        self.assertIn("Jobcenter Aalborg", message.subject)  # English: the language chosen for the e-mail
        self.assertIn("invited you", message.body)
        link = self.last_link()
        path = urlparse(link).path
        for personal in ("sofie", "Andersen", str(self.case.public_id), str(self.case.person.public_id)):
            self.assertNotIn(personal.lower(), path.lower())
        invitation = Invitation.objects.get()
        self.assertNotIn(path.split("/")[-2], invitation.token_hash)  # only the hash is stored

        page = self.client.get(reverse("cases:detail", args=[self.case.public_id]))
        self.assertContains(page, "Waiting for an answer")

        response = self.accept(link)
        self.assertRedirects(response, reverse("home"), fetch_redirect_response=False)
        user = User.objects.get(email="sofie@example.net")
        self.assertEqual(user.username, "sofie@example.net")
        self.assertTrue(user.check_password("Lang-og-sikker-42"))
        self.case.person.refresh_from_db()
        self.assertEqual(self.case.person.user, user)
        # The participant listed by name when the case was opened now has the login: not listed twice.
        self.assertEqual(Participant.objects.filter(case=self.case, role="employee").count(), 1)
        self.assertEqual(Participant.objects.get(case=self.case, role="employee").user, user)
        portal = self.client.get(reverse("home"), follow=True)
        self.assertEqual(portal.resolver_match.view_name, "portals:employee")
        plan = self.client.get(reverse("plans:plan", args=[self.case.public_id]))
        self.assertEqual(plan.status_code, 200)
        self.assertEqual(
            list(
                AuditEntry.objects.filter(case=self.case, action__startswith="invitation.").values_list(
                    "action", flat=True
                )
            ),
            [AuditAction.INVITATION_ACCEPTED, AuditAction.INVITATION_CREATED],
        )

    def test_a_used_link_says_so(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        self.accept(link)
        self.client.logout()
        response = self.client.get(link)
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "already been used", status_code=410)
        self.assertEqual(User.objects.filter(email="sofie@example.net").count(), 1)

    def test_a_withdrawn_link_says_so(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        invitation = Invitation.objects.get()
        self.client.post(reverse("people:revoke", args=[invitation.public_id]))
        self.client.logout()
        response = self.client.get(link)
        self.assertContains(response, "withdrawn", status_code=410)
        self.assertFalse(User.objects.filter(email="sofie@example.net").exists())

    def test_an_expired_link_offers_to_ask_for_a_new_one_once_a_day(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        Invitation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
        self.client.logout()
        response = self.client.get(link)
        self.assertContains(response, "expired", status_code=410)
        self.assertContains(response, "Ask for a new link", status_code=410)
        sent = len(mail.outbox)
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("people:renew"))
        self.assertEqual(len(mail.outbox), sent + 1)
        self.assertEqual(mail.outbox[-1].to, [self.users["koordinator"].email])
        self.client.get(link)
        with self.captureOnCommitCallbacks(execute=True):
            again = self.client.post(reverse("people:renew"))
        self.assertEqual(again.status_code, 200)  # the same page either way
        self.assertEqual(len(mail.outbox), sent + 1)  # but no second message today

    def test_a_link_past_its_signature_age_is_expired_even_if_the_row_says_otherwise(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        self.client.logout()
        # The signature's timestamp is checked without the database: eight days on, the link is stale.
        later = timezone.now() + dt.timedelta(days=8)
        with mock_time(later):
            response = self.client.get(link)
        self.assertContains(response, "expired", status_code=410)

    def test_a_tampered_or_made_up_link_is_not_found(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        self.client.logout()
        token = link.rstrip("/").rsplit("/", 1)[1]
        for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "abc", "x" * 200):
            response = self.client.get(reverse("people:invitation", args=[bad]))
            self.assertContains(response, "ikke gyldigt", status_code=404)  # no invitation: Danish, the default
        self.assertFalse(User.objects.filter(email="sofie@example.net").exists())

    def test_resend_makes_a_new_link_and_the_old_one_stops(self):
        self.as_user("koordinator")
        self.invite()
        old = self.last_link()
        invitation = Invitation.objects.get()
        # Straight away: refused, so a double click sends one mail.
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("people:resend", args=[invitation.public_id]))
        self.assertEqual(len(mail.outbox), 1)
        Invitation.objects.update(sent_at=timezone.now() - dt.timedelta(minutes=5))
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(reverse("people:resend", args=[invitation.public_id]))
        self.assertEqual(len(mail.outbox), 2)
        new = self.last_link()
        self.assertNotEqual(old, new)
        self.client.logout()
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.accept(new).status_code, 302)

    def test_the_password_must_pass_djangos_validators_and_nothing_is_made_until_it_does(self):
        self.as_user("koordinator")
        self.invite()
        response = self.accept(self.last_link(), password="sofie123")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(User.objects.filter(email="sofie@example.net").exists())
        mismatch = self.client.post(
            reverse("people:accept"),
            {"language": "en", "password1": "Lang-og-sikker-42", "password2": "Lang-og-sikker-43"},
        )
        self.assertContains(mismatch, "not the same", status_code=400)
        good = self.client.post(
            reverse("people:accept"),
            {"language": "da", "password1": "Lang-og-sikker-42", "password2": "Lang-og-sikker-42"},
        )
        self.assertEqual(good.status_code, 302)
        self.assertEqual(User.objects.get(email="sofie@example.net").preferred_language, "da")

    def test_the_accept_page_speaks_the_invitation_language_and_names_no_health(self):
        self.as_user("koordinator")
        self.invite(language="da")
        self.assertIn("inviteret", mail.outbox[-1].body)
        self.client.logout()
        self.client.cookies.clear()
        self.client.get(self.last_link())
        page = self.client.get(reverse("people:accept"))
        self.assertContains(page, "Lav dit login")
        self.assertContains(page, "sofie@example.net")
        for secret in ("Physical", "Fysisk", "musculoskeletal", "muskel"):
            self.assertNotContains(page, secret)
            self.assertNotIn(secret, mail.outbox[-1].body)

    def test_someone_logged_in_is_told_to_log_out_first(self):
        self.as_user("koordinator")
        self.invite()
        link = self.last_link()
        self.client.get(link)
        response = self.client.get(reverse("people:accept"))
        self.assertEqual(response.status_code, 409)
        self.assertFalse(User.objects.filter(email="sofie@example.net").exists())

    def test_the_rules_are_checked_again_when_the_link_is_used(self):
        self.as_user("koordinator")
        self.invite("manager", first_name="Mette", last_name="Krog", email="mette@example.net")
        link = self.last_link()
        self.case.employment.ended_on = dt.date(2026, 11, 20)
        self.case.employment.save()
        response = self.accept(link)
        self.assertContains(response, "employment has ended", status_code=409)
        self.assertFalse(User.objects.filter(email="mette@example.net").exists())
        self.assertFalse(Membership.objects.filter(user__email="mette@example.net").exists())


class InviteOtherRoles(PeopleTestCase):
    def test_a_manager_gets_the_employer_membership_and_the_case(self):
        self.as_user("koordinator")
        self.invite("manager", first_name="Mette", last_name="Krog", email="mette@example.net")
        self.accept(self.last_link())
        user = User.objects.get(email="mette@example.net")
        self.assertTrue(Membership.objects.filter(user=user, organisation=self.employer, role=OrgRole.MANAGER).exists())
        self.assertTrue(Participant.objects.filter(case=self.case, user=user, role="manager").exists())
        portal = self.client.get(reverse("home"), follow=True)
        self.assertEqual(portal.resolver_match.view_name, "portals:employer")
        self.assertContains(portal, "Sofie Andersen")
        self.assertEqual(self.client.get(reverse("plans:plan", args=[self.case.public_id])).status_code, 200)

    def test_a_health_professional_needs_a_practice_and_the_employees_agreement(self):
        self.as_user("koordinator")
        response = self.invite("psychologist", first_name="Ida", last_name="Bech", email="ida@example.net")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "agreed", status_code=400)
        self.assertContains(response, "practice", status_code=400)
        self.assertFalse(Invitation.objects.exists())
        response = self.invite(
            "psychologist",
            first_name="Ida",
            last_name="Bech",
            email="ida@example.net",
            new_practice="Psykologerne i Nørresundby",
            health_agreement="in_person",
        )
        self.assertEqual(response.status_code, 302)
        practice = Organisation.objects.get(name="Psykologerne i Nørresundby")
        self.assertEqual(practice.kind, OrganisationKind.HEALTH_PRACTICE)
        with override_settings(FASTHOLD_2FA_REQUIRED=True):
            response = self.accept(self.last_link())
            # Reading health information needs two-factor login: set up before anything else.
            self.assertRedirects(
                self.client.get(reverse("home")), reverse("accounts:enrol"), fetch_redirect_response=False
            )
        user = User.objects.get(email="ida@example.net")
        self.assertTrue(
            Membership.objects.filter(user=user, organisation=practice, role=OrgRole.HEALTH_PROFESSIONAL).exists()
        )
        participant = Participant.objects.get(case=self.case, user=user)
        self.assertEqual((participant.role, participant.health_agreement), ("psychologist", "in_person"))

    def test_an_existing_account_is_added_at_once_and_told(self):
        self.as_user("koordinator")
        psykolog = self.users["psykolog"]
        response = self.invite(
            "psychologist",
            first_name="Anne",
            last_name="Lund",
            email=psykolog.email.upper(),
            health_practice=self.world.orgs["psychology_practice"].pk,
            health_agreement="written",
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Invitation.objects.exists())
        self.assertTrue(Participant.objects.filter(case=self.case, user=psykolog, role="psychologist").exists())
        self.assertEqual(mail.outbox[-1].to, [psykolog.email])
        self.assertNotIn("/people/invitation/", mail.outbox[-1].body)
        self.assertEqual(Membership.objects.filter(user=psykolog).count(), 1)  # no second practice

    def test_only_the_roles_the_rules_allow_are_offered_and_accepted(self):
        self.as_user("koordinator")
        page = self.client.get(reverse("people:case_invite", args=[self.case.public_id]))
        offered = set(page.context["form"].fields["participant_role"].choices)
        values = {value for value, _label in offered}
        self.assertTrue({"employee", "manager", "hr", "psychologist", "gp"} <= values)
        never_invited = ("jobcentre_caseworker", "company_consultant", "union_rep", "companion", "mentor", "other")
        # A shop steward or safety representative with a login would see no case (cases/access.py).
        for never in (*never_invited, "shop_steward", "safety_rep", "colleague_contact"):
            self.assertNotIn(never, values)
            self.assertEqual(self.invite(never, email=f"{never}@example.net").status_code, 400)
        # Kurt already logs in: his case offers no employee invitation.
        kurt_page = self.client.get(reverse("people:case_invite", args=[self.kurt.public_id]))
        self.assertNotIn("employee", {v for v, _ in kurt_page.context["form"].fields["participant_role"].choices})
        # An ended employment: nobody from the employer.
        self.case.employment.ended_on = dt.date(2026, 11, 20)
        self.case.employment.save()
        response = self.invite("manager", email="mette@example.net")
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Invitation.objects.exists())

    def test_nobody_but_those_who_may_change_the_case_can_invite_or_manage(self):
        self.as_user("koordinator")
        self.invite()
        invitation = Invitation.objects.get()
        for username in ("laeser", "leder", "kurt", "psykolog", "anden"):
            self.as_user(username)
            self.assertIn(
                self.client.get(reverse("people:case_invite", args=[self.case.public_id])).status_code, (403, 404)
            )
            self.assertIn(self.invite(email=f"{username}@example.net").status_code, (403, 404))
            self.assertEqual(self.client.post(reverse("people:revoke", args=[invitation.public_id])).status_code, 404)
            self.assertEqual(self.client.post(reverse("people:resend", args=[invitation.public_id])).status_code, 404)
        invitation.refresh_from_db()
        self.assertIsNone(invitation.revoked_at)
        self.assertEqual(Invitation.objects.count(), 1)

    def test_the_hourly_limit(self):
        self.as_user("koordinator")
        with self.settings(FASTHOLD_INVITATIONS_PER_HOUR=2):
            self.assertEqual(self.invite("manager", email="a@example.net").status_code, 302)
            self.assertEqual(self.invite("hr", email="b@example.net").status_code, 302)
            response = self.invite("gp", email="c@example.net", new_practice="Lægehuset", health_agreement="phone")
        self.assertContains(response, "limit", status_code=400)
        self.assertEqual(Invitation.objects.count(), 2)

    def test_a_second_invitation_to_the_same_address_in_the_same_role_is_refused(self):
        self.as_user("koordinator")
        self.invite("manager", email="mette@example.net")
        response = self.invite("manager", email="Mette@Example.net")
        self.assertContains(response, "already been invited", status_code=400)
        self.assertEqual(Invitation.objects.count(), 1)


class EveryRole(PeopleTestCase):
    """Each participant role: invitable or not, and what the accepted invitation gives."""

    def test_every_role(self):
        from fasthold.cases.choices import HEALTH_PROFESSIONAL_ROLES, ParticipantRole
        from fasthold.people.services import CASE_ROLE_MEMBERSHIP, INVITABLE_CASE_ROLES

        for role in ParticipantRole.values:
            with self.subTest(role=role):
                self.as_user("koordinator")
                email = f"{role}@example.net"
                extra = (
                    {"new_practice": "Praksis", "health_agreement": "phone"}
                    if role in HEALTH_PROFESSIONAL_ROLES
                    else {}
                )
                response = self.invite(role, email=email, first_name=role, **extra)
                if role not in INVITABLE_CASE_ROLES:
                    self.assertEqual(response.status_code, 400)
                    self.assertFalse(Invitation.objects.filter(email=email).exists())
                    continue
                self.assertEqual(response.status_code, 302)
                self.assertEqual(self.accept(self.last_link()).status_code, 302)
                user = User.objects.get(email=email)
                self.assertTrue(Participant.objects.filter(case=self.case, user=user, role=role).exists())
                if role in CASE_ROLE_MEMBERSHIP:
                    self.assertTrue(Membership.objects.filter(user=user, role=CASE_ROLE_MEMBERSHIP[role]).exists())
                # Whoever was invited can open the case they were invited to (the employee's case page
                # is her portal).
                page = self.client.get(reverse("cases:detail", args=[self.case.public_id]), follow=True)
                self.assertEqual(page.status_code, 200, role)
