"""Consents: services (audit, timeline, history), the policy, the consent page's access matrix, bad input,
query counts, and withdrawal taking effect at once."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Audience, EventKind, Participant, TimelineEvent
from fasthold.sharing import services
from fasthold.sharing.models import Category, Channel, Consent, Recipient
from fasthold.sharing.policy import shared_with
from tests.sharing.base import SharingTestCase

WORDING = "Jeg har en depression og har brug for ro."


class ServiceTests(SharingTestCase):
    def give(self, category=Category.ILLNESS, recipient=Recipient.MANAGER, text=WORDING, actor="bodil", **kw):
        return services.consent_give(
            actor=self.users[actor], case=self.bodil, category=category, recipient=recipient, text=text, **kw
        )

    def test_give_audits_and_records_a_professionals_only_event_without_text(self):
        consent, outcome = self.give()
        self.assertEqual(outcome, services.GIVEN)
        self.assertEqual((consent.channel, consent.given_by), (Channel.SELF, self.users["bodil"]))
        entry = AuditEntry.objects.get(action=AuditAction.CONSENT_GIVEN, case=self.bodil)
        self.assertEqual(entry.fields, ["illness", "manager"])
        event = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.CONSENT_CHANGED).get()
        self.assertEqual(event.audience, Audience.PROFESSIONALS)
        self.assertEqual(event.params, {"category": "illness", "recipient": "manager", "change": "given"})
        self.assertNotIn("depression", str(event.params) + str(entry.fields))

    def test_giving_twice_writes_nothing_new(self):
        first, _ = self.give()
        second, outcome = self.give()
        self.assertEqual((second.pk, outcome), (first.pk, services.UNCHANGED))
        self.assertEqual(Consent.objects.filter(case=self.bodil).count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.CONSENT_GIVEN).count(), 1)

    def test_a_new_wording_replaces_the_old_and_keeps_it_as_history(self):
        first, _ = self.give()
        second, outcome = self.give(text="Jeg er syg og har brug for ro.")
        self.assertEqual(outcome, services.REPLACED)
        first.refresh_from_db()
        self.assertFalse(first.is_active)
        self.assertTrue(second.is_active)
        self.assertEqual(Consent.objects.filter(case=self.bodil).count(), 2)

    def test_withdraw_once_then_calmly_nothing(self):
        consent, _ = self.give()
        self.assertTrue(services.consent_withdraw(actor=self.users["bodil"], consent=consent))
        self.assertFalse(services.consent_withdraw(actor=self.users["bodil"], consent=consent))
        consent.refresh_from_db()
        self.assertIsNotNone(consent.withdrawn_at)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count(), 1)
        self.assertEqual(TimelineEvent.objects.filter(kind=EventKind.CONSENT_CHANGED).count(), 2)
        # Kept as a record; a fresh consent can be given again.
        again, outcome = self.give()
        self.assertEqual(outcome, services.GIVEN)
        self.assertNotEqual(again.pk, consent.pk)

    def test_coordinator_records_on_behalf(self):
        consent, _ = self.give(actor="koordinator", channel=Channel.ORAL)
        self.assertTrue(consent.on_behalf)
        self.assertEqual(consent.given_by, self.users["koordinator"])

    def test_rules(self):
        with self.assertRaises(ValueError):
            self.give(category="diagnosis")
        with self.assertRaises(ValueError):
            self.give(category=Category.QUESTIONNAIRES, recipient=Recipient.COLLEAGUES, text="")
        with self.assertRaises(ValueError):
            self.give(text="  ")


class PolicyTests(SharingTestCase):
    def test_manager_sees_only_what_was_shared_with_the_manager_now(self):
        chef, bodil = self.users["chef"], self.users["bodil"]
        self.assertFalse(shared_with(chef, self.bodil))
        services.consent_give(
            actor=bodil,
            case=self.bodil,
            category=Category.TREATMENT,
            recipient=Recipient.HR,
            text="Psykolog hver anden uge.",
        )
        self.assertFalse(shared_with(chef, self.bodil))
        consent, _ = services.consent_give(
            actor=bodil, case=self.bodil, category=Category.ILLNESS, recipient=Recipient.MANAGER, text=WORDING
        )
        view = shared_with(chef, self.bodil)
        self.assertEqual(view.categories, ["illness"])
        self.assertEqual(view.get("illness").text, WORDING)
        self.assertEqual(view.recipients, frozenset({"manager"}))
        entry = AuditEntry.objects.filter(action=AuditAction.SHARED_VIEWED, actor=chef).get()
        self.assertEqual(entry.fields, ["illness"])
        services.consent_withdraw(actor=bodil, consent=consent)
        self.assertFalse(shared_with(chef, self.bodil))

    def test_hr_reads_as_hr(self):
        chef, bodil = self.users["chef"], self.users["bodil"]
        Participant.objects.filter(case=self.bodil, user=chef).update(role="hr")
        services.consent_give(
            actor=bodil, case=self.bodil, category=Category.ILLNESS, recipient=Recipient.MANAGER, text=WORDING
        )
        self.assertFalse(shared_with(chef, self.bodil))
        services.consent_give(
            actor=bodil, case=self.bodil, category=Category.ILLNESS, recipient=Recipient.HR, text="Til HR."
        )
        self.assertEqual(shared_with(chef, self.bodil).get("illness").text, "Til HR.")

    def test_questionnaire_scores_latest_per_instrument_with_scope(self):
        bodil = self.users["bodil"]
        services.consent_give(
            actor=bodil,
            case=self.bodil,
            category=Category.QUESTIONNAIRES,
            recipient=Recipient.MANAGER,
            instruments=["who5"],
        )
        item = shared_with(self.users["chef"], self.bodil).get("questionnaires")
        self.assertEqual([s.instrument_id for s in item.scores], ["who5"])
        self.assertIsNotNone(item.scores[0].previous)
        self.assertTrue(item.scores[0].name)

    def test_nobody_but_the_employer_side_gets_items(self):
        services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text=WORDING,
        )
        for username in ("koordinator", "bodil", "psykolog", "laeser"):
            self.assertFalse(shared_with(self.users[username], self.bodil), username)
        # A manager of another employer who is not on the case: nothing.
        self.assertFalse(shared_with(self.users["leder"], self.bodil))


class ConsentPageTests(SharingTestCase):
    def test_read_access(self):
        expected = {
            "bodil": 200,
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "psykolog": 200,
            "chef": 404,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get(self.url("consents")).status_code, status)
        self.as_user("koordinator")
        self.assertEqual(self.client.get(f"/sharing/case/{uuid.uuid4()}/consents/").status_code, 404)

    def test_write_access(self):
        consent, _ = services.consent_give(
            actor=self.users["bodil"], case=self.bodil, category=Category.ILLNESS, recipient=Recipient.HR, text=WORDING
        )
        data = {"category": "treatment", "recipients": ["manager"], "text": "Psykolog.", "channel": "oral"}
        for username, status in {"laeser": 403, "psykolog": 403, "chef": 404, "anden": 404, "kurt": 404}.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.post(self.url("give"), data).status_code, status)
                self.assertEqual(
                    self.client.post(self.url("withdraw", None, consent.public_id), {"channel": "oral"}).status_code,
                    status,
                )
        self.assertEqual(Consent.objects.active().count(), 1)

    def test_recipients_are_listed_with_and_in_danish(self):
        # It read "kan din leder, HR se"; a list in a sentence ends with "og".
        self.client.force_login(self.users["bodil"])
        data = {"category": "treatment", "recipients": ["manager", "hr", "colleagues"], "text": "Psykolog."}
        response = self.client.post(self.url("give"), data, follow=True)
        self.assertContains(response, "Fra nu af kan din leder, HR og dine kolleger se")

    def test_employee_gives_and_withdraws(self):
        self.as_user("bodil")
        response = self.client.post(
            self.url("give"), {"category": "illness", "recipients": ["manager", "hr"], "text": WORDING}, follow=True
        )
        self.assertContains(response, "From now on your manager and HR can see")
        self.assertEqual(Consent.objects.active().filter(case=self.bodil).count(), 2)
        response = self.client.post(
            self.url("give"), {"category": "illness", "recipients": ["manager"], "text": WORDING}, follow=True
        )
        self.assertContains(response, "could already see this")
        self.assertEqual(Consent.objects.filter(case=self.bodil).count(), 2)
        consent = Consent.objects.get(case=self.bodil, recipient="manager")
        response = self.client.post(self.url("withdraw", None, consent.public_id), follow=True)
        self.assertContains(response, "It took effect at once")
        response = self.client.post(self.url("withdraw", None, consent.public_id), follow=True)
        self.assertContains(response, "already withdrawn")
        self.assertContains(response, "Earlier consent (1)")

    def test_coordinator_records_on_the_employees_behalf(self):
        self.as_user("koordinator")
        data = {"category": "treatment", "recipients": ["manager"], "text": "Psykolog hver anden uge."}
        response = self.client.post(self.url("give"), data)
        self.assertEqual(response.status_code, 400)  # must say how the employee consented
        self.assertContains(response, "Psykolog hver anden uge.", status_code=400)
        response = self.client.post(self.url("give"), {**data, "channel": "paper"})
        self.assertEqual(response.status_code, 302)
        consent = Consent.objects.get(case=self.bodil)
        self.assertEqual((consent.channel, consent.given_by), ("paper", self.users["koordinator"]))
        page = self.client.get(self.url("consents"))
        self.assertContains(page, "on paper, recorded by the coordinator")
        self.assertEqual(self.client.post(self.url("withdraw", None, consent.public_id)).status_code, 400)
        self.assertEqual(
            self.client.post(self.url("withdraw", None, consent.public_id), {"channel": "oral"}).status_code, 302
        )
        consent.refresh_from_db()
        self.assertEqual((consent.withdrawal_channel, consent.withdrawn_by), ("oral", self.users["koordinator"]))

    def test_forged_values_are_refused_with_a_message(self):
        self.as_user("bodil")
        response = self.client.post(self.url("give"), {"category": "diagnosis", "recipients": ["manager"], "text": "x"})
        self.assertContains(response, "does not exist", status_code=400)
        response = self.client.post(self.url("give"), {"category": "illness", "recipients": ["boss"], "text": WORDING})
        self.assertContains(response, "not one you can choose", status_code=400)
        self.assertContains(response, WORDING, status_code=400)  # the user's text is kept
        response = self.client.post(self.url("give"), {"category": "questionnaires", "recipients": ["colleagues"]})
        self.assertEqual(response.status_code, 400)
        response = self.client.post(
            self.url("give"), {"category": "questionnaires", "recipients": ["manager"], "instruments": ["../etc"]}
        )
        self.assertContains(response, "not one of yours", status_code=400)
        response = self.client.post(self.url("give"), {"category": "message", "recipients": ["manager"], "text": ""})
        self.assertContains(response, "in your own words", status_code=400)
        response = self.client.post(
            self.url("give"), {"category": "illness", "recipients": ["manager"], "text": "x" * 1001}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.client.post(self.url("withdraw", None, uuid.uuid4())).status_code, 404)
        self.assertEqual(self.client.get(self.url("give")).status_code, 405)
        self.assertFalse(Consent.objects.exists())

    def test_another_cases_consent_cannot_be_withdrawn_here(self):
        consent, _ = services.consent_give(
            actor=self.users["kurt"],
            case=self.kurt,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text="Ryg.",
        )
        self.as_user("bodil")
        self.assertEqual(self.client.post(self.url("withdraw", None, consent.public_id)).status_code, 404)
        consent.refresh_from_db()
        self.assertTrue(consent.is_active)

    def test_staff_reading_the_employees_wording_is_logged_and_nothing_else(self):
        self.as_user("koordinator")
        reads = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, case=self.bodil, fields=["consents"])
        self.assertEqual(self.client.get(self.url("consents")).status_code, 200)
        self.assertEqual(reads.count(), 0)  # no wording on the page: nothing read
        services.consent_give(
            actor=self.users["bodil"], case=self.bodil, category=Category.ILLNESS, recipient=Recipient.HR, text=WORDING
        )
        self.assertContains(self.client.get(self.url("consents")), WORDING)
        self.assertEqual(reads.count(), 1)
        self.as_user("bodil")  # the employee reading her own words is not logged
        self.client.get(self.url("consents"))
        self.assertEqual(reads.count(), 1)

    def test_query_count_does_not_grow_with_consents(self):
        self.as_user("bodil")

        def count():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url("consents")).status_code, 200)
            return len(ctx)

        before = count()
        bodil = self.users["bodil"]
        for category in (Category.ILLNESS, Category.TREATMENT, Category.MESSAGE):
            for recipient in (Recipient.MANAGER, Recipient.HR):
                consent, _ = services.consent_give(
                    actor=bodil, case=self.bodil, category=category, recipient=recipient, text=f"{category} {recipient}"
                )
                services.consent_withdraw(actor=bodil, consent=consent)
                services.consent_give(
                    actor=bodil,
                    case=self.bodil,
                    category=category,
                    recipient=recipient,
                    text=f"{category} {recipient} igen",
                )
        self.assertEqual(count(), before)
        self.assertLessEqual(before, 13)  # with the header's unread notifications


class TakesEffectAtOnceTests(SharingTestCase):
    def test_manager_page_before_and_after_withdrawal(self):
        consent, _ = services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text=WORDING,
        )
        self.as_user("chef")
        case_url = f"/cases/{self.bodil.public_id}/"
        self.assertContains(self.client.get(case_url), WORDING)
        # The employee withdraws while the manager has the page open: the next load shows nothing.
        services.consent_withdraw(actor=self.users["bodil"], consent=consent)
        page = self.client.get(case_url)
        self.assertNotContains(page, WORDING)
        self.assertContains(page, "has not shared anything beyond the functional information")

    def test_the_plan_pdf_logs_a_read_only_when_something_shared_is_in_it(self):
        self.as_user("chef")
        pdf_url = f"/plans/case/{self.bodil.public_id}/retention-plan.pdf"
        reads = AuditEntry.objects.filter(action=AuditAction.SHARED_VIEWED, actor=self.users["chef"])
        self.assertEqual(self.client.get(pdf_url).status_code, 200)
        self.assertEqual(reads.count(), 0)
        consent, _ = services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text=WORDING,
        )
        self.assertEqual(self.client.get(pdf_url).status_code, 200)
        self.assertEqual(list(reads.values_list("fields", flat=True)), [["illness"]])
        services.consent_withdraw(actor=self.users["bodil"], consent=consent)
        self.assertEqual(self.client.get(pdf_url).status_code, 200)
        self.assertEqual(reads.count(), 1)

    def test_case_page_shows_the_employer_no_cause(self):
        self.as_user("chef")
        page = self.client.get(f"/cases/{self.bodil.public_id}/").content.decode()
        self.assertNotIn("Mental", page)
        self.assertNotIn("depression", page.lower())
        page = self.client.get("/cases/").content.decode()
        self.assertNotIn("Mental", page)

    def test_staff_and_employee_see_a_summary_with_links(self):
        services.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text=WORDING,
        )
        for username in ("koordinator", "bodil", "psykolog"):
            self.as_user(username)
            # The employee's case page is her portal, which links to her consents in her own words.
            page = self.client.get(f"/cases/{self.bodil.public_id}/", follow=True)
            if username != "bodil":
                self.assertContains(page, "Consent to share")
            self.assertContains(page, self.url("consents"))
            self.assertNotContains(page, WORDING)  # the summary names categories, not texts
