from django.urls import reverse

from fasthold.plans.models import PlanVersion, VersionStatus
from tests.base import DemoWorldTestCase


class PlanTestCase(DemoWorldTestCase):
    load_demos = ("plans",)

    def url(self, name, case=None, *args):
        return reverse(f"plans:{name}", args=[(case or self.kurt).public_id, *args])

    def current(self, case) -> PlanVersion:
        return PlanVersion.objects.get(plan__case=case, status=VersionStatus.CURRENT)
