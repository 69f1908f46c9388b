"""`demo --cases N` adds synthetic cases with every part a case has, and on SQLite gives the connection's
page cache and disk waits back as they were after its bulk load (on PostgreSQL, the foreign-key checks)."""

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from fasthold.cases.models import Case


class BulkLoadTests(TestCase):
    def pragmas(self):
        if connection.vendor == "postgresql":
            # The load may turn the foreign-key checks off (a superuser's session_replication_role).
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('session_replication_role')")
                return cursor.fetchone()[0]
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
        if connection.vendor == "postgresql":
            self.assertEqual(before, "origin")
            # What was loaded without the checks refers only to rows that exist.
            from fasthold.cases.models import Employment, Participant, Person, TimelineEvent
            from fasthold.deadlines.models import Deadline

            cases_ = Case.objects.values("pk")
            self.assertFalse(Participant.objects.exclude(case_id__in=cases_).exists())
            self.assertFalse(TimelineEvent.objects.exclude(case_id__in=cases_).exists())
            self.assertFalse(Deadline.objects.exclude(case_id__in=cases_).exists())
            self.assertFalse(Case.objects.exclude(person_id__in=Person.objects.values("pk")).exists())
            employed = Case.objects.filter(employment_id__isnull=False)
            self.assertFalse(employed.exclude(employment_id__in=Employment.objects.values("pk")).exists())
