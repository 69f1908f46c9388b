"""The kernel's fast paths, on SQLite and PostgreSQL alike: insert_rows (the bulk path of the demo, the
stored calendars and the worklist sync) writes what reads back as the ORM would have written it, and
prepared (the page frame's queries, compiled once) answers as the ORM does."""

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import EventKind, Participant, TimelineEvent
from fasthold.kernel import insert_rows
from fasthold.worklist.models import Kind, WorkItem
from tests.base import DemoWorldTestCase


class InsertRowsTest(DemoWorldTestCase):
    def test_values_read_back_as_written(self):
        when = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 30))
        params = {"text": "Samtale med lederen", "n": 3, "nested": {"ok": True}}
        n = insert_rows(
            TimelineEvent,
            ["case_id", "kind", "actor_id", "occurred_at", "params"],
            [(self.kurt.pk, EventKind.NOTE, None, when, params), (self.kurt.pk, EventKind.NOTE, None, when, {})],
        )
        self.assertEqual(n, 2)
        rows = list(TimelineEvent.objects.filter(case=self.kurt, occurred_at=when).order_by("pk"))
        self.assertEqual([r.params for r in rows], [params, {}])
        self.assertEqual(rows[0].occurred_at, when)
        self.assertEqual(rows[0].audience, TimelineEvent._meta.get_field("audience").default)  # a default filled in
        # Stored as the ORM stores it: a filter on the time finds it, and so does one on its day.
        self.assertEqual(TimelineEvent.objects.filter(case=self.kurt, occurred_at__date=when.date()).count(), 2)

    def test_callable_defaults_and_auto_now_are_per_row(self):
        before = timezone.now()
        insert_rows(
            WorkItem,
            ["case_id", "organisation_id", "kind", "source_id", "occurred_on"],
            [
                (self.kurt.pk, self.kurt.organisation_id, Kind.MESSAGE, 90000 + i, dt.date(2026, 3, i))
                for i in (1, 2, 3)
            ],
        )
        items = list(WorkItem.objects.filter(case=self.kurt, source_id__gte=90000).order_by("source_id"))
        self.assertEqual([i.occurred_on.day for i in items], [1, 2, 3])
        self.assertEqual(len({i.public_id for i in items}), 3, "each row gets its own UUID")
        self.assertTrue(all(i.created_at >= before and i.detail == "" for i in items))
        insert_rows(Participant, ["case_id", "role", "name"], [(self.kurt.pk, ParticipantRole.OTHER, "Ny")])
        added = Participant.objects.get(case=self.kurt, name="Ny")
        self.assertGreaterEqual(added.added_at, before, "auto_now_add is filled in")

    def test_more_rows_than_one_statement_takes(self):
        rows = [(self.kurt.pk, EventKind.NOTE, None, timezone.now(), {"i": i}) for i in range(1234)]
        self.assertEqual(
            insert_rows(TimelineEvent, ["case_id", "kind", "actor_id", "occurred_at", "params"], rows), 1234
        )
        self.assertEqual(
            sorted(
                r["i"]
                for r in TimelineEvent.objects.filter(case=self.kurt, params__has_key="i").values_list(
                    "params", flat=True
                )
            ),
            list(range(1234)),
        )

    def test_rows_streamed_from_a_query_on_the_same_connection(self):
        """The worklist's sync feeds insert_rows from a server-side cursor on PostgreSQL; its next fetch
        must not fall inside a COPY (a hang, before the COPY was taken in batches)."""
        rows = [(self.kurt.pk, EventKind.NOTE, None, timezone.now(), {"i": i}) for i in range(30)]
        insert_rows(TimelineEvent, ["case_id", "kind", "actor_id", "occurred_at", "params"], rows)
        source = (
            TimelineEvent.objects.filter(case=self.kurt, params__has_key="i")
            .values_list("case_id", "kind", "occurred_at", "params")
            .iterator(chunk_size=4)
        )
        copied = insert_rows(
            TimelineEvent,
            ["case_id", "kind", "occurred_at", "params"],
            ((case, kind, at, {"copy": p["i"]}) for case, kind, at, p in source),
            on_conflict="ON CONFLICT DO NOTHING",
        )
        self.assertEqual(copied, 30)
        self.assertEqual(TimelineEvent.objects.filter(case=self.kurt, params__has_key="copy").count(), 30)

    def test_on_conflict_clause(self):
        quote = connection.ops.quote_name
        fields = ["case_id", "organisation_id", "kind", "source_id", "detail", "occurred_on"]
        first = (self.kurt.pk, self.kurt.organisation_id, Kind.MESSAGE, 91000, "", dt.date(2026, 1, 1))
        again = first[:-1] + (dt.date(2026, 2, 1),)
        insert_rows(WorkItem, fields, [first])
        conflict = f"ON CONFLICT ({quote('kind')}, {quote('source_id')}, {quote('detail')})"
        insert_rows(WorkItem, fields, [again], on_conflict=conflict + " DO NOTHING")
        self.assertEqual(WorkItem.objects.get(source_id=91000).occurred_on, dt.date(2026, 1, 1))
        insert_rows(
            WorkItem,
            fields,
            [again],
            on_conflict=conflict + f" DO UPDATE SET {quote('occurred_on')} = excluded.{quote('occurred_on')}",
        )
        self.assertEqual(WorkItem.objects.get(source_id=91000).occurred_on, dt.date(2026, 2, 1))

    def test_one_dict_given_to_many_rows_and_distinct_dicts(self):
        """A dict is converted once for all the rows it is given to (remembered by identity); equal-looking
        but different dicts, and a dict made after another was freed, are each converted as they are."""
        shared = {"text": "Samme note"}
        rows = [(self.kurt.pk, EventKind.NOTE, None, timezone.now(), shared) for _ in range(5)]
        rows += [(self.kurt.pk, EventKind.NOTE, None, timezone.now(), {"flag": v}) for v in (1, True, 1.5)]
        rows += [(self.kurt.pk, EventKind.NOTE, None, timezone.now(), dict(text=str(i))) for i in range(50)]
        before = TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        insert_rows(TimelineEvent, ["case_id", "kind", "actor_id", "occurred_at", "params"], rows)
        stored = list(TimelineEvent.objects.filter(pk__gt=before).order_by("pk").values_list("params", flat=True))
        self.assertEqual(stored, [r[4] for r in rows])
        self.assertEqual([type(p["flag"]) for p in stored[5:8]], [int, bool, float])

    def test_database_errors_are_djangos(self):
        from django.db import IntegrityError

        with self.assertRaises(IntegrityError), transaction.atomic():
            insert_rows(Participant, ["case_id", "role", "name"], [(self.kurt.pk, ParticipantRole.OTHER, None)])


