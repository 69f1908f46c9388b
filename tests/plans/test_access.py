"""Every plan view against every persona; the employer never sees treatment or non-work content."""

import uuid

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.plans import pdf
from fasthold.plans.models import PlanVersion, SubGoal
from tests.plans.base import PlanTestCase

# Texts only professionals and the employee may see (Bodil's plan).
BODIL_HIDDEN = (
    "Anne Lund",
    "frisør",
    "tryg ved at være sammen med andre",
    "starte med formiddage",
)
KURT_HIDDEN = ("Mestringskursus", "Smerteskema", "Smerterne falder fra 8 til 3", "Mette Fys")


class AccessMatrixTests(PlanTestCase):
    def get(self, name, case, *args):
        return self.client.get(self.url(name, case, *args)).status_code

    def test_read_views(self):
        expected = {
            "koordinator": 200,
            "kollega": 200,
            "admin": 200,
            "laeser": 200,
            "chef": 200,
            "bodil": 200,
            "psykolog": 200,
            "leder": 404,
            "kurt": 404,
            "anden": 404,
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.get("plan", self.bodil), status)
                self.assertEqual(self.get("version", self.bodil, 1), status)
                self.assertEqual(self.get("pdf", self.bodil), status)
        self.as_user("anden")
        self.assertEqual(self.client.get(f"/plans/case/{uuid.uuid4()}/").status_code, 404)

    def test_write_views(self):
        from fasthold.plans import services

        plan = self.bodil.plan
        draft = services.plan_revise(
            actor=self.world.users["koordinator"], plan=plan, expected_version=plan.version, reason="Justering"
        )
        draft_views = [("goal_edit", 3), ("subgoal_add", 3), ("activity_add", 3)]
        cases = {
            # username: (status of staff-only writes, scores page, proposal page)
            "koordinator": (200, 200, 403),
            "laeser": (403, 403, 403),
            "chef": (403, 403, 200),
            "bodil": (403, 200, 403),
            "psykolog": (403, 403, 403),
            "anden": (404, 404, 404),
        }
        for username, (write, scores, propose) in cases.items():
            self.as_user(username)
            with self.subTest(username=username):
                for name, number in draft_views:
                    self.assertEqual(self.get(name, self.bodil, number), write, name)
                self.assertEqual(self.get("step", self.bodil), write)
                self.assertEqual(self.get("revise", self.bodil), 302 if write == 200 else write)  # to the draft
                self.assertEqual(self.get("scores", self.bodil), scores)
                self.assertEqual(self.get("propose", self.bodil), propose)
                sg = SubGoal.objects.filter(version=draft).first()
                self.assertEqual(self.get("subgoal_edit", self.bodil, sg.public_id), write)
                activity = draft.activities.first()
                self.assertEqual(self.get("activity_edit", self.bodil, activity.public_id), write)
                status = self.client.post(self.url("publish", self.bodil, 3), {"lock": 99}).status_code
                self.assertEqual(status, 409 if write == 200 else write)
                status = self.client.post(
                    self.url("item_remove", self.bodil, "activity", activity.public_id), {"lock": 99}
                ).status_code
                self.assertEqual(status, 409 if write == 200 else write)

    def test_catalogue_is_edited_by_administrators_only(self):
        for username, status in [("admin", 200), ("koordinator", 403), ("chef", 403), ("anden", 403)]:
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get("/plans/tools/").status_code, 200)
                self.assertEqual(self.client.get("/plans/tools/mentor/edit/").status_code, status)

    def test_catalogue_edit_and_conflict(self):
        from fasthold.plans.models import RetentionTool

        self.as_user("admin")
        tool = RetentionTool.objects.get(key="mentor")
        data = {
            f: getattr(tool, f)
            for f in ("name_da", "name_en", "description_da", "description_en", "when_used_da", "when_used_en")
        }
        self.assertEqual(
            self.client.post(
                "/plans/tools/mentor/edit/", {**data, "name_da": "Mentorstøtte", "active": "on", "lock": 1}
            ).status_code,
            302,
        )
        response = self.client.post("/plans/tools/mentor/edit/", {**data, "name_da": "Mentor igen", "lock": 1})
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "Mentorstøtte", status_code=409)
        self.assertContains(response, "Mentor igen", status_code=409)
        self.assertEqual(self.client.post("/plans/tools/mentor/edit/", {**data, "name_da": ""}).status_code, 400)


