"""The case calendar's sources register themselves; the calendar imports none of them."""

import ast
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.apps import AppConfig, apps
from django.core.exceptions import AppRegistryNotReady
from django.test import SimpleTestCase
from django.urls import reverse

from fasthold.deadlines import registry
from fasthold.deadlines.models import LOCAL_PACK, Deadline
from fasthold.deadlines.services import calendar_refresh
from tests.base import DemoWorldTestCase
from tests.deadlines.calendar_source_app import apps as source_app

REPO = Path(__file__).resolve().parents[2]
DEADLINES = REPO / "fasthold" / "deadlines"
PROVIDERS = ("fasthold.coordination", "fasthold.meetings", "fasthold.plans")


class SourceFromAnAppTests(DemoWorldTestCase):
    def setUp(self):
        # As Django would at startup for an installed app: create its config and run its ready().
        AppConfig.create("tests.deadlines.calendar_source_app").ready()
        self.addCleanup(registry.unregister_source, "calendar_source_app")
        self.addCleanup(registry.unregister_local_rule, source_app.KEY)
        self.addCleanup(source_app.DUE.clear)
        self.addCleanup(source_app.CALLS.clear)

    def test_a_registered_source_appears_on_the_case_calendar(self):
        kurt = self.world.kurt
        due = kurt.first_sick_day + dt.timedelta(days=40)
        source_app.DUE[kurt.pk] = due
        calendar_refresh(kurt)
        self.assertIn([kurt.pk], source_app.CALLS)
        d = Deadline.objects.get(case=kurt, key=source_app.KEY)
        self.assertEqual((d.pack_id, d.due, d.responsible), (LOCAL_PACK, due, "employer"))
        self.assertEqual(d.title("en"), "Review by the test source")
        self.as_user("koordinator")
        response = self.client.get(reverse("deadlines:case", args=[kurt.public_id]))
        self.assertContains(response, "Review by the test source")
        self.assertContains(response, "Testkilden")

    def test_the_built_in_sources_still_give_their_dates_beside_it(self):
        kurt = self.world.kurt
        source_app.DUE[kurt.pk] = kurt.first_sick_day + dt.timedelta(days=40)
        calendar_refresh(kurt)
        keys = set(Deadline.objects.filter(case=kurt, pack_id=LOCAL_PACK).values_list("key", flat=True))
        self.assertIn("contact_due", keys)
        self.assertIn(source_app.KEY, keys)

    def test_a_date_the_source_no_longer_gives_leaves_the_calendar(self):
        kurt = self.world.kurt
        source_app.DUE[kurt.pk] = kurt.first_sick_day + dt.timedelta(days=40)
        calendar_refresh(kurt)
        source_app.DUE.clear()
        calendar_refresh(kurt)
        self.assertFalse(Deadline.objects.filter(case=kurt, key=source_app.KEY).exists())


class RegistryTests(SimpleTestCase):
    def test_registering_twice_is_harmless_but_a_second_provider_under_a_name_is_refused(self):
        provider = registry.sources()[0][1]
        name = registry.sources()[0][0]
        registry.register_source(name, provider)  # ready() may run again
        with self.assertRaises(ValueError):
            registry.register_source(name, lambda case_ids: {})
        rule = registry.local_rule("contact_due")
        registry.register_local_rule(rule.key, rule.title_da, rule.title_en, legal_ref=rule.legal_ref)
        with self.assertRaises(ValueError):
            registry.register_local_rule(rule.key, "Noget andet", "Something else")
        self.assertEqual(registry.local_rule("contact_due"), rule)

    def test_no_calendar_is_computed_before_every_app_is_ready(self):
        with mock.patch.object(apps, "ready", False), self.assertRaises(AppRegistryNotReady):
            registry.sources()

    def test_startup_registers_every_source_and_its_rules_before_anything_else_runs(self):
        # A fresh interpreter: nothing but django.setup(), as the server, the worker and the CLI start.
        code = (
            "import json, django; django.setup(); from fasthold.deadlines import registry; "
            "print(json.dumps([[n for n, _ in registry.sources()], sorted(registry.LOCAL_RULES)]))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        ).stdout
        names, keys = json.loads(out.strip().splitlines()[-1])
        # INSTALLED_APPS order, which is the order the rows were always written in.
        self.assertEqual(names, ["plans", "coordination", "meetings", "evaluation"])
        self.assertEqual(
            keys, ["contact_due", "follow_up_12m", "follow_up_3m", "follow_up_6m", "next_meeting", "plan_evaluation"]
        )


class LayeringTests(SimpleTestCase):
    def test_the_calendar_imports_none_of_its_sources(self):
        files = sorted(DEADLINES.rglob("*.py"))
        self.assertGreater(len(files), 5)
        offenders = []
        for path in files:
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
                else:
                    continue
                offenders += [
                    f"{path.relative_to(REPO)}:{node.lineno} {m}"
                    for m in modules
                    if any(m == p or m.startswith(p + ".") for p in PROVIDERS)
                ]
        self.assertEqual(offenders, [])

    def test_the_calendar_names_none_of_their_keys(self):
        # The keys belong to the apps that register them; the calendar's code must not know them.
        for path in sorted(DEADLINES.rglob("*.py")):
            text = path.read_text()
            for key in ("plan_evaluation", "contact_due", "next_meeting"):
                with self.subTest(path=path.name, key=key):
                    self.assertNotIn(f'"{key}"', text)