class InsertObjectsTest(DemoWorldTestCase):
    """kernel.reserve_ids and insert_objects: the demo's people, employments and cases go in with keys
    reserved first, and read back as bulk_create would have stored them."""

    def test_instances_get_their_keys_and_read_back(self):
        from fasthold.cases.models import Person
        from fasthold.kernel import insert_objects

        with transaction.atomic():
            people = insert_objects(Person, [Person(name=f"Person {i}", search_name=f"person {i}") for i in range(7)])
        keys = [p.pk for p in people]
        self.assertEqual(len(set(keys)), 7)
        self.assertTrue(all(k is not None for k in keys))
        self.assertEqual(
            list(Person.objects.filter(pk__in=keys).order_by("pk").values_list("pk", "name")),
            [(p.pk, p.name) for p in sorted(people, key=lambda p: p.pk)],
        )
        self.assertFalse(people[0]._state.adding)
        # The ORM goes on from there: a row saved the ordinary way gets a key none of them has.
        later = Person.objects.create(name="Efter")
        self.assertNotIn(later.pk, keys)
        self.assertGreater(later.pk, max(keys))

    def test_a_deleted_rows_key_is_not_given_again(self):
        from fasthold.cases.models import Person
        from fasthold.kernel import reserve_ids

        last = Person.objects.create(name="Slettes")
        gone = last.pk
        last.delete()
        with transaction.atomic():
            fresh = reserve_ids(Person, 3)
        self.assertEqual(len(set(fresh)), 3)
        self.assertTrue(all(k > gone for k in fresh), (gone, fresh))
        self.assertEqual(reserve_ids(Person, 0), [])

    def test_sqlite_refuses_outside_a_transaction(self):
        from fasthold.cases.models import Person
        from fasthold.kernel import reserve_ids

        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL's sequence needs no transaction")
        # The test case itself runs in a transaction; leave it to see the refusal.
        connection.in_atomic_block, was = False, connection.in_atomic_block
        try:
            with self.assertRaises(RuntimeError):
                reserve_ids(Person, 2)
        finally:
            connection.in_atomic_block = was


