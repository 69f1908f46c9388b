import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fasthold.plans import pdf
from fasthold.plans.models import Activity, Measurement, SubGoal
from fasthold.plans.selectors import evaluation_dates
from tests.plans.base import PlanTestCase


def document_text(document) -> str:
    """The text WeasyPrint laid out on the pages (no PDF text extractor needed)."""
    from weasyprint.formatting_structure import boxes

    parts = []

    def walk(box):
        if isinstance(box, boxes.TextBox):
            parts.append(box.text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return " ".join(parts)


class PdfTests(PlanTestCase):
    def test_pdf_in_danish_and_english_holds_goal_sub_goals_activities_step_and_agreement(self):
        version = self.current(self.bodil)
        for lang, words in (("da", ("Fastholdelsesplan", "Trin 4")), ("en", ("Retention plan", "Step 4"))):
            html, _ = pdf.render_html(case=self.bodil, version=version, employer_view=False, lang=lang)
            with self.subTest(lang=lang):
                self.assertIn(f'<html lang="{lang}">', html)
                self.assertIn("sekretær på ordinære vilkår", html)
                self.assertIn("troen på sin faglighed", html)
                self.assertIn("Delvis raskmelding om 14 dage", html)
                self.assertIn('id="schedule-summary"', html)
                self.assertIn("Bodil Sørensen", html)
                if lang == "en":
                    self.assertIn("agreed to this version", html)
                    for word in words:
                        self.assertIn(word, html)
                data = pdf.write_pdf(html)
                self.assertTrue(data.startswith(b"%PDF-"))
                self.assertIn(b"%%EOF", data[-32:])
                document = pdf.render_document(html)
                self.assertGreaterEqual(len(document.pages), 1)
                self.assertLessEqual(len(document.pages), 3)
                text = document_text(document)
                self.assertIn("sekretær", text)
                self.assertIn("ordinære", text)

    def test_employer_pdf_text_has_no_treatment(self):
        html, _ = pdf.render_html(case=self.bodil, version=self.current(self.bodil), employer_view=True, lang="da")
        text = document_text(pdf.render_document(html))
        self.assertIn("sekretær", text)
        self.assertNotIn("psykolog", text)
        self.assertNotIn("frisør", text)

    def test_pdf_view(self):
        self.as_user("bodil")
        response = self.client.get(self.url("pdf", self.bodil) + "?lang=da")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.assertNotIn("Bodil", response["Content-Disposition"])


class QueryCountTests(PlanTestCase):
    def queries(self, url) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(ctx.captured_queries)

    def grow(self, case, n):
        version = self.current(case)
        participant = case.participants.first()
        for i in range(n):
            sg = SubGoal.objects.create(
                version=version,
                position=10 + case.step_placements.count() * 10 + i,
                text=f"Delmål {i}",
                target_date=version.goal_target_date,
                indicator="scale",
                unit="score",
                scale_min=0,
                scale_max=10,
                start_value=2,
                target_value=8,
                work_related=bool(i % 2),
            )
            Measurement.objects.bulk_create(
                [
                    Measurement(
                        sub_goal=sg,
                        lineage=sg.lineage,
                        value=j % 10,
                        measured_on=timezone.localdate() - dt.timedelta(days=j),
                    )
                    for j in range(15)
                ]
            )
            a = Activity.objects.create(
                version=version,
                position=10 + i,
                what=f"Aktivitet {i}",
                responsible_participant=participant,
                kind="workplace",
            )
            a.sub_goals.set([sg])
        case.step_placements.create(placed_on=timezone.localdate(), track="employed", step=4, reason="x")

    def test_plan_page_query_count_is_constant(self):
        for username, case in (("koordinator", self.bodil), ("chef", self.bodil), ("bodil", self.bodil)):
            self.as_user(username)
            with self.subTest(username=username):
                urls = [self.url("plan", case), self.url("scores", case) if username != "chef" else None]
                self.grow(case, 2)  # one work-related and one private scale, so the same audit rows apply
                before = [self.queries(u) for u in urls if u]
                self.grow(case, 6)
                after = [self.queries(u) for u in urls if u]
                self.assertEqual(before, after)
                self.assertLessEqual(before[0], 24)

    def test_evaluation_dates_in_one_query(self):
        ids = [self.kurt.pk, self.bodil.pk, 999999]
        with self.assertNumQueries(1):
            dates = evaluation_dates(ids)
        self.assertEqual(set(dates), {self.kurt.pk, self.bodil.pk})
        self.assertEqual(dates[self.bodil.pk], self.current(self.bodil).evaluation_date)
