"""Out-of-range input never gives a 500: every POST form the coordinator, the administrator, the manager
and the employee can open is sent back with one field at a time replaced by huge or negative integers, "1e309", "NaN",
nothing, very long or non-numeric text, year 9999 and year 1 dates, invalid choices and huge ids; then
every URL pattern that takes a POST and has no form on any page gets junk of the same kind.

Each POST runs in a savepoint that is rolled back, so a cancelled meeting or a removed agreement does
not hide the next form's paths. Failures are collected, not raised, so one run lists every 500.
"""

import datetime as dt
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from tests.base import ALL_DEMOS, DemoWorldTestCase
from tests.security.world import crawl_values
from tests.sharing.crawler import crawl, fill, patterns

HUGE, NEGATIVE = str(10**30), str(-(10**30))
LONG = "x" * 30_000
NUMBER = [HUGE, NEGATIVE, "1e309", "NaN", "-inf", "abc", "0.5", ""]
DATE = ["9999-12-31", "0001-01-01", "99999-01-01", "2026-02-30", HUGE, ""]
TIME = ["24:00", "99:99", HUGE, ""]
TEXT = [LONG, HUGE, ""]
HIDDEN = [HUGE, NEGATIVE, "NaN", "", "1e309", f"1,{HUGE}", LONG[:300]]
CHOICE = ["invalid-choice", HUGE, NEGATIVE, "NaN", ""]
SKIP = ("/logout/", "/i18n/", "/static/")
# The administrator's own forms (calendar settings, tools, task examples) are fuzzed as the administrator.
USERS = ("koordinator", "admin", "leder", "kurt")


@dataclass
class Field:
    name: str
    kind: str  # number, date, time, text, hidden, choice, multi (a checkbox group or select multiple)
    value: list[str]
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)

    def data(self) -> dict[str, list[str]]:
        return {f.name: list(f.value) for f in self.fields.values() if f.value}


