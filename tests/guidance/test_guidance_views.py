"""The guidance pages: public phases, in-case guidance, first contact, policy, knowledge base."""

import datetime as dt
import uuid

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases import selectors
from fasthold.cases.models import Audience, Case, EventKind, TimelineEvent
from fasthold.guidance import phases
from fasthold.guidance.models import AbsencePolicy, ProfessionNote
from tests.base import DemoWorldTestCase

KURT_HEALTH = ["Lænderygsmerter", "ikke mere behandling", "Smerter omkring 8"]
BODIL_HEALTH = ["Moderat depression", "Samtaler hos psykolog", "tvivl på egne evner", "Anne Lund"]


class PublicPhaseTests(TestCase):
    def test_index_and_every_phase_without_login_in_danish_and_english(self):
        for language in ("da", "en"):
            self.client.cookies["django_language"] = language
            with self.subTest(language=language, page="index"):
                response = self.client.get(reverse("guidance:index"))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{language}">')
            for phase in phases.PHASES:
                with self.subTest(language=language, phase=phase.slug):
                    response = self.client.get(reverse("guidance:phase", args=[phase.slug]))
                    self.assertEqual(response.status_code, 200)
                    with translation.override(language):
                        self.assertContains(response, str(phase.title))
                        self.assertContains(response, str(phase.to_do[0]).replace("'", "&#x27;"))
                        self.assertContains(response, str(phase.legal_tools[0]))
                    self.assertContains(response, "Gå til indholdet" if language == "da" else "Skip to content")

    def test_english_phase_content(self):
        self.client.cookies["django_language"] = "en"
        response = self.client.get(reverse("guidance:phase", args=["when-it-happens"]))
        for text in (
            "What to do",
            "Who does what",
            "Informing the colleagues",
            "A contact agreement",
            "Legal tools to know",
            "Mental-health absence and psychological work injuries",
        ):
            self.assertContains(response, text)
        response = self.client.get(reverse("guidance:phase", args=["return"]))
        self.assertContains(response, "What a return plan should cover")
        response = self.client.get(reverse("guidance:index"))
        self.assertContains(response, "Seven main recommendations")
        for title, _text in phases.SEVEN_RECOMMENDATIONS:
            self.assertContains(response, str(title))

    def test_unknown_phase_is_404(self):
        self.assertEqual(self.client.get(reverse("guidance:phase", args=["after"])).status_code, 404)

    def test_continuum_is_public(self):
        self.client.cookies["django_language"] = "en"
        response = self.client.get(reverse("guidance:continuum"))
        self.assertEqual(response.status_code, 200)
        for text in (
            "Retention in the ordinary job",
            "Retraining",
            "Resource course",
            "Flex job or disability pension",
        ):
            self.assertContains(response, text)


