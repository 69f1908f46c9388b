import datetime as dt

from django.utils import timezone

from fasthold.cases.models import Participant, TimelineEvent
from fasthold.plans.models import (
    Activity,
    Plan,
    PlanChange,
    PlanVersion,
    Proposal,
    SubGoal,
    VersionStatus,
)
from tests.plans.base import PlanTestCase

TODAY = timezone.localdate()


def subgoal_post(lock, **overrides):
    data = {
        "text": "Arbejder 3 timer om dagen",
        "target_date": (TODAY + dt.timedelta(days=60)).isoformat(),
        "area": "hours",
        "work_related": "on",
        "indicator": "scale",
        "unit": "tro på egne evner",
        "scale_min": "0",
        "scale_max": "10",
        "start_value": "3",
        "target_value": "8",
        "lock": lock,
    }
    data.update(overrides)
    return data


def activity_post(lock, participant, **overrides):
    data = {
        "what": "Praktik som lagermedarbejder",
        "kind": "workplace",
        "responsible_participant": participant.pk,
        "responsible_text": "",
        "frequency": "10 timer om ugen",
        "lock": lock,
    }
    data.update(overrides)
    return data


class CreateAndRevisePlanTests(PlanTestCase):
    def setUp(self):
        # A fresh case without a plan: Kurt's plan is removed for these tests.
        Plan.objects.filter(case=self.kurt).delete()
        self.as_user("koordinator")

    def create_plan(self):
        response = self.client.post(
            self.url("create"),
            {
                "goal": "Tilbage i fuldt job",
                "goal_target_date": (TODAY + dt.timedelta(days=180)).isoformat(),
                "evaluation_date": (TODAY + dt.timedelta(days=30)).isoformat(),
            },
        )
        self.assertRedirects(response, self.url("plan"))
        return PlanVersion.objects.get(plan__case=self.kurt)

    def test_create_add_publish_agree_revise(self):
        v1 = self.create_plan()
        self.assertEqual(v1.status, VersionStatus.DRAFT)
        manager = Participant.objects.get(case=self.kurt, role="manager")
        self.assertEqual(self.client.post(self.url("subgoal_add", None, 1), subgoal_post(1)).status_code, 302)
        sub_goal = SubGoal.objects.get(version=v1)
        response = self.client.post(
            self.url("activity_add", None, 1), {**activity_post(2, manager), "sub_goals": [sub_goal.pk]}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.post(self.url("publish", None, 1), {"lock": 3}).status_code, 302)
        v1.refresh_from_db()
        self.assertEqual(v1.status, VersionStatus.CURRENT)

        # The employee agrees; the case shows that the employee took part.
        self.as_user("kurt")
        self.assertEqual(self.client.post(self.url("agree", None, 1)).status_code, 302)
        v1.refresh_from_db()
        self.assertIsNotNone(v1.agreed_at)
        self.assertTrue(TimelineEvent.objects.filter(case=self.kurt, kind="plan_agreed").exists())
        self.as_user("koordinator")
        self.assertContains(self.client.get(self.url("plan")), "has taken part in the plan")

        # Revising copies the version; the old one is kept intact.
        self.as_user("kollega")
        plan = Plan.objects.get(case=self.kurt)
        response = self.client.post(self.url("revise"), {"reason": "Flere timer aftalt", "lock": plan.version})
        self.assertRedirects(response, self.url("version", None, 2))
        v2 = PlanVersion.objects.get(plan=plan, number=2)
        self.assertEqual((v2.status, v2.reason, v2.created_by.username), ("draft", "Flere timer aftalt", "kollega"))
        new_sub_goal = v2.sub_goals.get()
        self.assertEqual(new_sub_goal.lineage, sub_goal.lineage)
        self.assertEqual(list(v2.activities.get().sub_goals.all()), [new_sub_goal])
        response = self.client.post(
            self.url("subgoal_edit", None, new_sub_goal.public_id),
            subgoal_post(v2.version, text="Arbejder 5 timer om dagen"),
        )
        self.assertEqual(response.status_code, 302)
        sub_goal.refresh_from_db()
        self.assertEqual(sub_goal.text, "Arbejder 3 timer om dagen")  # version 1 untouched
        change = PlanChange.objects.filter(version=v2, action="sub_goal_edited").get()
        self.assertEqual((change.actor.username, change.fields), ("kollega", ["text"]))
        # A current version cannot be edited in place.
        response = self.client.post(
            self.url("subgoal_edit", None, sub_goal.public_id), subgoal_post(v1.version, text="Overskrevet")
        )
        self.assertEqual(response.status_code, 302)
        sub_goal.refresh_from_db()
        self.assertEqual(sub_goal.text, "Arbejder 3 timer om dagen")
        # Publishing supersedes version 1; its agreement stays with it.
        v2.refresh_from_db()
        self.client.post(self.url("publish", None, 2), {"lock": v2.version})
        v1.refresh_from_db()
        v2.refresh_from_db()
        self.assertEqual((v1.status, v2.status), ("superseded", "current"))
        self.assertIsNotNone(v1.agreed_at)
        self.assertIsNone(v2.agreed_at)
        page = self.client.get(self.url("version", None, 1)).content.decode()
        self.assertIn("Arbejder 3 timer om dagen", page)

    def test_concurrent_edits_of_the_same_version_conflict_and_lose_nothing(self):
        v1 = self.create_plan()
        # Two coordinators open the goal form at version lock 1.
        first = self.client.post(
            self.url("goal_edit", None, 1),
            {
                "goal": "Første koordinators mål",
                "goal_target_date": (TODAY + dt.timedelta(days=100)).isoformat(),
                "lock": 1,
            },
        )
        self.assertEqual(first.status_code, 302)
        self.as_user("kollega")
        second = self.client.post(
            self.url("goal_edit", None, 1),
            {
                "goal": "Anden koordinators mål",
                "goal_target_date": (TODAY + dt.timedelta(days=100)).isoformat(),
                "lock": 1,
            },
        )
        self.assertEqual(second.status_code, 409)
        page = second.content.decode()
        self.assertIn("Første koordinators mål", page)  # what was saved meanwhile
        self.assertIn("Anden koordinators mål", page)  # the user's own input, kept
        self.assertIn('name="lock" value="2"', page)  # a second save goes through
        v1.refresh_from_db()
        self.assertEqual(v1.goal, "Første koordinators mål")
        # A sub-goal added from a stale page conflicts too, and nothing half-saved remains.
        response = self.client.post(self.url("subgoal_add", None, 1), subgoal_post(1))
        self.assertEqual(response.status_code, 409)
        self.assertFalse(SubGoal.objects.filter(version=v1).exists())
        self.assertEqual(self.client.post(self.url("subgoal_add", None, 1), subgoal_post(2)).status_code, 302)
        # Publishing from a stale page conflicts as well.
        self.assertEqual(self.client.post(self.url("publish", None, 1), {"lock": 2}).status_code, 409)
        v1.refresh_from_db()
        self.assertEqual(v1.status, "draft")

    def test_double_revision_is_refused(self):
        self.create_plan()
        self.client.post(self.url("publish", None, 1), {"lock": 1})
        plan = Plan.objects.get(case=self.kurt)
        self.assertEqual(self.client.post(self.url("revise"), {"reason": "a", "lock": plan.version}).status_code, 302)
        response = self.client.post(self.url("revise"), {"reason": "b", "lock": plan.version})
        self.assertEqual(response.status_code, 302)  # sent to the existing draft
        self.assertEqual(PlanVersion.objects.filter(plan=plan).count(), 2)