class _Forms(HTMLParser):
    """The POST forms of a page with a plausible valid value in every field, as a user would fill them."""

    def __init__(self, page: str):
        super().__init__()
        self.page, self.forms, self.form, self.select, self.textarea = page, [], None, None, None
        self.today = dt.date.today()

    def add(self, name, kind, value, option=None):
        f = self.form.fields.setdefault(name, Field(name, kind, []))
        if option is not None and option not in f.options:
            f.options.append(option)
        if value is not None:
            f.value.append(value)

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if (a.get("method") or "get").lower() == "post":
                self.form = Form(urljoin(self.page, a.get("action") or self.page))
                self.forms.append(self.form)
            return
        if self.form is None or not a.get("name"):
            if tag == "option" and self.select is not None:
                self.option(a)
            return
        name, kind = a["name"], (a.get("type") or "text").lower()
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            if kind in ("checkbox", "radio"):
                group = "multi" if kind == "checkbox" else "choice"
                self.add(name, group, a.get("value", "on") if "checked" in a else None, a.get("value", "on"))
            elif kind in ("submit", "button", "image", "reset", "file"):
                if kind == "submit":
                    self.add(name, "choice", None, a.get("value", ""))
            elif kind == "number":
                self.add(name, "number", a.get("value") or a.get("min") or "1")
            elif kind == "date":
                self.add(name, "date", a.get("value") or (self.today + dt.timedelta(days=7)).isoformat())
            elif kind == "time":
                self.add(name, "time", a.get("value") or "10:00")
            elif kind == "hidden":
                self.add(name, "hidden", a.get("value", ""))
            elif kind == "email":
                self.add(name, "text", a.get("value") or "fuzz@example.org")
            elif kind == "url":
                self.add(name, "text", a.get("value") or "https://example.org/")
            elif kind == "password":
                self.add(name, "text", "fasthold-demo")
            else:
                self.add(name, "text", a.get("value") or "Fuzz")
        elif tag == "button" and kind == "submit":
            self.add(name, "choice", None, a.get("value", ""))
        elif tag == "select":
            self.select = name
            self.add(name, "multi" if "multiple" in a else "choice", None)
        elif tag == "textarea":
            self.textarea = name
            self.add(name, "text", None)

    def option(self, a):
        f = self.form.fields[self.select]
        value = a.get("value", "")
        f.options.append(value)
        if "selected" in a:
            f.value.append(value)

    def handle_data(self, data):
        if self.textarea and self.form:
            f = self.form.fields[self.textarea]
            f.value = [(f.value[0] if f.value else "") + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select:
            f = self.form.fields[self.select] if self.form else None
            if f and not f.value and f.kind == "choice":
                f.value = [next((o for o in f.options if o), "")]
            self.select = None
        elif tag == "textarea" and self.textarea:
            f = self.form.fields[self.textarea]
            if not f.value or not f.value[0].strip():
                f.value = ["Fuzz text"]
            self.textarea = None

    def close(self):
        super().close()
        for form in self.forms:
            for f in form.fields.values():
                if not f.value and f.options and f.kind == "choice":
                    # A radio group or the submit buttons: the first choice, as a click would send.
                    f.value = [f.options[0]]


# Per field, how many of its kind's values are sent. The values rotate from field to field, so every
# value is sent many times across the forms while a run stays short; the whole-form variants below
# send the values of every kind to every field.
PER_FIELD = {"number": 2, "date": 2, "time": 1, "hidden": 2, "choice": 1, "multi": 1, "text": 1}
VALUES = {
    "number": NUMBER,
    "date": DATE,
    "time": TIME,
    "hidden": HIDDEN,
    "choice": CHOICE,
    "multi": CHOICE,
    "text": TEXT,
}
WHOLE_FORM = [HUGE, NEGATIVE, "9999-12-31", "0001-01-01"]


def variants(f: Field, turn: int) -> list[list[str]]:
    values = VALUES[f.kind]
    out = [[values[(turn + i) % len(values)]] for i in range(PER_FIELD[f.kind])]
    if f.kind == "multi":
        out.append([*f.options, HUGE])  # a huge id among the valid ones
    return out


def signature(f: Field) -> tuple:
    """Fields that differ only in name and take the same choices (the radio rows of a questionnaire)
    are validated alike: one of them is enough."""
    return (f.kind, tuple(f.options)) if f.kind in ("choice", "multi") and f.options else (f.name,)


def route_name(path: str) -> str | None:
    try:
        return resolve(path).route
    except Resolver404:
        return None


class _Rollback(Exception):
    pass


class FormPages:
    """The test client for the crawl, without rendering PDFs: they hold no forms and take most of the time."""

    def __init__(self, client):
        self.client = client

    def get(self, url, *args, **kwargs):
        if url.split("?")[0].endswith(".pdf"):
            return HttpResponse(b"", content_type="application/octet-stream")
        return self.client.get(url, *args, **kwargs)


class FormFuzz(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The demo's plans are all published; the plan's and the schedule's edit forms need a draft.
        from fasthold.plans import services as plan_services
        from fasthold.plans.models import Plan

        plan = Plan.objects.get(case=cls.world.kurt)
        plan_services.plan_revise(
            actor=cls.world.users["koordinator"], plan=plan, expected_version=plan.version, reason="Fuzz"
        )

    def setUp(self):
        self.client.raise_request_exception = False
        self.failures: list[str] = []
        self.requests = self.turn = 0

    def post(self, user, path: str, data: dict, what: str) -> int:
        """POST and roll back; a 500 is recorded, not raised. Logs the user in again if the POST
        replaced the session (the rollback would leave the client with a session that no longer exists)."""
        session = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        session = session.value if session else None
        try:
            with transaction.atomic():
                response = self.client.post(path, data)
                raise _Rollback
        except _Rollback:
            pass
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{user.username} POST {path} {what}: {response.status_code}")
        after = self.client.cookies.get(settings.SESSION_COOKIE_NAME)
        if (after.value if after else None) != session:
            self.client.force_login(user)
        return response.status_code

    def forms_of(self, user, *, every_pattern: bool) -> tuple[list[Form], dict[str, list[str]]]:
        """The POST forms on every page `user` reaches (one per action route),
        and the URL parameter values seen on the way, by name."""
        self.client.force_login(user)
        start, seeds, conv = crawl_values(self.world, user)
        # A few paths per pattern: each route's form is fuzzed once, so more instances add only time.
        result = crawl(
            FormPages(self.client),
            start=start,
            seeds=seeds,
            conv_seeds=conv,
            per_pattern=3,
            enumerate_patterns=every_pattern,
        )
        found: dict[str, Form] = {}
        names: dict[str, list[str]] = {k: list(v) for k, v in seeds.items()}
        for visit in result.ok():
            try:
                kwargs = resolve(visit.url.split("?")[0]).kwargs
            except Resolver404:
                kwargs = {}
            for name, value in kwargs.items():
                if str(value) not in names.setdefault(name, []):
                    names[name].append(str(value))
            if not visit.content_type.startswith("text/html"):
                continue
            parser = _Forms("http://testserver" + visit.url)
            parser.feed(visit.text)
            parser.close()
            for form in parser.forms:
                path = urlsplit(form.action).path
                if path.startswith(SKIP) or (route := route_name(path)) is None:
                    continue
                form.action = path + ("?" + urlsplit(form.action).query if urlsplit(form.action).query else "")
                # The form with the most fields stands for its route (agendas differ only in their items).
                if len(form.fields) >= len(found.get(route, Form("")).fields):
                    found[route] = form
        return list(found.values()), names

    def fuzz_form(self, user, form: Form, *, whole_only: bool = False) -> int:
        base = form.data()
        fields, seen = 0, set()
        for f in form.fields.values():
            if whole_only or signature(f) in seen:
                continue
            seen.add(signature(f))
            fields += 1
            self.turn += 1
            for value in variants(f, self.turn):
                self.post(user, form.action, {**base, f.name: value}, f"{f.name}={value[-1][:20]!r}")
        # Every field out of range at once: no clean() may assume another field was valid.
        for value in WHOLE_FORM[::2] if whole_only else WHOLE_FORM:
            self.post(user, form.action, {name: [value] for name in form.fields}, f"all fields {value[:20]!r}")
        return fields

    def test_no_form_answers_out_of_range_input_with_a_500(self):
        started = time.monotonic()
        counts = {"forms": 0, "fields": 0}
        fuzzed_routes: set[str] = set()
        names = {}
        for username in USERS:
            user = self.world.users[username]
            # The coordinator reaches every page, linked or not; the others' forms are on their pages' links.
            forms, seen = self.forms_of(user, every_pattern=username == "koordinator")
            names = names or seen
            for form in forms:
                route = route_name(urlsplit(form.action).path)
                counts["forms"] += 1
                # A form the coordinator's run already took apart field by field: the manager's and the
                # employee's copy gets the whole-form variants (their own access and branches).
                counts["fields"] += self.fuzz_form(user, form, whole_only=route in fuzzed_routes)
                fuzzed_routes.add(route)

        # Every other pattern, as the coordinator: junk under the usual field names (405: GET only).
        user = self.world.users["koordinator"]
        self.client.force_login(user)
        _, _, conv = crawl_values(self.world, user)
        junk = {
            name: [HUGE]
            for name in (
                "lock",
                "id",
                "pk",
                "number",
                "version",
                "agreements",
                "participants",
                "done",
                "key",
                "kind",
                "date",
                "day",
                "hours",
                "score",
                "answer",
            )
        }
        post_routes = len(fuzzed_routes)
        for route, _pattern in patterns():
            paths = fill(route, names, conv, 1)
            if route in fuzzed_routes or not paths or paths[0].startswith(SKIP):
                continue
            if self.post(user, paths[0], junk, "junk") != 405:
                post_routes += 1

        elapsed = time.monotonic() - started
        print(
            f"\nform fuzz: {counts['forms']} forms, {counts['fields']} fields, {self.requests} POSTs, "
            f"{post_routes} routes do not refuse POST ({len(fuzzed_routes)} through a form), {elapsed:.1f} s"
        )
        self.assertGreater(counts["forms"], 30, "the crawl found too few forms to mean anything")
        self.assertEqual(self.failures, [], "\n" + "\n".join(self.failures))
