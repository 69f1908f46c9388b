"""Every outgoing message asks the access policy at send time, for each recipient and each case it mentions.

The digest's set-based check (reminders.cases_to_tell) gives the same answer as may_be_told for every
persona; a manager whose employee changed employer gets no digest, no invitation, no update, no
cancellation and no page; an external contact is written to only while a participant of the case.
"""

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.accounts.models import User
from fasthold.cases.access import may_be_told
from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Case, Employment, Participant
from fasthold.deadlines import reminders
from fasthold.deadlines.models import Deadline
from fasthold.meetings import services as meetings
from fasthold.meetings.models import MeetingKind
from fasthold.organisations.models import Membership, OrgRole
from tests.base import DemoWorldTestCase, add_user


def _has_ended_on() -> bool:
    return any(f.name == "ended_on" for f in Employment._meta.get_fields())


class MessageAccessTestCase(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.users = cls.world.users
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil
        cls.other = Case.objects.exclude(pk__in=[cls.kurt.pk, cls.bodil.pk]).get()
        # HR at both companies, on both cases: the digest must drop exactly the case it loses.
        orgs = cls.world.orgs
        cls.hr = add_user(
            "hr", (orgs["door_factory"], OrgRole.HR), (orgs["accounting_firm"], OrgRole.HR), preferred_language="en"
        )
        for case in (cls.kurt, cls.bodil):
            Participant.objects.create(case=case, role=ParticipantRole.HR, user=cls.hr, name="HR")
        cls.steward = Participant.objects.get(case=cls.kurt, role=ParticipantRole.SHOP_STEWARD)
        Participant.objects.filter(pk=cls.steward.pk).update(email="tr@example.org")
        # An employer duty of each case falls due today, so the employer's people have something to be told.
        today = timezone.localdate()
        for case in (cls.kurt, cls.bodil):
            duty = (
                Deadline.objects.filter(case=case, responsible="employer", applicable=True)
                .exclude(key__in=reminders.employer_hidden_keys())
                .order_by("due")
                .first()
            )
            Deadline.objects.filter(pk=duty.pk).update(due=today, done_on=None, done_by=None)

    # ----------------------------------------------------------------- helpers

    def personas(self) -> list[User]:
        inactive = add_user("gone", (self.world.orgs["jobcentre"], OrgRole.COORDINATOR), is_active=False)
        nobody = add_user("nobody")
        return [*self.users.values(), self.hr, inactive, nobody]

    def assert_same_answer(self, label: str) -> None:
        cases = list(Case.objects.select_related("employment", "person"))
        ids = {c.pk for c in cases}
        for user in self.personas_cache:
            user.refresh_from_db()
            with self.subTest(state=label, user=user.username):
                self.assertEqual(reminders.cases_to_tell(user, ids), {c.pk for c in cases if may_be_told(user, c)})

    def move_kurt_to_another_employer(self) -> None:
        """Kurt now works at Limfjord Revision: Peter (leder) is his former manager."""
        Employment.objects.filter(pk=self.kurt.employment_id).update(employer=self.world.orgs["accounting_firm"])

    def digest_to(self, user, day) -> list:
        reminders.run_once(day)
        return [m for m in mail.outbox if user.email in m.to and m.subject.startswith("Fasthold")]

    def plan_kurt_meeting(self, participants=None):
        people = participants if participants is not None else list(Participant.objects.filter(case=self.kurt))
        with self.captureOnCommitCallbacks(execute=True):
            return meetings.meeting_plan(
                actor=self.users["koordinator"],
                case=self.kurt,
                kind=MeetingKind.JOINT,
                starts_at=timezone.now().replace(microsecond=0, second=0, minute=0) + dt.timedelta(days=4),
                duration_minutes=60,
                purpose="Vi taler om arbejdsopgaverne.",
                participants=people,
                place="Mødelokalet",
                base_url="http://testserver",
            )

    def addressees(self) -> set[str]:
        return {address for m in mail.outbox for address in m.to}


class SameAnswerTests(MessageAccessTestCase):
    """The bulk check and may_be_told agree for every persona, in every state the policy distinguishes."""

    def test_bulk_check_and_may_be_told_agree(self):
        self.personas_cache = self.personas()
        self.assert_same_answer("demo")
        self.move_kurt_to_another_employer()
        self.assert_same_answer("kurt changed employer")
        Membership.objects.filter(user=self.hr, organisation=self.world.orgs["accounting_firm"]).delete()
        self.assert_same_answer("hr left one company")
        Participant.objects.filter(case=self.bodil, user=self.users["chef"]).delete()
        self.assert_same_answer("chef removed from the case")
        Membership.objects.filter(user=self.users["kollega"]).delete()
        self.assert_same_answer("colleague left the jobcentre")
        User.objects.filter(pk=self.users["admin"].pk).update(is_active=False)
        self.assert_same_answer("admin deactivated")
        if _has_ended_on():
            Employment.objects.filter(pk=self.bodil.employment_id).update(ended_on=timezone.localdate())
            self.assert_same_answer("bodil's employment ended")

    def test_bulk_check_queries_do_not_grow_with_the_cases(self):
        coordinator = self.users["koordinator"]
        with CaptureQueriesContext(connection) as one:
            reminders.cases_to_tell(coordinator, {self.kurt.pk})
        with CaptureQueriesContext(connection) as many:
            reminders.cases_to_tell(coordinator, {self.kurt.pk, self.bodil.pk, self.other.pk, 10**9})
        self.assertEqual(len(one), len(many))
        self.assertLessEqual(len(many), 4)


class DigestTests(MessageAccessTestCase):
    def test_a_former_manager_gets_no_digest(self):
        today = timezone.localdate()
        leder = self.users["leder"]
        self.assertTrue(self.digest_to(leder, today), "the manager got no digest before the change")
        mail.outbox.clear()
        self.move_kurt_to_another_employer()
        self.assertEqual(self.digest_to(leder, today + dt.timedelta(days=1)), [])
        # The coordinator still hears about Kurt.
        to_coordinator = [m for m in mail.outbox if m.to == [self.users["koordinator"].email]]
        self.assertTrue(any("Kurt Jensen" in m.body for m in to_coordinator))

    def test_a_digest_drops_only_the_cases_no_longer_visible(self):
        today = timezone.localdate()
        [before] = self.digest_to(self.hr, today)
        self.assertIn("Kurt Jensen", before.body)
        self.assertIn("Bodil Sørensen", before.body)
        mail.outbox.clear()
        Membership.objects.filter(user=self.hr, organisation=self.world.orgs["accounting_firm"]).delete()
        [after] = self.digest_to(self.hr, today + dt.timedelta(days=1))
        self.assertIn("Kurt Jensen", after.body)
        self.assertNotIn("Bodil", after.body)

    def test_nothing_is_sent_when_no_case_remains_and_the_row_says_so(self):
        from fasthold.deadlines.models import ReminderDigest

        # Still a participant of both cases (so the digest is gathered), but at neither company any more.
        Membership.objects.filter(user=self.hr).delete()
        self.assertEqual(self.digest_to(self.hr, timezone.localdate()), [])
        row = ReminderDigest.objects.get(user=self.hr, day=timezone.localdate())
        self.assertEqual(row.item_count, 0)
        self.assertIsNotNone(row.sent_at)  # handled, so no other worker tries again

    def test_a_coordinator_who_left_the_organisation_gets_no_digest(self):
        Membership.objects.filter(user=self.users["koordinator"]).delete()
        self.assertEqual(self.digest_to(self.users["koordinator"], timezone.localdate()), [])

    def test_the_hidden_rules_never_reach_an_employer_side_reader(self):
        """A coordinator who moved to the employer's side keeps no route to the hidden rules."""
        hidden = Deadline.objects.get(case=self.bodil, key="mental_health_return_conversation")
        Deadline.objects.filter(pk=hidden.pk).update(due=timezone.localdate(), done_on=None)
        koordinator = self.users["koordinator"]
        Membership.objects.filter(user=koordinator).delete()
        Membership.objects.create(
            user=koordinator, organisation=self.world.orgs["accounting_firm"], role=OrgRole.MANAGER
        )
        Participant.objects.create(case=self.bodil, role=ParticipantRole.MANAGER, user=koordinator, name="Karen Holm")
        [digest] = self.digest_to(koordinator, timezone.localdate())
        self.assertIn("Bodil Sørensen", digest.body)  # she may be told of Bodil's employer duties ...
        self.assertNotIn("psykisk", digest.body)  # ... never of the cause-only rule
        self.assertNotIn("Kurt", digest.body)


class InvitationTests(MessageAccessTestCase):
    def test_a_former_manager_gets_no_invitation_update_or_cancellation(self):
        leder = self.users["leder"]
        meeting = self.plan_kurt_meeting()
        self.assertIn(leder.email, self.addressees(), "the manager was not invited before the change")
        mail.outbox.clear()

        self.move_kurt_to_another_employer()
        # An update to everyone still invited: not to him.
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                data={"place": "Kantinen"},
                participants=list(Participant.objects.filter(case=self.kurt)),
            )
        self.assertTrue(mail.outbox)
        self.assertNotIn(leder.email, self.addressees())
        self.assertIn("kurt@example.org", self.addressees())
        mail.outbox.clear()
        # Taken off the meeting: the cancellation to the removed is not for him either.
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                data={},
                participants=list(Participant.objects.filter(case=self.kurt).exclude(user=leder)),
            )
        self.assertNotIn(leder.email, self.addressees())
        mail.outbox.clear()
        # A new meeting that (wrongly) still lists him, and the cancellation of the first one.
        self.plan_kurt_meeting()
        meeting.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_cancel(actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version)
        self.assertTrue(mail.outbox)
        self.assertNotIn(leder.email, self.addressees())

    def test_a_removed_participant_is_told_of_nothing_more(self):
        leder = self.users["leder"]
        meeting = self.plan_kurt_meeting()
        mail.outbox.clear()
        Participant.objects.filter(case=self.kurt, user=leder).delete()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_cancel(actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version)
        self.assertTrue(mail.outbox)
        self.assertNotIn(leder.email, self.addressees())

    def test_an_external_contact_is_written_to_only_while_a_participant(self):
        meeting = self.plan_kurt_meeting()
        self.assertIn("tr@example.org", self.addressees())
        mail.outbox.clear()
        # Taken off the meeting but still on the case: the cancellation is for them.
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                data={},
                participants=list(Participant.objects.filter(case=self.kurt).exclude(pk=self.steward.pk)),
            )
        self.assertIn("tr@example.org", self.addressees())
        mail.outbox.clear()
        # Invited again, then removed from the case: no update, no cancellation.
        second = self.plan_kurt_meeting()
        mail.outbox.clear()
        Participant.objects.filter(pk=self.steward.pk).delete()
        second.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_change(
                actor=self.users["koordinator"],
                meeting=second,
                expected_version=second.version,
                data={"place": "Kantinen"},
                participants=list(Participant.objects.filter(case=self.kurt)),
            )
        self.assertTrue(mail.outbox)
        self.assertNotIn("tr@example.org", self.addressees())
        mail.outbox.clear()
        second.refresh_from_db()
        with self.captureOnCommitCallbacks(execute=True):
            meetings.meeting_cancel(actor=self.users["koordinator"], meeting=second, expected_version=second.version)
        self.assertTrue(mail.outbox)
        self.assertNotIn("tr@example.org", self.addressees())

    def test_the_employer_side_is_not_told_a_health_professionals_name_or_role(self):
        Participant.objects.filter(case=self.kurt, role=ParticipantRole.PHYSIO_OR_OT).update(
            name="Mette Fysnavn", email="fys@example.org"
        )
        self.plan_kurt_meeting()
        for address in ("leder@example.org", "hr@example.org", "tr@example.org"):
            with self.subTest(address):
                [message] = [m for m in mail.outbox if m.to == [address]]
                # Unfolded, so a name split across the .ics file's 75-octet lines is still found.
                whole = (message.subject + message.body + message.attachments[0].get_content()).replace("\r\n ", "")
                self.assertNotIn("Mette Fysnavn", whole)
                self.assertNotIn("fys@example.org", whole)
                for role in ("Fysioterapeut", "Physiotherapist", "ergoterapeut", "occupational therapist"):
                    self.assertNotIn(role.lower(), whole.lower())
        [to_kurt] = [m for m in mail.outbox if m.to == ["kurt@example.org"]]
        self.assertIn("Mette Fysnavn", to_kurt.body)


