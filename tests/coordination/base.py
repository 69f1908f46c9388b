from django.urls import reverse

from tests.base import DemoWorldTestCase


class ContactTestCase(DemoWorldTestCase):
    load_demos = ("coordination",)

    def url(self, name, case=None):
        return reverse(f"coordination:{name}", args=[(case or self.kurt).public_id])

    def participant(self, case, role):
        return case.participants.get(role=role)
