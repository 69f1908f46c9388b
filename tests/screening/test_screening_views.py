"""Visitation, prognostic profile and questionnaire pages: access matrix, audit, bad input,
conflicts, drop-out, the session plan and query counts."""

import datetime as dt
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.choices import CauseCategory, ReferralSource
from fasthold.cases.models import Case, Employment
from fasthold.screening import services
from fasthold.screening.examples import STRESS, TTA, install_example_programs
from fasthold.screening.instruments import load_instrument
from fasthold.screening.models import (
    CustomScale,
    LicensedInstrument,
    PlannedSession,
    PrognosticProfile,
    Program,
    QuestionnaireResponse,
    SessionStatus,
    Visitation,
)
from tests.base import DemoWorldTestCase


class ScreeningTestCase(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.jobcentre = cls.world.orgs["jobcentre"]
        programs = {p.example_key: p for p in install_example_programs(cls.jobcentre)}
        cls.stress, cls.tta = programs[STRESS], programs[TTA]
        cls.bodil = cls.world.bodil
        # Someone the stress project fits: stress, three weeks, employed.
        kurt = cls.world.kurt
        employment = Employment.objects.create(person=kurt.person, employer=kurt.employment.employer, status="employed")
        cls.stressed = Case.objects.create(
            person=kurt.person,
            organisation=cls.jobcentre,
            employment=employment,
            first_sick_day=timezone.localdate() - dt.timedelta(weeks=3),
            cause_category=CauseCategory.MENTAL_STRESS,
            referral_source=ReferralSource.GP,
        )

    def login(self, username):
        self.client.force_login(self.world.users[username])

    def visit_url(self, case=None, program=None):
        return reverse("screening:visit", args=[(case or self.bodil).public_id, (program or self.stress).public_id])

    def all_yes(self, program=None):
        data = {}
        for c in (program or self.stress).criteria.filter(source="answered"):
            data[f"c{c.pk}"] = "no" if c.kind == "exclusion" else "yes"
        return data


class ExampleProgramTests(ScreeningTestCase):
    def test_examples_are_installed_once_with_criteria_and_arms(self):
        install_example_programs(self.jobcentre)
        self.assertEqual(Program.objects.filter(organisation=self.jobcentre).count(), 2)
        # Seed 000 (the stress project's slides) shows a case arm and a control arm, not a lottery.
        self.assertFalse(self.stress.randomised)
        # Det Store TTA-projekt: the white paper (seed 003, ch. 7) names one criterion only.
        self.assertEqual(
            list(self.tta.criteria.values_list("label", flat=True)),
            ["Sygemeldt af psykiske eller fysiske grunde (uanset diagnose)"],
        )
        kinds = list(self.stress.criteria.values_list("kind", flat=True))
        self.assertEqual((kinds.count("inclusion"), kinds.count("exclusion"), kinds.count("somatic_check")), (5, 3, 3))
        intervention = self.stress.arms.get(order=0)
        counts = {t.kind: t.count for t in intervention.session_templates.all()}
        self.assertEqual(counts["individual_psychologist"], 7)
        self.assertEqual(counts["group"], 6)
        self.assertIn("coordination", counts)
        self.assertIn("workplace_policy", counts)

    def test_admin_installs_examples_others_cannot(self):
        self.login("koordinator")
        self.assertEqual(self.client.post(reverse("screening:install_examples")).status_code, 403)
        self.login("leder")
        self.assertEqual(self.client.post(reverse("screening:install_examples")).status_code, 404)
        self.login("admin")
        self.assertEqual(self.client.post(reverse("screening:install_examples")).status_code, 302)
        self.login("anden")
        self.client.post(reverse("screening:install_examples"))
        self.assertEqual(Program.objects.filter(organisation=self.world.orgs["clinic"]).count(), 0)


class AccessMatrixTests(ScreeningTestCase):
    def get(self, url):
        return self.client.get(url).status_code

    def test_programs(self):
        for username, expected in {
            "koordinator": 200,
            "laeser": 200,
            "admin": 200,
            "leder": 404,
            "kurt": 404,
            "psykolog": 404,
            "anden": 200,
        }.items():
            self.login(username)
            with self.subTest(user=username):
                self.assertEqual(self.get(reverse("screening:programs")), expected)
                detail = self.get(reverse("screening:program", args=[self.stress.public_id]))
                self.assertEqual(detail, 200 if username in ("koordinator", "laeser", "admin") else 404)

    def test_visitation_is_for_staff_only(self):
        expected = {
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "chef": 404,
            "bodil": 404,
            "psykolog": 403,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.login(username)
            with self.subTest(user=username):
                self.assertEqual(self.get(self.visit_url()), status)
                self.assertEqual(self.get(reverse("screening:case_programs", args=[self.bodil.public_id])), status)
        self.login("anden")
        self.assertEqual(self.get(reverse("screening:visit", args=[uuid.uuid4(), self.stress.public_id])), 404)
        self.login("koordinator")
        self.assertEqual(self.get(reverse("screening:visit", args=[self.bodil.public_id, uuid.uuid4()])), 404)

    def test_visitation_writes_need_edit_rights(self):
        for username, status in {"laeser": 403, "chef": 404, "bodil": 404, "anden": 404}.items():
            self.login(username)
            with self.subTest(user=username):
                response = self.client.post(self.visit_url(), {"action": "answers", **self.all_yes()})
                self.assertEqual(response.status_code, status)
        self.assertFalse(Visitation.objects.exists())

    def test_health_pages(self):
        pages = [
            reverse("screening:profile", args=[self.bodil.public_id]),
            reverse("screening:questionnaires", args=[self.bodil.public_id]),
        ]
        expected = {
            "koordinator": 200,
            "laeser": 200,
            "bodil": 404,  # professionals' worksheets: the employee reads about herself on her portal
            "psykolog": 200,
            "chef": 404,
            "leder": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.login(username)
            for url in pages:
                with self.subTest(user=username, url=url):
                    self.assertEqual(self.get(url), status)

    def test_profile_edit(self):
        url = reverse("screening:profile_edit", args=[self.bodil.public_id])
        expected = {"koordinator": 200, "psykolog": 200, "laeser": 403, "bodil": 404, "chef": 404, "anden": 404}
        for username, status in expected.items():
            self.login(username)
            with self.subTest(user=username):
                self.assertEqual(self.get(url), status)

    def test_questionnaire_fill(self):
        nrs = reverse("screening:questionnaire_fill", args=[self.bodil.public_id, "nrs"])
        who5 = reverse("screening:questionnaire_fill", args=[self.bodil.public_id, "who5"])
        expected = {
            "koordinator": (200, 200),
            "bodil": (200, 404),
            "laeser": (403, 403),
            "psykolog": (403, 403),
            "chef": (404, 404),
            "anden": (404, 404),
        }
        for username, statuses in expected.items():
            self.login(username)
            with self.subTest(user=username):
                self.assertEqual((self.get(nrs), self.get(who5)), statuses)

    def test_instruments_page(self):
        for username, status in {"admin": 200, "koordinator": 200, "laeser": 200, "leder": 404, "bodil": 404}.items():
            self.login(username)
            with self.subTest(user=username):
                self.assertEqual(self.get(reverse("screening:instruments")), status)
        self.login("laeser")
        response = self.client.post(reverse("screening:instruments"), {"action": "custom_scale", "key": "x"})
        self.assertEqual(response.status_code, 403)
        self.login("koordinator")
        response = self.client.post(reverse("screening:instruments"), {"action": "licensed"})
        self.assertEqual(response.status_code, 403)

    def test_employer_never_sees_scores(self):
        services.questionnaire_record(
            actor=self.world.users["koordinator"],
            case=self.bodil,
            instrument=load_instrument("who5"),
            answers=[1, 1, 2, 1, 1],
            source="paper",
            answered_on=timezone.localdate(),
        )
        self.login("chef")
        for url in (
            reverse("screening:questionnaires", args=[self.bodil.public_id]),
            reverse("cases:detail", args=[self.bodil.public_id]),
        ):
            content = self.client.get(url).content.decode()
            self.assertNotIn("WHO-5", content)
            self.assertNotIn("Sandsynlig depression", content)


class VisitationFlowTests(ScreeningTestCase):
    def test_bodil_is_not_eligible_because_of_depression_and_cause(self):
        self.login("koordinator")
        data = self.all_yes()
        depression = self.stress.criteria.get(label__contains="depression")
        data[f"c{depression.pk}"] = "yes"
        response = self.client.post(self.visit_url(), {"action": "answers", **data})
        self.assertEqual(response.status_code, 302)
        visitation = Visitation.objects.get()
        self.assertEqual(visitation.result, "not_eligible")
        stress_cause = self.stress.criteria.get(computed_key="cause_category_is")
        self.assertEqual(set(visitation.failing), {str(depression.pk), str(stress_cause.pk)})
        page = self.client.get(self.visit_url()).content.decode()
        self.assertIn("Har en moderat eller svær depression", page)
        # Accepting a case that is not eligible is refused at the field.
        response = self.client.post(
            self.visit_url(), {"action": "decide", "version": visitation.version, "decision": "accepted"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Visitation.objects.get().decision, "waiting")

    def test_eligible_case_accepted_allocated_at_random_and_dropped_out(self):
        # The example is not randomised; an organisation may run its copy as a randomised trial.
        self.stress.randomised = True
        self.stress.save(update_fields=["randomised"])
        self.login("koordinator")
        url = self.visit_url(self.stressed)
        self.client.post(url, {"action": "answers", **self.all_yes()})
        visitation = Visitation.objects.get()
        self.assertEqual(visitation.result, "eligible")
        self.client.post(url, {"action": "decide", "version": visitation.version, "decision": "accepted"})
        visitation.refresh_from_db()
        self.assertEqual((visitation.decision, visitation.decided_by), ("accepted", self.world.users["koordinator"]))
        start = timezone.localdate()
        response = self.client.post(
            url,
            {"action": "allocate", "version": visitation.version, "method": "random", "start_date": start.isoformat()},
        )
        self.assertEqual(response.status_code, 302)
        visitation.refresh_from_db()
        self.assertIsNotNone(visitation.random_seed)
        from fasthold.screening.visitation import allocate

        arm_ids = [str(a.pk) for a in self.stress.arms.all()]
        self.assertEqual(str(visitation.arm_id), allocate(arm_ids, visitation.random_seed))
        expected = sum(t.count for t in visitation.arm.session_templates.all())
        sessions = list(visitation.sessions.all())
        self.assertEqual(len(sessions), expected)
        self.assertEqual(sessions[0].date, start)
        self.assertIn(str(visitation.random_seed), self.client.get(url).content.decode())
        # Drawing again is refused.
        again = self.client.post(
            url,
            {"action": "allocate", "version": visitation.version, "method": "random", "start_date": start.isoformat()},
        )
        self.assertEqual(again.status_code, 400)
        # Drop-out: future sessions are cancelled.
        response = self.client.post(
            url,
            {
                "action": "dropout",
                "version": visitation.version,
                "dropout_on": start.isoformat(),
                "dropout_reason": "Fik nyt job",
            },
        )
        self.assertEqual(response.status_code, 302)
        visitation.refresh_from_db()
        self.assertEqual(visitation.dropout_on, start)
        self.assertEqual(visitation.sessions.filter(status=SessionStatus.CANCELLED).count(), expected - 1)

    def test_manual_allocation_plans_sessions_with_correct_dates(self):
        actor = self.world.users["koordinator"]
        answers = {
            str(c.pk): {"value": c.kind != "exclusion", "note": ""}
            for c in self.stress.criteria.filter(source="answered")
        }
        v = services.visitation_answer(
            actor=actor,
            case=self.stressed,
            program=self.stress,
            visitation=None,
            expected_version=None,
            answers=answers,
        )
        services.visitation_decide(actor=actor, visitation=v, expected_version=v.version, decision="accepted")
        control = self.stress.arms.get(order=1)
        start = dt.date(2026, 1, 5)
        services.visitation_allocate(
            actor=actor, visitation=v, expected_version=v.version, method="manual", arm=control, start_date=start
        )
        self.assertEqual(
            list(v.sessions.values_list("date", flat=True)),
            [start, start + dt.timedelta(days=28), start + dt.timedelta(days=56)],
        )
        self.assertIsNone(Visitation.objects.get().random_seed)

    def test_tta_program_does_not_randomise(self):
        self.login("koordinator")
        url = self.visit_url(self.stressed, self.tta)
        self.client.post(url, {"action": "answers", **self.all_yes(self.tta)})
        v = Visitation.objects.get()
        self.client.post(url, {"action": "decide", "version": v.version, "decision": "accepted"})
        v.refresh_from_db()
        response = self.client.post(
            url, {"action": "allocate", "version": v.version, "method": "random", "start_date": "2026-01-05"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(PlannedSession.objects.exists())

    def test_bad_input_gives_field_messages_and_saves_nothing(self):
        self.login("koordinator")
        danish = self.stress.criteria.get(label__contains="dansk")
        response = self.client.post(self.visit_url(), {"action": "answers", f"c{danish.pk}": "perhaps"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "form-error-message", status_code=400)
        self.assertFalse(Visitation.objects.exists())
        self.assertEqual(self.client.post(self.visit_url(), {"action": "nonsense"}).status_code, 400)
        self.assertEqual(self.client.post(self.visit_url(), {"action": "decide"}).status_code, 400)

    def test_concurrent_edit_gives_409_and_keeps_input(self):
        self.login("koordinator")
        self.client.post(self.visit_url(), {"action": "answers", **self.all_yes()})
        v = Visitation.objects.get()
        stale = v.version
        self.login("kollega")
        self.client.post(self.visit_url(), {"action": "answers", "version": stale, **self.all_yes()})
        self.login("koordinator")
        danish = self.stress.criteria.get(label__contains="dansk")
        data = {"action": "answers", "version": stale, **self.all_yes(), f"c{danish.pk}_note": "Min egen note"}
        response = self.client.post(self.visit_url(), data)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Min egen note", status_code=409)
        self.assertEqual(Visitation.objects.get().version, stale + 1)
        self.assertNotIn("Min egen note", str(Visitation.objects.get().answers))

    def test_reads_and_writes_are_audited_without_values(self):
        self.login("koordinator")
        self.client.get(self.visit_url())
        self.client.post(self.visit_url(), {"action": "answers", **self.all_yes()})
        entries = AuditEntry.objects.filter(case=self.bodil)
        self.assertTrue(entries.filter(action=AuditAction.HEALTH_VIEWED, fields=["visitation"]).exists())
        self.assertTrue(entries.filter(action=AuditAction.HEALTH_UPDATED, fields=["visitation"]).exists())


class ProfileTests(ScreeningTestCase):
    def url(self, edit=False):
        return reverse("screening:profile_edit" if edit else "screening:profile", args=[self.bodil.public_id])

    def test_read_is_audited_and_missing_components_shown(self):
        self.login("psykolog")
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            AuditEntry.objects.filter(
                actor=self.world.users["psykolog"], action=AuditAction.HEALTH_VIEWED, fields=["prognostic_profile"]
            ).exists()
        )
        self.assertContains(response, 'id="components-missing"')

    def test_edit_saves_and_conflict_gives_409(self):
        self.login("koordinator")
        self.client.get(self.url())
        version = PrognosticProfile.objects.get(case=self.bodil).version
        response = self.client.post(
            self.url(True), {"version": version, "rtw_coordinator": "yes", "rtw_coordinator_note": "Karen"}
        )
        self.assertEqual(response.status_code, 302)
        record = PrognosticProfile.objects.get(case=self.bodil)
        self.assertEqual(record.answers["rtw_coordinator"], {"answer": "yes", "note": "Karen"})
        self.login("psykolog")
        response = self.client.post(
            self.url(True),
            {"version": version, "stress_treatment": "yes", "stress_treatment_note": "Henvis til stressbehandling"},
        )
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Henvis til stressbehandling", status_code=409)
        self.assertNotIn("stress_treatment", PrognosticProfile.objects.get(case=self.bodil).answers)
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.HEALTH_UPDATED, fields=["prognostic_profile"]).exists()
        )

    def test_bad_answer_is_400(self):
        self.login("koordinator")
        self.client.get(self.url())
        response = self.client.post(self.url(True), {"version": 1, "high_age": "maybe"})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(PrognosticProfile.objects.get(case=self.bodil).answers, {})


class QuestionnaireTests(ScreeningTestCase):
    def fill_url(self, instrument="who5", case=None):
        return reverse("screening:questionnaire_fill", args=[(case or self.bodil).public_id, instrument])

    def test_paper_form_is_scored_as_published(self):
        self.login("koordinator")
        data = {
            "answered_on": timezone.localdate().isoformat(),
            **{f"item_{i}": v for i, v in enumerate([4, 1, 0, 2, 3], 1)},
        }
        response = self.client.post(self.fill_url(), data)
        self.assertEqual(response.status_code, 302)
        r = QuestionnaireResponse.objects.get()
        self.assertEqual((r.raw, r.score, r.band, r.source), (10, 40, "poor_wellbeing", "paper"))
        self.assertEqual(r.entered_by, self.world.users["koordinator"])

    def test_mdi_paper_form_keeps_algorithms(self):
        self.login("koordinator")
        answers = [5, 4, 4, 3, 4, 1, 3, 2, 3, 4, 0, 3]
        data = {"answered_on": timezone.localdate().isoformat(), **{f"item_{i}": v for i, v in enumerate(answers, 1)}}
        self.assertEqual(self.client.post(self.fill_url("mdi"), data).status_code, 302)
        r = QuestionnaireResponse.objects.get()
        self.assertEqual(r.raw, 34)
        self.assertEqual(r.algorithms["icd10"]["result"], "severe")

    def test_wrong_number_and_out_of_range_answers_are_field_errors(self):
        self.login("koordinator")
        today = timezone.localdate().isoformat()
        missing = self.client.post(self.fill_url(), {"answered_on": today, "item_1": 3, "item_2": 3})
        self.assertEqual(missing.status_code, 400)
        self.assertContains(missing, "form-error-message", status_code=400)
        out_of_range = self.client.post(
            self.fill_url(), {"answered_on": today, **{f"item_{i}": 6 for i in range(1, 6)}}
        )
        self.assertEqual(out_of_range.status_code, 400)
        self.assertContains(out_of_range, 'aria-invalid="true"', status_code=400)
        future = self.client.post(
            self.fill_url(), {"answered_on": "2999-01-01", **{f"item_{i}": 3 for i in range(1, 6)}}
        )
        self.assertEqual(future.status_code, 400)
        self.assertFalse(QuestionnaireResponse.objects.exists())

    def test_employee_fills_in_nrs_from_own_login(self):
        self.login("bodil")
        page = self.client.get(self.fill_url("nrs"))
        self.assertContains(page, 'type="radio"')
        response = self.client.post(self.fill_url("nrs"), {"item_1": "4"})
        self.assertRedirects(response, reverse("portals:employee"), fetch_redirect_response=False)
        r = QuestionnaireResponse.objects.get()
        self.assertEqual((r.score, r.band, r.source, r.answered_on), (4, "moderate", "self", timezone.localdate()))
        bad = self.client.post(self.fill_url("nrs"), {"item_1": "11"})
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(QuestionnaireResponse.objects.count(), 1)

    def test_list_is_audited_and_query_count_is_constant(self):
        self.login("koordinator")
        url = reverse("screening:questionnaires", args=[self.bodil.public_id])
        actor = self.world.users["koordinator"]

        def add(n):
            for i in range(n):
                for iid, answers in (("nrs", [i % 11]), ("who5", [i % 6] * 5)):
                    services.questionnaire_record(
                        actor=actor,
                        case=self.bodil,
                        instrument=load_instrument(iid),
                        answers=answers,
                        source="paper",
                        answered_on=timezone.localdate() - dt.timedelta(days=i),
                    )

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(url).status_code, 200)
            return len(ctx.captured_queries)

        add(1)
        small = queries()
        add(20)
        self.assertEqual(queries(), small)
        self.assertTrue(AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, fields=["questionnaires"]).exists())

    def test_custom_scale_and_licensed_file(self):
        self.login("koordinator")
        response = self.client.post(
            reverse("screening:instruments"),
            {
                "action": "custom_scale",
                "key": "belief",
                "name": "Tro på egne evner",
                "question": "Hvor meget tror du på dine evner i dag?",
                "low_anchor": "Slet ikke",
                "high_anchor": "Fuldt ud",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CustomScale.objects.get().instrument_id, "custom_belief")
        self.login("bodil")
        self.assertEqual(self.client.post(self.fill_url("custom_belief"), {"item_1": "6"}).status_code, 302)
        self.login("admin")
        from django.core.files.uploadedfile import SimpleUploadedFile

        bad = SimpleUploadedFile("who5.json", b'{"id": "who5"}', content_type="application/json")
        response = self.client.post(reverse("screening:instruments"), {"action": "licensed", "file": bad})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(LicensedInstrument.objects.exists())
        self.assertContains(response, "form-error-message", status_code=400)
