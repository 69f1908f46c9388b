"""The 500s the form fuzz (test_form_fuzz.py) found, one by one, with the message the user sees."""

import datetime as dt
from importlib import import_module

from django import forms
from django.apps import apps
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from fasthold.cases.models import Participant
from fasthold.deadlines.engine.dates import add_working_days
from fasthold.forms import BoundedModelMultipleChoiceField
from fasthold.meetings.models import Meeting
from fasthold.plans import services as plan_services
from fasthold.plans.models import Activity
from tests.meetings.base import MeetingTestCase
from tests.plans.base import PlanTestCase
from tests.plans.test_versioning import activity_post

HUGE = 10**30
NOT_ON_CASE = "Only people taking part in the case can be invited."  # the form's own message, in English


class MeetingParticipantIdsTests(MeetingTestCase):
    """An id beyond 64 bits among the participants raised OverflowError on SQLite (a 500)."""

    def data(self, meeting=None, **overrides):
        day = add_working_days(timezone.localdate() + dt.timedelta(days=3), 0)  # meetings refuse days off
        data = {
            "kind": "joint",
            "date": day.isoformat(),
            "time": "10:00",
            "duration_minutes": 60,
            "place": "Kantinen",
            "video_link": "",
            "purpose": "Tal om en rolig start.",
            "purpose_agreed": "on",
            "participants": list(self.bodil.participants.values_list("pk", flat=True)) + [HUGE],
        }
        if meeting is not None:
            data["lock"] = meeting.version
        data.update(overrides)
        return data

    def test_plan_with_a_huge_participant_id_is_a_400_with_the_form_kept(self):
        self.as_user("koordinator")
        before = Meeting.objects.count()
        for participants in ([HUGE], [-HUGE], [*self.bodil.participants.values_list("pk", flat=True), HUGE]):
            with self.subTest(participants=participants):
                response = self.client.post(
                    reverse("meetings:plan", args=[self.bodil.public_id]),
                    self.data(participants=participants, purpose="Mit eget formål"),
                )
                self.assertContains(response, "Mit eget formål", status_code=400)
                self.assertContains(response, NOT_ON_CASE, status_code=400)
        self.assertEqual(Meeting.objects.count(), before)

    def test_edit_with_a_huge_participant_id_is_a_400(self):
        self.as_user("koordinator")
        meeting = self.bodil_meeting()
        response = self.client.post(self.url("edit", meeting), self.data(meeting))
        self.assertContains(response, NOT_ON_CASE, status_code=400)
        self.assertEqual(self.bodil_meeting().version, meeting.version)


class PlanActivitySubGoalIdsTests(PlanTestCase):
    """An activity's sub-goals are a multiple choice of ids: one beyond 64 bits was the same 500."""

    def setUp(self):
        plan = self.kurt.plan
        self.draft = plan_services.plan_revise(
            actor=self.world.users["koordinator"], plan=plan, expected_version=plan.version, reason="Justering"
        )
        self.as_user("koordinator")
        self.manager = Participant.objects.get(case=self.kurt, role="manager")

    def test_add_and_edit_an_activity_with_a_huge_sub_goal_id_is_a_400(self):
        activity = Activity.objects.filter(version=self.draft).first()
        for url in (
            self.url("activity_add", None, self.draft.number),
            self.url("activity_edit", None, activity.public_id),
        ):
            for sub_goals in ([HUGE], [-HUGE], [*self.draft.sub_goals.values_list("pk", flat=True), HUGE]):
                with self.subTest(url=url, sub_goals=sub_goals):
                    response = self.client.post(
                        url, {**activity_post(self.draft.version, self.manager), "sub_goals": sub_goals}
                    )
                    self.assertEqual(response.status_code, 400)
                    self.assertIn("sub_goals", response.context["form"].errors)
        self.assertEqual(Activity.objects.filter(version=self.draft).count(), 4)


class EveryMultipleChoiceOfRowsIsBoundedTests(SimpleTestCase):
    """The rule behind both fixes, for forms written later too: each multiple choice of rows in any
    app's forms.py refuses out-of-range ids (on PostgreSQL the same ids were a DataError)."""

    def test_every_model_multiple_choice_field_is_bounded(self):
        unbounded = []
        for app in apps.get_app_configs():
            if not app.name.startswith("fasthold."):
                continue
            try:
                module = import_module(f"{app.name}.forms")
            except ModuleNotFoundError:
                continue
            for name, cls in vars(module).items():
                if not (
                    isinstance(cls, type) and issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
                ):
                    continue
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(
                        field, BoundedModelMultipleChoiceField
                    ):
                        unbounded.append(f"{module.__name__}.{name}.{field_name}")
        self.assertEqual(unbounded, [])
