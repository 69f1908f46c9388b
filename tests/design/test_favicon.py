"""The favicon: linked from every page, and /favicon.ico (which browsers ask for anyway) is not a 404."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client, TestCase


class FaviconTests(TestCase):
    def test_favicon_ico_leads_to_the_icon_without_login(self):
        response = Client().get("/favicon.ico")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], static("favicon.svg"))
        path = finders.find("favicon.svg")
        self.assertIsNotNone(path)
        with open(path, encoding="utf-8") as icon:
            self.assertTrue(icon.read().startswith("<svg"))

    def test_pages_link_the_icon(self):
        page = Client().get("/login/")
        self.assertContains(page, f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">')
