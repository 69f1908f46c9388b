from django.test import TestCase
from django.urls import reverse

from fasthold.cases.demo import build_world
from fasthold.plans.demo import load_demo as load_plans
from fasthold.plans.models import PlanVersion, VersionStatus
from fasthold.schedules.demo import load_demo


class ScheduleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        load_plans(cls.world)
        load_demo(cls.world)
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil

    def as_user(self, username):
        self.client.force_login(self.world.users[username])

    def url(self, name, case=None, *args):
        return reverse(f"schedules:{name}", args=[(case or self.kurt).public_id, *args])

    def current(self, case) -> PlanVersion:
        return PlanVersion.objects.get(plan__case=case, status=VersionStatus.CURRENT)

    def revise(self, case):
        from fasthold.plans import services

        plan = case.plan
        plan.refresh_from_db()
        return services.plan_revise(actor=self.world.users["koordinator"], plan=plan,
                                    expected_version=plan.version, reason="Justering af optrapningen")