class EmployerViewTests(PlanTestCase):
    def test_employer_never_sees_treatment_or_non_work_content_in_html(self):
        for username, case, hidden, shown in [
            ("chef", self.bodil, BODIL_HIDDEN, "Delvis raskmelding om 14 dage"),
            ("leder", self.kurt, KURT_HIDDEN, "truckfører"),
        ]:
            self.as_user(username)
            for url in (self.url("plan", case), self.url("version", case, 1)):
                page = self.client.get(url).content.decode()
                with self.subTest(username=username, url=url):
                    self.assertIn(shown, page)
                    for text in hidden:
                        self.assertNotIn(text, page)
        # Drafts are never shown to the employer.
        self.as_user("koordinator")
        plan = self.bodil.plan
        self.client.post(self.url("revise", self.bodil), {"reason": "Ny udgave", "lock": plan.version})
        self.as_user("chef")
        self.assertEqual(self.client.get(self.url("version", self.bodil, 3)).status_code, 404)

    def test_employer_never_sees_treatment_or_non_work_content_in_the_pdf(self):
        version = self.current(self.bodil)
        html, _ = pdf.render_html(case=self.bodil, version=version, employer_view=True, lang="da")
        for text in BODIL_HIDDEN:
            self.assertNotIn(text, html)
        self.assertIn("Delvis raskmelding om 14 dage", html)
        full, _ = pdf.render_html(case=self.bodil, version=version, employer_view=False, lang="da")
        self.assertIn("frisør", full)
        self.as_user("chef")
        response = self.client.get(self.url("pdf", self.bodil) + "?lang=en")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))

    def test_health_content_reads_are_audited_without_values(self):
        self.as_user("chef")
        before = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED).count()
        self.client.get(self.url("plan", self.bodil))
        self.client.get(self.url("pdf", self.bodil))
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED).count(), before)
        self.assertTrue(
            AuditEntry.objects.filter(action=AuditAction.CASE_VIEWED, actor__username="chef", fields=["plan"]).exists()
        )
        for username in ("koordinator", "psykolog", "bodil"):
            self.as_user(username)
            self.client.get(self.url("plan", self.bodil))
            entry = AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor__username=username).get()
            self.assertEqual(entry.fields, ["plan"])
        self.as_user("koordinator")
        self.client.get(self.url("pdf", self.bodil) + "?lang=da")
        self.assertEqual(
            AuditEntry.objects.filter(action=AuditAction.HEALTH_VIEWED, actor__username="koordinator").count(), 2
        )

    def test_pdf_language_is_checked(self):
        self.as_user("koordinator")
        self.assertEqual(self.client.get(self.url("pdf", self.bodil) + "?lang=de").status_code, 400)

    def test_no_plan_text_in_timeline_or_audit(self):
        import json

        from fasthold.cases.models import TimelineEvent

        self.as_user("bodil")
        version = PlanVersion.objects.get(plan__case=self.bodil, number=2)
        self.client.post(self.url("comment", self.bodil, 2), {"text": "Jeg sover dårligt"})
        sg = version.sub_goals.get(position=1)
        self.client.post(
            self.url("scores", self.bodil), {"sub_goal": sg.public_id, "m2-measured_on": "2026-01-05", "m2-value": "6"}
        )
        dumped = json.dumps(list(AuditEntry.objects.values("fields")), default=str) + json.dumps(
            list(TimelineEvent.objects.values("params")), default=str
        )
        for text in ("sover dårligt", "psykolog", "Smerte"):
            self.assertNotIn(text, dumped)
