import datetime as dt

from django.utils import timezone

from fasthold.cases.models import Participant
from fasthold.plans import services
from fasthold.plans.models import Activity, Measurement, SubGoal
from tests.plans.base import PlanTestCase
from tests.plans.test_versioning import activity_post, subgoal_post

TODAY = timezone.localdate()


class BadInputTests(PlanTestCase):
    def setUp(self):
        plan = self.kurt.plan
        self.draft = services.plan_revise(
            actor=self.world.users["koordinator"], plan=plan, expected_version=plan.version, reason="Justering"
        )
        self.as_user("koordinator")

    def post_subgoal(self, **overrides):
        return self.client.post(
            self.url("subgoal_add", None, self.draft.number), subgoal_post(self.draft.version, **overrides)
        )

    def assertFieldError(self, response, field, text):
        self.assertEqual(response.status_code, 400)
        form = response.context["form"]
        self.assertIn(field, form.errors)
        self.assertIn(text, " ".join(form.errors[field]))
        self.assertContains(response, f'id="id_{field}_error"', status_code=400)

    def test_sub_goal_after_the_goal(self):
        late = (self.draft.goal_target_date + dt.timedelta(days=1)).isoformat()
        self.assertFieldError(self.post_subgoal(target_date=late), "target_date", "no later than the goal")

    def test_scale_whose_target_equals_its_start(self):
        self.assertFieldError(self.post_subgoal(target_value="3"), "target_value", "must differ from the start")

    def test_scale_values_off_the_scale_and_inverted_scale(self):
        self.assertFieldError(self.post_subgoal(start_value="11"), "start_value", "must lie on the scale")
        self.assertFieldError(self.post_subgoal(scale_max="0"), "scale_max", "highest value must be above")
        self.assertFieldError(self.post_subgoal(unit=""), "unit", "what the scale measures")

    def test_health_sub_goal_cannot_be_shown_to_the_employer(self):
        self.assertFieldError(self.post_subgoal(area="health"), "work_related", "never shown to the employer")

    def test_activity_without_a_responsible_person(self):
        response = self.client.post(
            self.url("activity_add", None, self.draft.number),
            activity_post(self.draft.version, Participant(pk=""), responsible_participant=""),
        )
        self.assertFieldError(response, "responsible_participant", "Choose who is responsible")

    def test_activity_rules(self):
        manager = Participant.objects.get(case=self.kurt, role="manager")
        physio = Participant.objects.get(case=self.kurt, role="physio_or_ot")
        url = self.url("activity_add", None, self.draft.number)
        response = self.client.post(url, activity_post(self.draft.version, manager, responsible_text="Jens"))
        self.assertFieldError(response, "responsible_text", "Leave this empty")
        response = self.client.post(url, activity_post(self.draft.version, physio))
        self.assertFieldError(response, "kind", "treatment")
        response = self.client.post(
            url, activity_post(self.draft.version, manager, starts_on="2026-03-10", ends_on="2026-03-01")
        )
        self.assertFieldError(response, "ends_on", "before the start")
        other_case_sub_goal = SubGoal.objects.filter(version__plan__case=self.bodil).first()
        response = self.client.post(
            url, {**activity_post(self.draft.version, manager), "sub_goals": [other_case_sub_goal.pk]}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Activity.objects.filter(version=self.draft).count(), 4)

    def test_nothing_half_saved(self):
        count = SubGoal.objects.count()
        self.post_subgoal(target_value="3")
        self.assertEqual(SubGoal.objects.count(), count)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.version, 1)

    def test_goal_rules(self):
        response = self.client.post(
            self.url("goal_edit", None, self.draft.number),
            {"goal": "Mål", "goal_target_date": "2027-01-01", "evaluation_date": "2027-02-01", "lock": 1},
        )
        self.assertFieldError(response, "evaluation_date", "before the goal")


class MeasurementTests(PlanTestCase):
    def sub_goal(self):
        return self.current(self.kurt).sub_goals.get(indicator="scale")

    def post(self, sub_goal, value, day=None):
        prefix = f"m{sub_goal.number}"
        return self.client.post(
            self.url("scores"),
            {
                "sub_goal": sub_goal.public_id,
                f"{prefix}-measured_on": (day or TODAY).isoformat(),
                f"{prefix}-value": value,
            },
        )

    def test_employee_enters_own_score(self):
        self.as_user("kurt")
        sub_goal = self.sub_goal()
        response = self.client.get(self.url("scores"))
        self.assertContains(response, "My scores")
        self.assertRedirects(self.post(sub_goal, "4"), self.url("scores"))
        latest = Measurement.objects.filter(lineage=sub_goal.lineage).latest("id")
        self.assertEqual((latest.value, latest.entered_by.username), (4, "kurt"))

    def test_coordinator_enters_a_score_too(self):
        self.as_user("koordinator")
        self.assertEqual(self.post(self.sub_goal(), "4.5").status_code, 302)

    def test_measurement_outside_the_scale(self):
        self.as_user("kurt")
        count = Measurement.objects.count()
        response = self.post(self.sub_goal(), "11")
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "between 1 and 10", status_code=400)  # Kurt's pain scale (seed 001)
        self.assertEqual(self.post(self.sub_goal(), "0").status_code, 400)
        self.assertContains(response, 'aria-invalid="true"', status_code=400)
        self.assertEqual(self.post(self.sub_goal(), "abc").status_code, 400)
        self.assertEqual(self.post(self.sub_goal(), "5", TODAY + dt.timedelta(days=2)).status_code, 400)
        self.assertEqual(Measurement.objects.count(), count)

    def test_unknown_sub_goal_is_bad_input(self):
        self.as_user("kurt")
        bodil_sub_goal = self.current(self.bodil).sub_goals.get(indicator="scale")
        response = self.client.post(self.url("scores"), {"sub_goal": bodil_sub_goal.public_id, "m2-value": "4"})
        self.assertEqual(response.status_code, 400)

    def test_scores_follow_the_sub_goal_through_a_revision(self):
        plan = self.bodil.plan
        sub_goal = self.current(self.bodil).sub_goals.get(indicator="scale")
        self.as_user("koordinator")
        page = self.client.get(self.url("version", self.bodil, 1)).content.decode()
        self.assertIn("Latest score: 5", page)
        self.assertEqual(plan.versions.count(), 2)
        self.assertEqual(Measurement.objects.filter(lineage=sub_goal.lineage).count(), 4)
