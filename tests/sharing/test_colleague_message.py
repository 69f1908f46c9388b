"""Colleague information: the pure draft, then the flow (draft, edit, approve, share), locks and access."""

import datetime as dt
import unittest

from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import EventKind, TimelineEvent
from fasthold.sharing import drafting, services
from fasthold.sharing.models import Category, ColleagueMessage, Recipient
from tests.sharing.base import SharingTestCase

PARTS = {name: f"Tekst {i}" for i, name in enumerate(ColleagueMessage.PARTS)}


class PureDraftTests(unittest.TestCase):
    def test_five_parts_from_plain_facts(self):
        text = drafting.draft(
            drafting.Facts(first_name="Bodil", job_title="sekretær", expected_weeks=12, weeks_so_far=6)
        )
        self.assertEqual(list(text), list(drafting.PARTS))
        self.assertIn("Bodil er sygemeldt", text["what_happened"])
        self.assertIn("cirka 6 uger", text["time_perspective"])
        self.assertIn("som sekretær", text["tasks"])
        english = drafting.draft(drafting.Facts(first_name="Bodil"), "en")
        self.assertIn("We do not know yet", english["time_perspective"])

    def test_a_job_title_is_lower_case_mid_sentence_unless_an_abbreviation(self):
        self.assertIn("som sekretær", drafting.draft(drafting.Facts(first_name="Bodil", job_title="Sekretær"))["tasks"])
        self.assertIn(
            "som IT-supporter", drafting.draft(drafting.Facts(first_name="Ib", job_title="IT-supporter"))["tasks"]
        )

    def test_the_employees_own_wording_only_when_given(self):
        text = drafting.draft(drafting.Facts(first_name="Kurt", illness_wording="Jeg har ondt i ryggen."))
        self.assertIn("Jeg har ondt i ryggen.", text["what_happened"])

    @given(
        st.text(max_size=30),
        st.text(max_size=30),
        st.one_of(st.none(), st.integers(0, 120)),
        st.integers(0, 120),
        st.booleans(),
    )
    def test_always_five_non_empty_parts(self, name, job, expected, so_far, partly):
        text = drafting.draft(
            drafting.Facts(
                first_name=name, job_title=job, expected_weeks=expected, weeks_so_far=so_far, partly_back=partly
            )
        )
        self.assertEqual(set(text), set(drafting.PARTS))
        self.assertTrue(all(v.strip() for v in text.values()))


class DraftFactsTests(SharingTestCase):
    def test_the_draft_never_holds_the_diagnosis(self):
        facts = services.draft_facts(self.bodil)
        text = " ".join(drafting.draft(facts).values())
        self.assertNotIn("depression", text.lower())
        self.assertEqual(facts.first_name, "Bodil")
        services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text="Til lederen.",
        )
        self.assertEqual(
            services.draft_facts(self.bodil).illness_wording, ""
        )  # the manager's consent is not the colleagues'
        services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.COLLEAGUES,
            text="Jeg har brug for ro.",
        )
        self.assertEqual(services.draft_facts(self.bodil).illness_wording, "Jeg har brug for ro.")


