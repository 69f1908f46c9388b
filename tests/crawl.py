"""Crawl every page a logged-in persona can reach by following the links it is shown.

Shared by tests/i18n/test_every_page.py (every page's words, in Danish and English) and
tests/browser/test_every_page.py (every page in a real browser at phone and desktop width).

A crawl starts at the persona's home page and follows every same-site `<a href>` found in each HTML page,
breadth first. Pages are told apart by their route pattern (the URL resolver's route, so the 40 rows of a
list are one page) and the names of their query parameters; a bound per persona keeps it finite. Links
that log out, switch the language, download a file or leave the site are not followed; any other link is
fetched, and a response that is not HTML (decided by its Content-Type) is not crawled further. Every
link a persona is shown must open: a status of 400 or more, or a redirect to the login page, is a
failure the caller reports.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.urls import Resolver404, resolve, reverse

from fasthold.cases.demo import PERSONAS

# Every demo persona, by username, with its preferred language.
PERSONA_LANGUAGES = {username: language for username, _first, _last, language, _membership in PERSONAS}

# Not pages to look at: logging out, the language switch, static files, and file downloads.
SKIP = re.compile(
    r"(^/logout/|^/i18n/|^/static/|^/media/|^/favicon\.ico$"
    r"|\.(pdf|csv|ics|zip|svg|png|jpe?g|gif|json|xlsx?|docx?|txt|xml)$)",
    re.IGNORECASE,
)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
NUMBER = re.compile(r"(?<=/)\d+(?=/|$)")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag != "a":
            return
        attrs = dict(attrs)
        href = attrs.get("href")
        if href and "download" not in attrs:
            self.links.append(href)


def links(html: str) -> list[str]:
    """The hrefs of the page's `<a>` elements, in order (not those marked `download`)."""
    parser = _Links()
    parser.feed(html)
    return parser.links


def same_site_path(href: str, here: str = "/") -> str | None:
    """The path and query of a same-site link (without its fragment), or None for another site,
    mailto:, tel:, a bare fragment or a link that is skipped."""
    href, _fragment = urldefrag(href.strip())
    if not href:
        return None
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc not in ("testserver", "localhost") and not parts.netloc.startswith("127.0.0.1"):
        return None
    path = parts.path
    if not path.startswith("/"):  # relative: against the page's own path
        base = urlsplit(here).path
        path = base.rsplit("/", 1)[0] + "/" + path if path else base
    if SKIP.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def route_key(url: str) -> str:
    """What makes a page a different page: its route pattern and the names of its query parameters.
    A path that resolves to no route keeps its shape with ids replaced."""
    parts = urlsplit(url)
    try:
        route = resolve(parts.path).route
    except Resolver404:
        route = NUMBER.sub("<n>", UUID.sub("<uuid>", parts.path))
    names = sorted({name for name, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return route + ("?" + "&".join(names) if names else "")


@dataclass
class Visit:
    url: str  # as linked
    final_url: str  # after redirects
    status: int
    content_type: str
    html: str
    found_on: str
    route: str


@dataclass
class Crawl:
    pages: list[Visit] = field(default_factory=list)  # the HTML pages, in the order visited
    broken: list[str] = field(default_factory=list)  # "url (found on page): status"
    other: list[Visit] = field(default_factory=list)  # responses that are not HTML (downloads)
    bounded: bool = False  # True when the bound stopped the crawl


def crawl(client, start: str = "/", limit: int = 60) -> Crawl:
    """Follow the links of `client`'s (a logged-in django.test.Client) pages from `start`, breadth first,
    one page per route key, at most `limit` pages."""
    result = Crawl()
    client.raise_request_exception = False  # a page that fails is a 500 in the report, and the crawl goes on
    seen = {route_key(start)}
    queue = [(start, "(start)")]
    login = reverse("login")
    while queue:
        url, found_on = queue.pop(0)
        if len(result.pages) >= limit:
            result.bounded = True
            break
        response = client.get(url, follow=True)
        final = response.request["PATH_INFO"]
        if response.redirect_chain:
            final = response.redirect_chain[-1][0]
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 or (urlsplit(final).path.startswith(login) and not url.startswith(login)):
            result.broken.append(f"{url} (linked from {found_on}): {response.status_code} {final}")
            continue
        if not content_type.startswith("text/html"):
            result.other.append(Visit(url, final, response.status_code, content_type, "", found_on, route_key(url)))
            continue
        html = response.content.decode(response.charset or "utf-8")
        result.pages.append(Visit(url, final, response.status_code, content_type, html, found_on, route_key(url)))
        for href in links(html):
            path = same_site_path(href, urlsplit(final).path)
            if path is None:
                continue
            key = route_key(path)
            if key in seen:
                continue
            seen.add(key)
            queue.append((path, url))
    return result