class CaseGuidanceTests(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.other = Case.objects.get(organisation=cls.world.orgs["clinic"])

    def get(self, username, case, view="guidance:case", method="get", data=None):
        self.client.force_login(self.world.users[username])
        return getattr(self.client, method)(reverse(view, args=[case.public_id]), data or {})

    def test_access_matrix(self):
        w = self.world
        expected = [
            ("koordinator", w.kurt, 200),
            ("kollega", w.kurt, 200),
            ("admin", w.bodil, 200),
            ("laeser", w.kurt, 200),
            ("leder", w.kurt, 200),
            ("chef", w.bodil, 200),
            ("leder", w.bodil, 404),
            ("kurt", w.kurt, 403),
            ("bodil", w.bodil, 403),
            ("psykolog", w.bodil, 403),
            ("anden", w.kurt, 404),
            ("anden", self.other, 200),
        ]
        for username, case, status in expected:
            with self.subTest(user=username, case=case.person.name):
                self.assertEqual(self.get(username, case).status_code, status)
        self.client.force_login(w.users["koordinator"])
        self.assertEqual(self.client.get(reverse("guidance:case", args=[uuid.uuid4()])).status_code, 404)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("guidance:case", args=[w.kurt.public_id])).status_code, 302)

    def test_employer_side_sees_no_health_data(self):
        self.client.cookies["django_language"] = "en"
        page = self.get("leder", self.world.kurt).content.decode()
        self.assertIn("Kurt Jensen", page)
        self.assertNotIn("Physical", page)  # not even the cause group: only what the employee shares
        self.assertNotIn("<dt>Cause</dt>", page)  # nor an empty row that says there is one to hide
        for text in KURT_HEALTH + ["musculoskeletal", "0503711234", "050371", "Mette Fys"]:
            self.assertNotIn(text, page)
        self.assertNotIn(reverse("guidance:first_contact", args=[self.world.kurt.public_id]), page)
        page = self.get("chef", self.world.bodil).content.decode()
        for text in BODIL_HEALTH + ["depression", "1207791234"]:
            self.assertNotIn(text, page)
        # The mental-health care is shown to every employer-side reader, so it tells nothing about the cause.
        self.assertIn("Mental-health absence and psychological work injuries", page)
        self.assertIn(
            "Mental-health absence and psychological work injuries", self.get("leder", self.world.kurt).content.decode()
        )

    def test_coordinator_sees_detailed_cause_and_the_first_contact_link(self):
        self.client.cookies["django_language"] = "en"
        page = self.get("koordinator", self.world.kurt).content.decode()
        self.assertIn("Physical: musculoskeletal", page)
        self.assertIn(reverse("guidance:first_contact", args=[self.world.kurt.public_id]), page)
        self.assertNotIn("Mental-health absence and psychological work injuries", page)

    def test_phase_shown_for_each_case_state(self):
        self.client.cookies["django_language"] = "en"
        case = self.world.kurt
        today = timezone.localdate()
        states = [
            (dict(first_sick_day=today - dt.timedelta(days=2)), "Phase 2: When it happens", "The first days"),
            (dict(first_sick_day=today - dt.timedelta(weeks=9)), "Phase 3: The sick-leave period", "Sick leave"),
            (
                dict(absence_extent="partial", absence_hours_per_week=20),
                "Phase 4: The return to work",
                "Return under way",
            ),
            (dict(status="retention"), "Phase 5: The retention period", "Back full time"),
            (dict(status="closed", closed_on=today), "The case is closed", "Closed"),
        ]
        for values, heading, stage in states:
            Case.objects.filter(pk=case.pk).update(**values)
            for username in ("koordinator", "leder"):
                with self.subTest(stage=stage, user=username):
                    response = self.get(username, case)
                    self.assertContains(response, heading)
                    self.assertContains(response, stage)

    def test_phase_guidance_in_danish(self):
        response = self.get("chef", self.world.bodil)
        with translation.override("da"):
            self.assertContains(response, str(phases.phase("sick-leave").title))
            self.assertContains(response, str(phases.STAGE_LABELS[phases.CaseStage.SICK_LEAVE]))

    def test_links_to_the_profession_note(self):
        page = self.get("chef", self.world.bodil).content.decode()
        self.assertIn(reverse("guidance:profession", args=["administrative"]), page)


class FirstContactTests(DemoWorldTestCase):
    def url(self, case=None):
        return reverse("guidance:first_contact", args=[(case or self.world.kurt).public_id])

    def as_user(self, username):
        self.client.force_login(self.world.users[username])

    def test_access_matrix(self):
        w = self.world
        for username, case, get_status, post_status in [
            ("koordinator", w.kurt, 200, 302),
            ("kollega", w.kurt, 200, 302),
            ("admin", w.kurt, 200, 302),
            ("laeser", w.kurt, 200, 403),
            ("leder", w.kurt, 403, 403),
            ("kurt", w.kurt, 403, 403),
            ("psykolog", w.bodil, 403, 403),
            ("anden", w.kurt, 404, 404),
            ("chef", w.kurt, 404, 404),
        ]:
            self.as_user(username)
            with self.subTest(user=username):
                self.assertEqual(self.client.get(self.url(case)).status_code, get_status)
                response = self.client.post(self.url(case), {"agreed": "Møde på fredag."})
                self.assertEqual(response.status_code, post_status)
        self.assertEqual(TimelineEvent.objects.filter(params__text__icontains="Møde på fredag").count(), 3)

    def test_prefilled_with_case_data_and_no_health_data(self):
        self.as_user("koordinator")
        page = self.client.get(self.url()).content.decode()
        for text in (
            "Kurt Jensen",
            "Nordjysk Dør og Vindue A/S",
            "Produktionsmedarbejder (løfter træ)",
            "Peter Nielsen",
            "Karen Holm",
        ):
            self.assertIn(text, page)
        self.assertIn("<dd>9</dd>", page)
        for text in KURT_HEALTH + ["musculoskeletal", "bevægeapparat"]:
            self.assertNotIn(text, page)
        # The page reads no health data, so it writes no health audit row.
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED).exists())

    def test_notes_become_a_timeline_event_for_professionals_only(self):
        self.as_user("koordinator")
        response = self.client.post(
            self.url(),
            {
                "busy_period": "Travlt forår, ny mester i januar.",
                "functioning": "Stabil og vellidt.",
                "tried": "",
                "agreed": "Fællesmøde tirsdag kl. 10.",
            },
        )
        self.assertRedirects(response, self.url())
        event = TimelineEvent.objects.get(case=self.world.kurt, params__text__icontains="Fællesmøde")
        self.assertEqual(event.kind, EventKind.NOTE)
        self.assertEqual(event.audience, Audience.PROFESSIONALS)
        self.assertEqual(set(event.params), {"text"})
        self.assertIn("Travlt forår", event.params["text"])
        audit = AuditEntry.objects.get(case=self.world.kurt, action=AuditAction.CASE_UPDATED)
        self.assertEqual(audit.fields, ["first_contact_notes"])
        self.assertEqual(audit.actor, self.world.users["koordinator"])
        self.assertIn(event, selectors.case_timeline(self.world.kurt, employer_view=False))
        self.assertNotIn(event, selectors.case_timeline(self.world.kurt, employer_view=True))
        self.client.force_login(self.world.users["leder"])
        page = self.client.get(reverse("cases:detail", args=[self.world.kurt.public_id])).content.decode()
        self.assertNotIn("Fællesmøde", page)

    def test_empty_or_too_long_notes_are_refused(self):
        self.as_user("koordinator")
        self.client.cookies["django_language"] = "en"
        before = TimelineEvent.objects.count()
        response = self.client.post(self.url(), {"agreed": "   "})
        self.assertEqual(response.status_code, 400)
        self.assertIn("at least one note", " ".join(response.context["form"].errors["agreed"]))
        response = self.client.post(self.url(), {"tried": "x" * 4001})
        self.assertEqual(response.status_code, 400)
        self.assertIn("tried", response.context["form"].errors)
        self.assertEqual(TimelineEvent.objects.count(), before)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.CASE_UPDATED).exists())


