from django.urls import reverse

from tests.base import DemoWorldTestCase


class SharingTestCase(DemoWorldTestCase):
    load_demos = ("plans", "screening")

    def url(self, name, case=None, *args):
        return reverse(f"sharing:{name}", args=[(case or self.bodil).public_id, *args])
