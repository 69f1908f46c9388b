"""Security headers: a strict CSP, Permissions-Policy, Referrer-Policy and no-store on every page about a
person, for every page the coordinator and the manager can reach; static files stay cacheable; no
template needs inline script or style."""

import re
from pathlib import Path

from django.conf import settings
from django.templatetags.static import static
from django.test import TestCase, override_settings
from django.urls import reverse

from tests.base import ALL_DEMOS, DemoWorldTestCase, build_demo_world
from tests.security.world import RecordingClient, crawl_values
from tests.sharing.crawler import crawl

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Templates named *pdf.html are rendered by WeasyPrint into PDFs, never by a browser: their <style> is
# not subject to the CSP.
PDF_SUFFIX = "pdf.html"


def directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def header_problems(response) -> list[str]:
    problems = []
    csp = response.get("Content-Security-Policy")
    if not csp:
        problems.append("no Content-Security-Policy")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"Cache-Control {response.get('Cache-Control')!r}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy")
    if response.get("Referrer-Policy") != "same-origin":
        problems.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    return problems


class PolicyTests(TestCase):
    def test_the_policy_allows_no_inline_script_style_eval_plugin_framing_or_base(self):
        response = self.client.get(reverse("login"))
        csp = directives(response["Content-Security-Policy"])
        self.assertEqual(csp["default-src"], ["'self'"])
        self.assertEqual(csp["script-src"], ["'self'"])
        self.assertEqual(csp["style-src"], ["'self'"])
        self.assertEqual(csp["img-src"], ["'self'", "data:"])
        self.assertEqual(csp["object-src"], ["'none'"])
        self.assertEqual(csp["base-uri"], ["'none'"])
        self.assertEqual(csp["frame-ancestors"], ["'none'"])
        self.assertEqual(csp["form-action"], ["'self'"])
        self.assertNotIn("unsafe", response["Content-Security-Policy"])

    def test_permissions_policy_switches_off_sensors_payment_and_tracking(self):
        policy = self.client.get(reverse("login"))["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
            self.assertIn(f"{feature}=()", policy)

    def test_login_steps_are_not_stored_but_anonymous_guidance_may_be(self):
        self.assertIn("no-store", self.client.get(reverse("login"))["Cache-Control"])
        guidance = self.client.get(reverse("guidance:index"))
        self.assertEqual(guidance.status_code, 200)
        self.assertNotIn("no-store", guidance.get("Cache-Control", ""))
        self.assertIn("Content-Security-Policy", guidance)

    @override_settings(WHITENOISE_USE_FINDERS=True)  # without collectstatic, as in development
    def test_static_files_stay_cacheable(self):
        response = self.client.get(static("fasthold.css"))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("no-store", response.get("Cache-Control", ""))

    def test_templates_have_no_inline_script_style_or_event_handlers(self):
        offenders = []
        for path in sorted(TEMPLATES.rglob("*.html")):
            name = path.relative_to(TEMPLATES).as_posix()
            if name.endswith(PDF_SUFFIX):
                continue
            text = re.sub(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", "", path.read_text(), flags=re.S)
            for pattern in (
                r"\sstyle=",
                r"<style",
                r"<script(?![^>]*\ssrc=)",
                r"\son[a-z]+=",
                r"\shx-on",
                r"javascript:",
            ):
                if re.search(pattern, text):
                    offenders.append(f"{name}: {pattern}")
        self.assertEqual(offenders, [])

    def test_htmx_is_configured_not_to_inject_style_or_eval(self):
        self.client.force_login(build_demo_world(ALL_DEMOS).users["koordinator"])
        html = self.client.get(reverse("cases:list")).content.decode()
        self.assertIn('"includeIndicatorStyles": false', html)
        self.assertIn('"allowEval": false', html)


class EveryPageTests(DemoWorldTestCase):
    """Every page the coordinator and the manager reach (links and every URL pattern filled)."""

    load_demos = ALL_DEMOS

    def walk(self, username):
        user = self.world.users[username]
        self.client.force_login(user)
        start, seeds, conv = crawl_values(self.world, user)
        client = RecordingClient(self.client)
        result = crawl(client, start=start, seeds=seeds, conv_seeds=conv, per_pattern=50)
        self.assertEqual(result.unread, [], "the crawl did not read everything")
        ok = {url: client.responses[url] for url in (v.url for v in result.ok())}
        problems = {url: p for url, response in ok.items() if (p := header_problems(response))}
        self.assertEqual(problems, {})
        print(f"\nheaders: {username} read {len(ok)} pages and files, all with CSP and no-store")
        return ok

    def test_every_page_of_the_coordinator_has_the_headers(self):
        ok = self.walk("koordinator")
        types = {r.get("Content-Type", "").split(";")[0] for r in ok.values()}
        # The walk reached pages and downloads, so "no problems" means something.
        self.assertGreater(len(ok), 100)
        self.assertTrue({"text/html", "application/pdf", "text/calendar"} <= types, types)

    def test_every_page_of_the_manager_has_the_headers(self):
        ok = self.walk("leder")
        self.assertGreater(len(ok), 20)

    def test_the_token_calendar_feed_is_not_stored(self):
        from fasthold.deadlines.models import FeedToken

        token, _ = FeedToken.objects.get_or_create(user=self.world.users["leder"])
        response = self.client.get(reverse("deadlines:feed", args=[token.token]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(header_problems(response), [])