class PolicyTests(DemoWorldTestCase):
    URL = reverse("guidance:policy")

    def as_user(self, username):
        self.client.force_login(self.world.users[username])
        self.client.cookies["django_language"] = "en"

    def data(self, version, **overrides):
        return {
            "who_does_what": "Peter calls.",
            "policy": "We keep in touch.",
            "stress_policy": "",
            "version": version,
            **overrides,
        }

    def test_access_matrix(self):
        for username, get_status, post_status in [
            ("koordinator", 200, 302),
            ("admin", 200, 302),
            ("laeser", 200, 403),
            ("leder", 200, 302),
            ("chef", 200, 302),
            ("anden", 200, 302),
            ("kurt", 404, 404),
            ("bodil", 404, 404),
            ("psykolog", 404, 404),
        ]:
            self.as_user(username)
            with self.subTest(user=username):
                self.assertEqual(self.client.get(self.URL).status_code, get_status)
                self.assertEqual(self.client.get(reverse("guidance:policy_print")).status_code, get_status)
                current = AbsencePolicy.objects.filter(organisation__memberships__user__username=username).first()
                response = self.client.post(self.URL, self.data(current.version if current else 0))
                self.assertEqual(response.status_code, post_status)
        orgs = set(AbsencePolicy.objects.values_list("organisation__name", flat=True))
        self.assertEqual(
            orgs,
            {
                "Jobcenter Aalborg",
                "Nordjysk Dør og Vindue A/S",
                "Limfjord Revision ApS",
                "Arbejdsmedicinsk Klinik Aarhus",
            },
        )

    def test_draft_from_template_in_the_users_language(self):
        self.as_user("leder")
        response = self.client.get(self.URL)
        self.assertContains(response, "Who does what at Nordjysk Dør og Vindue A/S")
        self.assertContains(response, "Stress policy for Nordjysk Dør og Vindue A/S")
        self.assertEqual(response.context["form"]["version"].value(), 0)

    def test_create_then_edit_then_conflict(self):
        self.as_user("leder")
        self.assertEqual(self.client.post(self.URL, self.data(0)).status_code, 302)
        policy = AbsencePolicy.objects.get(organisation=self.world.orgs["door_factory"])
        self.assertEqual((policy.version, policy.updated_by), (1, self.world.users["leder"]))
        # A second editor who opened the template before the first saved:
        response = self.client.post(self.URL, self.data(0, who_does_what="Mine"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Mine", status_code=409)
        self.assertContains(response, "Peter calls.", status_code=409)
        self.assertEqual(self.client.post(self.URL, self.data(1, policy="Version two")).status_code, 302)
        response = self.client.post(self.URL, self.data(1, policy="Stale edit"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Stale edit", status_code=409)
        self.assertContains(response, 'name="version" value="2"', status_code=409)
        policy.refresh_from_db()
        self.assertEqual((policy.version, policy.policy), (2, "Version two"))

    def test_bad_input(self):
        self.as_user("koordinator")
        response = self.client.post(self.URL, self.data(0, who_does_what=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("who_does_what", response.context["form"].errors)
        response = self.client.post(self.URL, self.data("x"))
        self.assertEqual(response.status_code, 400)
        self.assertFalse(AbsencePolicy.objects.exists())

    def test_printable_view_shows_saved_text(self):
        self.as_user("chef")
        self.client.post(self.URL, self.data(0, policy="Ring til Susanne."))
        self.assertContains(self.client.get(reverse("guidance:policy_print")), "Ring til Susanne.")


class ProfessionTests(DemoWorldTestCase):
    def test_shipped_notes(self):
        self.assertEqual(ProfessionNote.objects.count(), 16)
        self.assertEqual(set(ProfessionNote.objects.values_list("language", flat=True)), {"da", "en"})

    def test_readable_by_every_logged_in_user_not_anonymous(self):
        self.assertEqual(self.client.get(reverse("guidance:professions")).status_code, 302)
        for username in ("koordinator", "laeser", "leder", "kurt", "psykolog", "anden"):
            self.client.force_login(self.world.users[username])
            with self.subTest(user=username):
                self.assertEqual(self.client.get(reverse("guidance:professions")).status_code, 200)
                self.assertEqual(self.client.get(reverse("guidance:profession", args=["nurse"])).status_code, 200)
                self.assertEqual(self.client.get(reverse("guidance:profession", args=["other"])).status_code, 404)
                self.assertEqual(self.client.get(reverse("guidance:profession", args=["pilot"])).status_code, 404)

    def test_note_in_the_users_language(self):
        self.client.force_login(self.world.users["leder"])
        self.assertContains(self.client.get(reverse("guidance:profession", args=["school_teacher"])), "Folkeskolelærer")
        self.client.cookies["django_language"] = "en"
        response = self.client.get(reverse("guidance:profession", args=["school_teacher"]))
        self.assertContains(response, "School teacher")
        self.assertContains(response, "Green: manageable from the start")

    def test_only_organisation_admins_edit(self):
        url = reverse("guidance:profession_edit", args=["nurse"])
        for username in ("koordinator", "laeser", "leder", "kurt", "anden"):
            self.client.force_login(self.world.users[username])
            with self.subTest(user=username):
                self.assertEqual(self.client.get(url).status_code, 403)
                self.assertEqual(self.client.post(url, {}).status_code, 403)
        self.client.force_login(self.world.users["admin"])
        self.assertEqual(self.client.get(url).status_code, 200)
        self.assertEqual(self.client.get(reverse("guidance:profession_edit", args=["other"])).status_code, 404)

    def edit_data(self, version, **overrides):
        note = ProfessionNote.objects.get(profession_category="nurse", language="da")
        data = {f: getattr(note, f) for f in ("title", "loads", "watch", "green_tasks", "yellow_tasks", "red_tasks")}
        return {**data, "version": version, **overrides}

    def test_edit_conflict_and_bad_input(self):
        self.client.force_login(self.world.users["admin"])
        url = reverse("guidance:profession_edit", args=["nurse"])
        self.assertEqual(self.client.post(url, self.edit_data(1, title="Sygeplejerske (opdateret)")).status_code, 302)
        response = self.client.post(url, self.edit_data(1, title="Min version"))
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Min version", status_code=409)
        self.assertContains(response, "Sygeplejerske (opdateret)", status_code=409)
        self.assertEqual(self.client.post(url, self.edit_data(2, title="")).status_code, 400)
        note = ProfessionNote.objects.get(profession_category="nurse", language="da")
        self.assertEqual(
            (note.title, note.version, note.updated_by), ("Sygeplejerske (opdateret)", 2, self.world.users["admin"])
        )

    def test_list_query_count_is_constant(self):
        self.client.force_login(self.world.users["koordinator"])
        url = reverse("guidance:professions")

        def count():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        before = count()
        ProfessionNote.objects.filter(language="da").delete()
        self.assertEqual(count(), before)
        ProfessionNote.objects.create(
            profession_category="other",
            language="en",
            title="Other",
            loads="-",
            watch="-",
            green_tasks="-",
            yellow_tasks="-",
            red_tasks="-",
        )
        self.assertEqual(count(), before)
        # session, user, notes, admin check, nav roles; the header's unread notifications (1)
        self.assertLessEqual(before, 6)


class DemoTests(DemoWorldTestCase):
    load_demos = ("guidance",)

    def test_load_demo_writes_the_door_factorys_policy(self):
        policy = AbsencePolicy.objects.get(organisation=self.world.orgs["door_factory"])
        self.assertIn("Peter Nielsen", policy.who_does_what)
