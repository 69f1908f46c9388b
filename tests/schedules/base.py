from django.urls import reverse

from fasthold.plans.models import PlanVersion, VersionStatus
from tests.base import DemoWorldTestCase


class ScheduleTestCase(DemoWorldTestCase):
    load_demos = ("plans", "schedules")
    language = None  # these tests check markup, not wording: the default language stays

    def url(self, name, case=None, *args):
        return reverse(f"schedules:{name}", args=[(case or self.kurt).public_id, *args])

    def current(self, case) -> PlanVersion:
        return PlanVersion.objects.get(plan__case=case, status=VersionStatus.CURRENT)

    def revise(self, case):
        from fasthold.plans import services

        plan = case.plan
        plan.refresh_from_db()
        return services.plan_revise(
            actor=self.world.users["koordinator"],
            plan=plan,
            expected_version=plan.version,
            reason="Justering af optrapningen",
        )
