"""A same-site crawler for the employer leak check: follows every link a user can reach, and also fills
every URL pattern of the project with the values it has seen, so a page reachable but not linked is read.

GET only. It never follows logout or the language switch. Each response's text is extracted by type:
HTML as served, PDF through pypdf, iCal and plain text as they are.

Nothing is dropped silently: what the cap or the per-pattern limit left unread, and every route no value
could fill, is counted in the result, so a leak check can fail instead of passing on a partial crawl.
"""

import io
import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

SKIP_PREFIXES = ("/logout/", "/i18n/", "/static/", "/media/")
HOSTS = ("testserver", "localhost", "127.0.0.1", "")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("a", "link") and a.get("href"):
            self.urls.append(a["href"])
        for attr in ("hx-get", "data-href"):
            if a.get(attr):
                self.urls.append(a[attr])
        if tag == "form" and (a.get("method") or "get").lower() == "get":
            self.urls.append(a.get("action") or "")
        if tag == "iframe" and a.get("src"):
            self.urls.append(a["src"])


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def response_text(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if content_type.startswith("application/pdf"):
        return pdf_text(body)
    return body.decode("utf-8", errors="replace")


def _normalise(url: str, base: str) -> str | None:
    absolute = urljoin(base, url)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https", ""):
        return None
    if parts.hostname not in HOSTS and parts.hostname is not None:
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "next")
    return path + ("?" + urlencode(query) if query else "")


@dataclass
class Visit:
    url: str
    status: int
    content_type: str
    text: str


@dataclass
class Crawl:
    visits: dict[str, Visit] = field(default_factory=dict)
    unread: list[str] = field(default_factory=list)  # queued, but the cap was reached first
    left_out: dict[str, int] = field(default_factory=dict)  # route -> combinations beyond the per-pattern limit
    unfilled: list[str] = field(default_factory=list)  # routes with a parameter no value was known for

    def ok(self) -> list[Visit]:
        return [v for v in self.visits.values() if v.status == 200]

    def of_type(self, prefix: str) -> list[Visit]:
        return [v for v in self.ok() if v.content_type.startswith(prefix)]


def patterns(resolvers=None, prefix: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern of the project as (route with converters, pattern)."""
    out = []
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            out += patterns(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            out.append((route, entry))
    return out


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def combinations(route: str, values_by_name: dict[str, list[str]], values_by_conv: dict[str, list[str]]) -> int:
    """How many concrete paths `fill` can make for a route."""
    total = 1
    for m in _PARAM.finditer(route):
        total *= len(values_by_name.get(m.group("name")) or values_by_conv.get(m.group("conv") or "str") or [])
    return total


def fill(
    route: str, values_by_name: dict[str, list[str]], values_by_conv: dict[str, list[str]], limit: int
) -> list[str]:
    """Concrete paths for a route: each parameter from the values seen under its name, else its type.
    At most `limit`; `combinations` says how many there are."""
    params = list(_PARAM.finditer(route))
    if not params:
        return ["/" + route.lstrip("^").rstrip("$")]
    choices = []
    for m in params:
        conv, name = m.group("conv") or "str", m.group("name")
        options = values_by_name.get(name) or values_by_conv.get(conv) or []
        if not options:
            return []
        choices.append(options)
    out = []
    for combo in itertools.islice(itertools.product(*choices), limit):
        path, last = "", 0
        for m, value in zip(params, combo):
            path += route[last : m.start()] + str(value)
            last = m.end()
        out.append("/" + path + route[last:])
    return out


def crawl(
    client,
    *,
    start: list[str],
    seeds: dict[str, list[str]],
    conv_seeds: dict[str, list[str]],
    enumerate_patterns: bool = True,
    cap: int = 3000,
    per_path: int = 3,
    per_pattern: int = 500,
) -> Crawl:
    """Breadth-first from `start`, then every pattern filled with the values seen so far (and `seeds`).

    A pattern whose first filled path answers GET with 405 is not filled further: the method is refused
    before the arguments are looked at (require_POST), so its other paths serve nothing either."""
    result = Crawl()
    queue: deque[str] = deque()
    variants: dict[str, int] = {}
    seen_by_name: dict[str, list[str]] = {k: list(v) for k, v in seeds.items()}
    seen_by_conv: dict[str, list[str]] = {k: list(v) for k, v in conv_seeds.items()}

    def push(url: str, base: str = "/") -> None:
        normal = _normalise(url, "http://testserver" + base)
        if normal is None or normal in result.visits or normal in queue:
            return
        path = normal.split("?", 1)[0]
        if "?" in normal:
            if variants.get(path, 0) >= per_path:
                return
            variants[path] = variants.get(path, 0) + 1
        queue.append(normal)

    def remember(path: str) -> None:
        try:
            match = resolve(path)
        except Resolver404:
            return
        for name, value in match.kwargs.items():
            bucket = seen_by_name.setdefault(name, [])
            if str(value) not in bucket:
                bucket.append(str(value))

    def drain() -> None:
        while queue and len(result.visits) < cap:
            url = queue.popleft()
            response = client.get(url)
            content_type = response.get("Content-Type", "")
            text = (
                response_text(response)
                if response.status_code == 200
                else response.content.decode("utf-8", errors="replace")
            )
            result.visits[url] = Visit(url, response.status_code, content_type, text)
            if response.status_code in (301, 302, 303, 307, 308):
                push(response["Location"], url)
                continue
            if response.status_code != 200:
                continue
            remember(url.split("?", 1)[0])
            if content_type.startswith("text/html"):
                parser = _Links()
                parser.feed(text)
                for link in parser.urls:
                    push(link, url)
            elif content_type.startswith("text/calendar"):
                for link in re.findall(r"https?://[^\s\"<>]+", text.replace("\r\n ", "")):
                    push(link, url)

    for url in start:
        push(url)
    drain()
    if enumerate_patterns:
        for route, _pattern in patterns():
            paths = fill(route, seen_by_name, seen_by_conv, per_pattern)
            if not paths:
                result.unfilled.append(route)  # never read: the caller decides whether that is acceptable
                continue
            total = combinations(route, seen_by_name, seen_by_conv)
            push(paths[0])
            drain()
            first = result.visits.get(_normalise(paths[0], "http://testserver/"))
            if first is not None and first.status == 405:
                continue
            if total > len(paths):
                result.left_out[route] = total - len(paths)
            for path in paths[1:]:
                push(path)
        drain()
    result.unread = list(queue)
    return result
