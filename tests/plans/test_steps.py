import datetime as dt

from django.utils import timezone

from fasthold.plans.models import StepPlacement
from tests.plans.base import PlanTestCase


class StepModelTests(PlanTestCase):
    def post_step(self, **overrides):
        data = {
            "placed_on": timezone.localdate().isoformat(),
            "track": "employed",
            "step": 4,
            "reason": "Delvis raskmelding aftalt",
        }
        data.update(overrides)
        return self.client.post(self.url("step"), data)

    def test_history_records_progress_and_setbacks_with_who_and_why(self):
        self.as_user("koordinator")
        self.assertRedirects(self.post_step(), self.url("plan"))
        self.assertEqual(self.post_step(step=2, reason="Tilbageslag").status_code, 302)
        steps = list(StepPlacement.objects.filter(case=self.kurt).values_list("step", "actor__username"))
        self.assertEqual(steps[-2:], [(4, "koordinator"), (2, "koordinator")])
        page = self.client.get(self.url("plan")).content.decode()
        self.assertIn("Tilbageslag", page)
        self.assertIn('aria-current="step"', page)
        self.assertIn("↓", page)  # the setback is marked by a shape, not by colour
        self.assertIn("↑", page)

    def test_step_4_only_for_employed_and_no_future_dates(self):
        self.as_user("koordinator")
        before = StepPlacement.objects.count()
        response = self.post_step(track="unemployed", step=4)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "form-error-message", status_code=400)
        self.assertEqual(
            self.post_step(placed_on=(timezone.localdate() + dt.timedelta(days=1)).isoformat()).status_code, 400
        )
        self.assertEqual(self.post_step(placed_on="2001-01-01").status_code, 400)
        self.assertEqual(self.post_step(step=7).status_code, 400)
        self.assertEqual(StepPlacement.objects.count(), before)
        self.assertEqual(self.post_step(track="unemployed", step=3).status_code, 302)

    def test_database_refuses_step_4_for_unemployed(self):
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic():
            StepPlacement.objects.create(
                case=self.kurt, placed_on=timezone.localdate(), track="unemployed", step=4, reason="x"
            )

    def test_only_editors_record_steps(self):
        for username, status in [("laeser", 403), ("leder", 403), ("kurt", 403), ("psykolog", 404), ("anden", 404)]:
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get(self.url("step")).status_code, status)
                self.assertEqual(self.post_step().status_code, status)
