from django.test import TestCase
from django.urls import reverse

from fasthold.cases.demo import build_world
from fasthold.coordination.demo import load_demo


class ContactTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        load_demo(cls.world)
        cls.kurt, cls.bodil = cls.world.kurt, cls.world.bodil
        cls.users = cls.world.users

    def as_user(self, username):
        self.client.force_login(self.users[username])
        # The assertions quote the English messages; Danish is the default.
        self.client.cookies["django_language"] = "en"

    def url(self, name, case=None):
        return reverse(f"coordination:{name}", args=[(case or self.kurt).public_id])

    def participant(self, case, role):
        return case.participants.get(role=role)
