"""`demo --cases N` adds synthetic cases with every part a case has, and on SQLite gives the connection's
page cache and disk waits back as they were after its bulk load."""

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from fasthold.cases.models import Case


class BulkLoadTests(TestCase):
    def pragmas(self):
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous")
            return cache, cursor.fetchone()[0]

    def test_synthetic_cases_are_added_and_the_settings_restored(self):
        call_command("demo", verbosity=0)
        before, cases = self.pragmas(), Case.objects.count()
        call_command("demo", cases=7, events=2, verbosity=0)
        self.assertEqual(Case.objects.count(), cases + 7)
        added = Case.objects.order_by("-pk")[:7]
        self.assertTrue(all(c.sort_name and c.deadlines.exists() and c.events.count() >= 2 for c in added))
        self.assertEqual(self.pragmas(), before)
