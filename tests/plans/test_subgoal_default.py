"""Issue 17, item 4: a new sub-goal's "work-related" box is not pre-ticked, so a health sub-goal is saved
as the coordinator fills it in (pre-ticked, it was refused for a box nobody ticked)."""

import re

from fasthold.plans import services
from fasthold.plans.models import SubGoal
from tests.plans.base import PlanTestCase
from tests.plans.test_versioning import subgoal_post


class SubGoalDefaultTests(PlanTestCase):
    def setUp(self):
        plan = self.kurt.plan
        self.draft = services.plan_revise(
            actor=self.world.users["koordinator"], plan=plan, expected_version=plan.version, reason="Justering"
        )
        self.as_user("koordinator")

    def test_the_work_related_box_starts_unticked(self):
        html = self.client.get(self.url("subgoal_add", None, self.draft.number)).content.decode()
        box = re.search(r'<input[^>]*name="work_related"[^>]*>', html).group(0)
        self.assertNotIn("checked", box)

    def test_a_health_sub_goal_filled_in_as_shown_is_saved(self):
        data = subgoal_post(self.draft.version, area="health", text="Sover bedre")
        del data["work_related"]  # the box as the form shows it: unticked
        response = self.client.post(self.url("subgoal_add", None, self.draft.number), data)
        self.assertEqual(response.status_code, 302)
        sub_goal = SubGoal.objects.get(version=self.draft, text="Sover bedre")
        self.assertFalse(sub_goal.work_related)