class FormerManagerTests(MessageAccessTestCase):
    """The scenario end to end: after the change, at the next request and the next send, nothing."""

    def check_former_manager(self, change) -> None:
        leder = self.users["leder"]
        pages = [
            reverse("cases:detail", args=[self.kurt.public_id]),
            reverse("deadlines:dashboard"),
            reverse("portals:employer_case", args=[self.kurt.public_id]),
        ]
        self.client.force_login(leder)
        self.assertEqual([self.client.get(p).status_code for p in pages], [200, 200, 200])
        self.assertContains(self.client.get(pages[1]), "Kurt")
        change()
        self.assertEqual([self.client.get(p).status_code for p in (pages[0], pages[2])], [404, 404])
        self.assertNotContains(self.client.get(pages[1]), "Kurt")
        self.assertNotContains(self.client.get(reverse("portals:employer")), "Kurt")
        self.assertEqual(self.digest_to(leder, timezone.localdate()), [])
        self.plan_kurt_meeting()
        self.assertTrue(mail.outbox)
        self.assertNotIn(leder.email, self.addressees())

    def test_employer_changes(self):
        self.check_former_manager(self.move_kurt_to_another_employer)

    def test_employment_ends(self):
        if not _has_ended_on():
            self.skipTest("Employment.ended_on has not landed")
        self.check_former_manager(
            lambda: Employment.objects.filter(pk=self.kurt.employment_id).update(ended_on=timezone.localdate())
        )
