"""Issue 17, item 2: the demo's main pages, in Danish, show words meant for people: no raw choice value
of the cases app ("mental_stress"; one without an underscore when it stands alone, as "manager" did in
the audit log), no model field name ("closed_on"), no "---------" placeholder.

The coordinator opens Kurt's and Bodil's case pages and every page of the case they link to (two levels
down); the administrator opens the audit log."""

import html as htmllib
import re
from urllib.parse import urlsplit

from django.apps import apps
from django.db import models
from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases import choices
from tests.base import ALL_DEMOS, DemoWorldTestCase

HREF = re.compile(r'href="([^"#?]+)"')
# Values that are also ordinary Danish words ("en mentor" is Danish for a mentor).
DANISH_WORDS = {"mentor"}


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    # "open access" (a licence note's English term) is not the case status "open".
    return htmllib.unescape(html).replace("open access", "")


def raw_choice_values() -> set[str]:
    """Every value in fasthold/cases/choices.py that differs from its label (in English or Danish) and
    could be read as a word."""
    values = set()
    for name in dir(choices):
        kind = getattr(choices, name)
        if isinstance(kind, type) and issubclass(kind, models.Choices) and kind.__module__ == choices.__name__:
            for value, label in kind.choices:
                if isinstance(value, str) and not value.isdigit() and value != str(label) and value not in DANISH_WORDS:
                    values.add(value)
    return values


def field_names_with_underscore() -> set[str]:
    names = set()
    for model in apps.get_models():
        if model.__module__.startswith("fasthold."):
            for field in model._meta.get_fields():
                if "_" in field.name and not field.name.startswith("_"):
                    names.add(field.name)
    return names


class WordsForPeople(DemoWorldTestCase):
    load_demos = ALL_DEMOS
    language = "da"

    def problems(self, url: str, html: str) -> list[str]:
        text = visible_text(html)
        found = []
        if "---------" in html:
            found.append(f'{url}: "---------"')
        # A raw value shows as a data item of its own: a cell, or an item of a list ("illness, manager").
        # A value with an underscore is never a word, so it counts anywhere in the text.
        items = set()
        for node in re.split(r"<[^>]+>", re.sub(r"<(script|style|template)\b.*?</\1>", " ", html, flags=re.S)):
            for item in re.split(r"[,;:()]|\s[–-]\s", htmllib.unescape(node)):
                items.add(item.strip())
        for value in self.values:
            if value in items or ("_" in value and re.search(rf"(?<![\w/.-]){re.escape(value)}(?![\w/-])", text)):
                found.append(f"{url}: raw choice value {value!r}")
        for name in self.fields:
            if re.search(rf"(?<![\w/.-]){re.escape(name)}(?![\w/-])", text):
                found.append(f"{url}: field name {name!r}")
        return found

    def crawl(self, start_urls, *, below: str) -> dict[str, str]:
        pages, queue = {}, list(start_urls)
        for depth in range(3):
            nxt = []
            for url in queue:
                if url in pages:
                    continue
                response = self.client.get(url)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                pages[url] = response.content.decode()
                if depth < 2:
                    for href in HREF.findall(pages[url]):
                        path = urlsplit(href).path
                        if below in path and not path.endswith((".pdf", ".ics", ".json", ".zip", ".csv")):
                            nxt.append(path)
            queue = nxt
        return pages

    def test_the_demo_pages_show_no_internal_words(self):
        self.values = raw_choice_values()
        self.fields = field_names_with_underscore()
        self.assertIn("mental_stress", self.values)
        self.assertIn("closed_on", self.fields)
        found = []
        self.as_user("koordinator")
        for case in (self.kurt, self.bodil):
            start = reverse("cases:detail", args=[case.public_id])
            pages = self.crawl([start], below=str(case.public_id))
            self.assertGreater(len(pages), 10, "the case page links to its parts")
            for url, html in pages.items():
                found += self.problems(url, html)
        # A closure's audit row names the changed fields; the log shows their verbose names.
        AuditEntry.objects.create(
            organisation=self.kurt.organisation,
            case=self.kurt,
            action=AuditAction.CASE_UPDATED,
            fields=["closed_on", "outcome", "status", "version_2"],
        )
        self.as_user("admin")
        for url in (reverse("audit"),):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            found += self.problems(url, response.content.decode())
        self.maxDiff = None
        self.assertEqual(sorted(set(found)), [])
        self.assertNotIn("juridisk vurderet", "".join(pages.values()))