class FlowTests(SharingTestCase):
    def draft(self, username="chef"):
        self.as_user(username)
        self.assertEqual(self.client.post(self.url("colleague_draft")).status_code, 302)
        return ColleagueMessage.objects.get(case=self.bodil)

    def test_draft_edit_approve_share(self):
        message = self.draft()
        self.assertEqual(self.client.post(self.url("colleague_draft")).status_code, 302)  # twice: kept
        self.assertEqual(ColleagueMessage.objects.count(), 1)
        # Not approved: cannot be marked shared.
        today = timezone.localdate().isoformat()
        response = self.client.post(self.url("colleague_share"), {"version": message.version, "shared_on": today})
        self.assertContains(response, "has not approved the text", status_code=409)
        # The manager edits; the employee approves exactly that text.
        response = self.client.post(self.url("colleague_edit"), {**PARTS, "version": 1})
        self.assertEqual(response.status_code, 302)
        self.as_user("bodil")
        self.assertContains(self.client.get(self.url("colleagues")), "I approve this text")
        self.assertEqual(self.client.post(self.url("colleague_approve"), {"version": 2}).status_code, 302)
        message.refresh_from_db()
        self.assertTrue(message.approval_in_force)
        self.assertEqual(message.approved_text, PARTS)
        response = self.client.post(self.url("colleague_approve"), {"version": 2}, follow=True)
        self.assertContains(response, "already approved")
        # The manager records that it was passed on.
        self.as_user("chef")
        response = self.client.post(self.url("colleague_share"), {"version": 2, "shared_on": today})
        self.assertEqual(response.status_code, 302)
        message.refresh_from_db()
        self.assertEqual((message.shared_on, message.shared_by), (timezone.localdate(), self.users["chef"]))
        actions = set(AuditEntry.objects.filter(case=self.bodil).values_list("action", flat=True))
        self.assertTrue(
            {
                AuditAction.COLLEAGUE_MESSAGE_CHANGED,
                AuditAction.COLLEAGUE_MESSAGE_APPROVED,
                AuditAction.COLLEAGUE_MESSAGE_SHARED,
            }
            <= actions
        )
        steps = list(
            TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.COLLEAGUE_MESSAGE)
            .order_by("occurred_at", "id")
            .values_list("params", flat=True)
        )
        self.assertEqual([p["step"] for p in steps], ["drafted", "changed", "approved", "shared"])
        self.assertTrue(all(set(p) == {"step"} for p in steps))

    def test_an_edit_after_approval_needs_a_new_approval(self):
        message = self.draft()
        services.colleague_message_approve(actor=self.users["bodil"], message=message, expected_version=1)
        self.client.post(self.url("colleague_edit"), {**PARTS, "version": 1})
        message.refresh_from_db()
        self.assertFalse(message.approval_in_force)
        self.assertTrue(message.changed_since_approval)
        page = self.client.get(self.url("colleagues"))
        self.assertContains(page, "must be approved again")
        response = self.client.post(
            self.url("colleague_share"), {"version": message.version, "shared_on": timezone.localdate().isoformat()}
        )
        self.assertEqual(response.status_code, 409)

    def test_withdrawn_approval_while_the_managers_page_is_open(self):
        message = self.draft()
        services.colleague_message_approve(actor=self.users["bodil"], message=message, expected_version=1)
        page = self.client.get(self.url("colleagues"))
        self.assertContains(page, "Record that it was passed on")
        # The employee withdraws; the manager's POST from the open page is refused, clearly.
        self.as_user("bodil")
        self.assertEqual(self.client.post(self.url("colleague_withdraw")).status_code, 302)
        self.as_user("chef")
        response = self.client.post(
            self.url("colleague_share"), {"version": 1, "shared_on": timezone.localdate().isoformat()}
        )
        self.assertContains(response, "Do not pass it on. Nothing was recorded.", status_code=409)
        message.refresh_from_db()
        self.assertIsNone(message.shared_on)
        page = self.client.get(self.url("colleagues"))
        self.assertContains(page, "has withdrawn the approval")
        self.assertNotContains(page, "Record that it was passed on")
        self.assertContains(self.client.get(f"/cases/{self.bodil.public_id}/"), "the approval was withdrawn")

    def test_withdrawing_a_colleagues_consent_withdraws_the_approval(self):
        bodil = self.users["bodil"]
        consent, _ = services.consent_give(
            actor=bodil,
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.COLLEAGUES,
            text="Jeg har brug for ro.",
        )
        message = self.draft()
        self.assertIn("Jeg har brug for ro.", message.what_happened)
        services.colleague_message_approve(actor=bodil, message=message, expected_version=1)
        services.consent_withdraw(actor=bodil, consent=consent)
        message.refresh_from_db()
        self.assertFalse(message.approval_in_force)
        with self.assertRaises(services.NotApproved):
            services.colleague_message_mark_shared(
                actor=self.users["chef"], message=message, expected_version=1, shared_on=timezone.localdate()
            )

    def test_the_withdrawn_wording_leaves_the_colleague_text(self):
        bodil = self.users["bodil"]
        consent, _ = services.consent_give(
            actor=bodil,
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.COLLEAGUES,
            text="Jeg er udbrændt efter flytningen.",
        )
        message = self.draft()
        services.colleague_message_approve(actor=bodil, message=message, expected_version=1)
        services.consent_withdraw(actor=bodil, consent=consent)
        message.refresh_from_db()
        self.assertNotIn("udbrændt", message.what_happened)
        self.assertIn("Bodil er sygemeldt", message.what_happened)
        self.assertIsNone(message.approved_text)
        self.assertEqual(message.version, 2)
        self.as_user("chef")
        self.assertNotContains(self.client.get(self.url("colleagues")), "udbrændt")

    def test_stale_edit_is_409_with_the_users_text_kept(self):
        message = self.draft()
        services.colleague_message_update(
            actor=self.users["bodil"], message=message, expected_version=1, parts={**PARTS, "tasks": "Bodils ændring"}
        )
        response = self.client.post(self.url("colleague_edit"), {**PARTS, "tasks": "Chefens ændring", "version": 1})
        self.assertContains(response, "Chefens ændring", status_code=409)
        self.assertContains(response, "Bodils ændring", status_code=409)
        message.refresh_from_db()
        self.assertEqual(message.tasks, "Bodils ændring")
        # Approving a text that changed since it was read is refused too.
        self.as_user("bodil")
        self.assertEqual(self.client.post(self.url("colleague_approve"), {"version": 1}).status_code, 409)

    def test_bad_input(self):
        self.draft()
        response = self.client.post(self.url("colleague_edit"), {**PARTS, "what_happened": "", "version": 1})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(self.url("colleague_edit"), {**PARTS, "tasks": "x" * 1001, "version": 1})
        self.assertEqual(response.status_code, 400)
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        response = self.client.post(self.url("colleague_share"), {"version": 1, "shared_on": tomorrow})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(self.url("colleague_share"), {"version": "x", "shared_on": "soon"})
        self.assertEqual(response.status_code, 400)

    def test_access(self):
        self.draft("koordinator")
        reads = {
            "bodil": 200,
            "koordinator": 200,
            "laeser": 200,
            "chef": 200,
            "psykolog": 200,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in reads.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get(self.url("colleagues")).status_code, status)
        today = timezone.localdate().isoformat()
        writes = {
            # username: (edit, approve, share)
            "laeser": (403, 403, 403),
            "psykolog": (403, 403, 403),
            "chef": (302, 403, 409),
            "bodil": (302, 302, 403),
            "anden": (404, 404, 404),
        }
        for username, (edit, approve, share) in writes.items():
            self.as_user(username)
            message = ColleagueMessage.objects.get(case=self.bodil)
            with self.subTest(username=username):
                self.assertEqual(
                    self.client.post(
                        self.url("colleague_edit"), {**PARTS, "tasks": username, "version": message.version}
                    ).status_code,
                    edit,
                )
                message.refresh_from_db()
                self.assertEqual(
                    self.client.post(self.url("colleague_approve"), {"version": message.version}).status_code, approve
                )
                self.assertEqual(
                    self.client.post(
                        self.url("colleague_share"), {"version": message.version, "shared_on": today}
                    ).status_code,
                    share if username != "chef" else 409,
                )

    def test_coordinator_approves_on_behalf_marked_as_such(self):
        message = self.draft("koordinator")
        self.assertEqual(self.client.post(self.url("colleague_approve"), {"version": 1}).status_code, 400)
        self.assertEqual(
            self.client.post(self.url("colleague_approve"), {"version": 1, "channel": "oral"}).status_code, 302
        )
        message.refresh_from_db()
        self.assertEqual((message.approval_channel, message.approved_by), ("oral", self.users["koordinator"]))
        self.assertContains(self.client.get(self.url("colleagues")), "orally, recorded by the coordinator")


class DanishWordingTests(SharingTestCase):
    def test_the_intro_names_whom_the_message_is_about(self):
        # It read "give videre til kollegerne til Bodil Sørensen".
        self.client.force_login(self.users["chef"])
        response = self.client.get(self.url("colleagues"))
        self.assertContains(response, "En kort besked om Bodil Sørensen, som lederen må give videre til kollegerne:")
        self.assertNotContains(response, "kollegerne til")