class CoAuthoringTests(PlanTestCase):
    def test_employee_comments_and_only_the_employee_agrees(self):
        version = self.current(self.kurt)
        for username, status in [("koordinator", 403), ("leder", 403), ("psykolog", 404), ("laeser", 403)]:
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.post(self.url("agree", None, version.number)).status_code, status)
        self.as_user("kurt")
        response = self.client.post(self.url("comment", None, version.number), {"text": "Ryggen er bedre om morgenen"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.client.post(self.url("comment", None, version.number), {"text": ""}).status_code, 400)
        self.as_user("leder")
        self.assertNotContains(self.client.get(self.url("plan")), "Ryggen er bedre")
        self.as_user("koordinator")
        self.assertContains(self.client.get(self.url("plan")), "Ryggen er bedre")

    def test_agreeing_to_a_superseded_version_is_a_conflict(self):
        self.as_user("bodil")
        response = self.client.post(self.url("agree", self.bodil, 1))
        self.assertEqual(response.status_code, 409)

    def test_manager_proposes_and_coordinator_accepts_into_a_new_version(self):
        self.as_user("leder")
        response = self.client.post(self.url("propose"), {"text": "Kurt kan også køre med palleløfter"})
        self.assertEqual(response.status_code, 302)
        proposal = Proposal.objects.get()
        self.as_user("kurt")
        self.assertEqual(self.client.post(self.url("propose"), {"text": "x"}).status_code, 403)
        self.as_user("laeser")
        self.assertEqual(
            self.client.post(
                self.url("decide", None, proposal.public_id), {"decision": "accept", "lock": 1}
            ).status_code,
            403,
        )
        self.as_user("koordinator")
        plan = Plan.objects.get(case=self.kurt)
        response = self.client.post(
            self.url("decide", None, proposal.public_id),
            {"decision": "accept", "note": "God idé", "lock": plan.version},
        )
        self.assertRedirects(response, self.url("version", None, 2))
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "accepted")
        draft = PlanVersion.objects.get(plan=plan, number=2)
        self.assertEqual(proposal.accepted_into, draft)
        self.assertIn("palleløfter", draft.reason)
        self.assertTrue(PlanChange.objects.filter(version=draft, action="proposal_accepted").exists())
        # Deciding twice is refused.
        self.client.post(
            self.url("decide", None, proposal.public_id), {"decision": "decline", "lock": plan.version + 1}
        )
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "accepted")

    def test_coordinator_declines(self):
        self.as_user("leder")
        self.client.post(self.url("propose"), {"text": "Mindre truckkørsel"})
        self.as_user("koordinator")
        proposal = Proposal.objects.get()
        self.client.post(self.url("decide", None, proposal.public_id), {"decision": "decline", "lock": 1})
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "declined")
        self.assertEqual(PlanVersion.objects.filter(plan__case=self.kurt).count(), 1)

    def test_activity_edit_and_remove(self):
        Plan.objects.filter(case=self.kurt).update(version=1)
        self.as_user("koordinator")
        plan = Plan.objects.get(case=self.kurt)
        self.client.post(self.url("revise"), {"reason": "Justering", "lock": plan.version})
        draft = PlanVersion.objects.get(plan=plan, number=2)
        activity = draft.activities.first()
        manager = Participant.objects.get(case=self.kurt, role="manager")
        response = self.client.post(
            self.url("activity_edit", None, activity.public_id),
            activity_post(draft.version, manager, what="Truckfører 20 timer"),
        )
        self.assertEqual(response.status_code, 302)
        draft.refresh_from_db()
        response = self.client.post(
            self.url("item_remove", None, "activity", activity.public_id), {"lock": draft.version}
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Activity.objects.filter(pk=activity.pk).exists())
        self.assertTrue(
            Activity.objects.filter(version=self.current(self.kurt), what__startswith="Virksomhedspraktik").exists()
        )
