from django.test import TestCase
from django.urls import reverse

from fasthold.cases.demo import build_world
from fasthold.plans.demo import load_demo
from fasthold.plans.models import PlanVersion, VersionStatus


class PlanTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        load_demo(cls.world)
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil

    def as_user(self, username):
        self.client.force_login(self.world.users[username])
        # The assertions quote the English messages; Danish is the default.
        self.client.cookies["django_language"] = "en"

    def url(self, name, case=None, *args):
        return reverse(f"plans:{name}", args=[(case or self.kurt).public_id, *args])

    def current(self, case) -> PlanVersion:
        return PlanVersion.objects.get(plan__case=case, status=VersionStatus.CURRENT)
