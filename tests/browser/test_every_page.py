"""Every page each demo persona reaches by following its links, in a real browser at 390 px and 1280 px:
axe finds nothing, the page is no wider than the window, a table wider than its place sits in a named,
focusable scroll region, and the console shows no error (a chart's SVG that does not parse is one).

The pages are found as tests/i18n/test_every_page.py finds them (tests/crawl.py: one page per route
pattern, by the Django test client against the same database), then opened in Chromium in the persona's
language. It tests templates, not the database, so it runs on SQLite only.
"""

import time

import pytest
from django.db import connection
from django.test import Client

from tests.base import ALL_DEMOS, build_demo_world
from tests.browser.conftest import axe_violations
from tests.browser.test_tables_on_phones import TABLES
from tests.crawl import PERSONA_LANGUAGES, crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280)
PAGES_PER_PERSONA = 120
# The personas in an order that reaches the most different pages first. A route checked in the browser
# for one persona is not checked again for another persona of the same side (staff, or those outside the
# jobcentre: the employer side, the employees, the psychologist), whose page differs in its words rather
# than its parts (the words are checked for every persona by tests/i18n/test_every_page.py); each
# persona's start page is always checked. That keeps the test near five minutes on two cores.
ORDER = ("koordinator", "anden", "laeser", "admin", "kollega", "leder", "kurt", "psykolog", "chef", "bodil")
STAFF = {"koordinator", "anden", "laeser", "admin", "kollega"}


def _session_cookie(live_server, user, language) -> list[dict]:
    client = Client()
    client.force_login(user)
    return [
        {"name": name, "value": value, "url": live_server.url}
        for name, value in (("sessionid", client.cookies["sessionid"].value), ("django_language", language))
    ]


def _problems(page, width) -> list[str]:
    found = []
    violations = axe_violations(page)
    if violations:
        found.append(f"axe: {violations}")
    if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => !el.parentElement || el.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
        )
        found.append(f"wider than the window ({width} px): {wide}")
    for table in page.evaluate(TABLES):
        if not (table["fits"] or table["scrollable"]):
            found.append(f"table cut off without a named, focusable scroll region: {table['table']}")
    return found


def test_every_page_of_every_persona_in_a_browser(live_server, page):
    if connection.vendor == "postgresql":
        pytest.skip("tests the templates, not the database: the SQLite run covers it (CI runs both)")
    started = time.monotonic()
    world = build_demo_world(ALL_DEMOS)
    console: list[str] = []
    page.on("console", lambda m: console.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: console.append(f"page error: {e}"))
    report: list[str] = []
    checked: dict[bool, set[str]] = {True: set(), False: set()}
    visited = {}
    assert set(ORDER) == set(PERSONA_LANGUAGES)
    for username in ORDER:
        language = PERSONA_LANGUAGES[username]
        client = Client()
        client.force_login(world.users[username])
        client.cookies["django_language"] = language
        result = crawl(client, "/", limit=PAGES_PER_PERSONA)
        report += [f"{username}: broken link {broken}" for broken in result.broken]
        side = checked[username in STAFF]
        pages = [visit for number, visit in enumerate(result.pages) if number == 0 or visit.route not in side]
        side |= {visit.route for visit in pages}
        visited[username] = f"{len(pages)} of {len(result.pages)}"
        page.context.clear_cookies()
        page.context.add_cookies(_session_cookie(live_server, world.users[username], language))
        for visit in pages:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                console.clear()
                response = page.goto(live_server.url + visit.url, wait_until="load")
                where = f"{username} {width} px {visit.url}"
                if response is None or response.status >= 400:
                    report.append(f"{where}: status {response.status if response else None}")
                    continue
                report += [f"{where}: {problem}" for problem in _problems(page, width)]
                report += [f"{where}: {message}" for message in console]
    elapsed = time.monotonic() - started
    print(
        f"\nPages checked per persona (of those it reaches): {visited}; {sum(map(len, checked.values()))} routes in {elapsed:.0f} s"
    )
    assert report == [], f"\nPages per persona: {visited}\n" + "\n".join(report)


def test_the_checks_find_what_they_look_for(page):
    """A page with an unlabelled field, a table cut off, a page wider than the window and a console error."""
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 390, "height": 900})
    page.set_content(
        '<html lang="da"><head><title>Prøve</title></head><body><main><h1>Prøve</h1><input type="text">'
        '<div style="width: 200px; overflow-x: auto"><table><caption>Uger</caption><tr><td style="min-width: 900px">'
        'x</td></tr></table></div><div style="width: 1200px">bred</div>'
        '<svg width="10" height="10" viewBox="0 0 10"><path d="M 0 0 L"></path></svg></main></body></html>'
    )
    found = " ".join(_problems(page, 390))
    assert "axe" in found and "label" in found
    assert "wider than the window" in found
    assert "table cut off" in found
    assert console, "the SVG's bad viewBox and path give no console error"