class PreparedTest(DemoWorldTestCase):
    """kernel.prepared: a query compiled once answers as the ORM does, for each value it is given."""

    def test_answers_as_the_orm_for_every_user(self):
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from fasthold.kernel import prepared

        User = get_user_model()

        def build(user_id):
            return User.objects.filter(pk=user_id).values("username").annotate(n=Count("memberships"))

        run = prepared(build)
        for user in User.objects.all():
            self.assertEqual(run(user.pk), list(build(user.pk)), user.username)
        self.assertEqual(run(-1), [], "a value no row has: no rows")

    def test_a_query_without_its_value_is_refused(self):
        from fasthold.kernel import prepared

        with self.assertRaises(ValueError):
            prepared(lambda _value: WorkItem.objects.filter(kind=Kind.MESSAGE).values("pk"))(1)


class RefreshStatisticsTest(DemoWorldTestCase):
    """kernel.refresh_statistics, the worker's daily job: SQLite's planner gets statistics for the tables
    (it keeps none until asked); on PostgreSQL autovacuum does it and the job does nothing."""

    def test_statistics_on_sqlite_and_nothing_on_postgresql(self):
        from fasthold.kernel import refresh_statistics

        ran = refresh_statistics()
        self.assertEqual(ran, connection.vendor == "sqlite")
        if ran:
            with connection.cursor() as cursor:
                cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'cases_case'")
                stats = [row[0] for row in cursor.fetchall()]
            self.assertTrue(stats, "the case table has statistics")
            self.assertTrue(all(int(s.split()[0]) >= 1 for s in stats), stats)

    def test_a_mostly_empty_column_is_not_taken_for_a_common_value(self):
        """ANALYZE counts a column's NULLs as one value: with few people logged in, "the person whose login
        is X" looked like a third of all people and the employee's case was found by scanning them all.
        After refresh_statistics the planner knows each login matches one person."""
        from fasthold.cases.models import Person
        from fasthold.kernel import insert_objects, refresh_statistics
        from fasthold.portals.selectors import employee_case

        if connection.vendor != "sqlite":
            self.skipTest("PostgreSQL keeps its own statistics (autovacuum), NULLs apart")
        insert_objects(Person, [Person(name=f"Uden login {i}", search_name=f"uden login {i}") for i in range(3000)])

        def estimate():
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA index_list(cases_person)")
                names = [row[1] for row in cursor.fetchall()]
                for name in names:
                    cursor.execute(f'PRAGMA index_info("{name}")')
                    if [row[2] for row in cursor.fetchall()] == ["user_id"]:
                        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE idx = %s", [name])
                        return int(cursor.fetchone()[0].split()[1])
            raise AssertionError("no index on cases_person.user_id")

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.assertGreater(estimate(), 100, "ANALYZE alone: the NULLs look like one common value")
        refresh_statistics()
        self.assertEqual(estimate(), 1)
        kurt_user = self.kurt.person.user
        plan = str(
            type(self.kurt)
            .objects.filter(person__user=kurt_user)
            .select_related("person", "employment__employer")
            .order_by("-first_sick_day")
            .explain()
        )
        self.assertNotIn("SCAN cases_person", plan)
        self.assertEqual(employee_case(kurt_user), self.kurt)
