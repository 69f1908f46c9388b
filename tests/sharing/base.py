from django.test import TestCase
from django.urls import reverse

from fasthold.cases.demo import build_world


class SharingTestCase(TestCase):
    load_demos = ("plans", "screening")

    @classmethod
    def setUpTestData(cls):
        import importlib

        cls.world = build_world()
        for app in cls.load_demos:
            importlib.import_module(f"fasthold.{app}.demo").load_demo(cls.world)
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil
        cls.users = cls.world.users

    def as_user(self, username):
        self.client.force_login(self.users[username])
        # The assertions quote the English messages; Danish is the default.
        self.client.cookies["django_language"] = "en"

    def url(self, name, case=None, *args):
        return reverse(f"sharing:{name}", args=[(case or self.bodil).public_id, *args])
