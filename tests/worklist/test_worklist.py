"""The coordinator's worklist: rows from what becomes due and what happens, handled with who and when,
for staff only, in a constant number of queries."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.choices import CaseStatus
from fasthold.deadlines.models import Deadline
from fasthold.deadlines.selectors import open_deadlines
from fasthold.screening.models import QuestionnaireResponse, ResponseSource
from fasthold.sharing import services as sharing
from fasthold.sharing.models import Category, Recipient
from fasthold.worklist.models import Kind, WorkItem
from fasthold.worklist.sync import sync
from tests.base import ALL_DEMOS, DemoWorldTestCase


class WorklistTests(DemoWorldTestCase):
    load_demos = ALL_DEMOS

    def page(self, username="koordinator", **query):
        self.as_user(username)
        return self.client.get(reverse("worklist:worklist"), query)

    def test_overdue_deadlines_become_rows_once_and_resolve_when_met(self):
        today = timezone.localdate()
        overdue = open_deadlines().filter(due__lt=today, case=self.kurt).exclude(key="contact_due").first()
        self.assertIsNotNone(overdue, "the demo has an overdue deadline in Kurt's case")
        sync(today)
        first = WorkItem.objects.count()
        self.assertTrue(WorkItem.objects.filter(kind=Kind.OVERDUE_DEADLINE, source_id=overdue.pk).exists())
        self.assertEqual(sync(today)[Kind.OVERDUE_DEADLINE], (0, 0), "a second run adds nothing")
        self.assertEqual(WorkItem.objects.count(), first)
        Deadline.objects.filter(pk=overdue.pk).update(done_on=today)
        added, resolved = sync(today)[Kind.OVERDUE_DEADLINE]
        self.assertEqual(resolved, 1)
        row = WorkItem.objects.get(kind=Kind.OVERDUE_DEADLINE, source_id=overdue.pk)
        self.assertIsNotNone(row.resolved_at)
        self.assertIsNone(row.handled_at)

    def test_a_deadline_that_moves_and_is_missed_again_is_a_new_row(self):
        """The calendar moves the next contact's date in place (same deadline row)."""
        today = timezone.localdate()
        contact = Deadline.objects.filter(case=self.kurt, key="contact_due").first()
        self.assertIsNotNone(contact)
        Deadline.objects.filter(pk=contact.pk).update(due=today - dt.timedelta(days=3), done_on=None, applicable=True)
        sync(today)
        rows = WorkItem.objects.filter(kind=Kind.NO_CONTACT, source_id=contact.pk)
        self.assertEqual(rows.unhandled().count(), 1)
        # A contact is logged: the next one falls due in three weeks; the old row resolves.
        Deadline.objects.filter(pk=contact.pk).update(due=today + dt.timedelta(days=21))
        sync(today)
        self.assertEqual(rows.unhandled().count(), 0)
        # Three weeks later it is missed again: a new row.
        later = today + dt.timedelta(days=25)
        sync(later)
        self.assertEqual(rows.unhandled().count(), 1)
        self.assertEqual(rows.count(), 2)

    def test_a_score_entered_in_error_leaves_the_worklist(self):
        from fasthold.plans.models import Measurement

        measurement = Measurement.objects.filter(sub_goal__version__plan__case=self.kurt).first()
        self.assertIsNotNone(measurement)
        WorkItem.objects.create(
            case=self.kurt,
            organisation=self.kurt.organisation,
            kind=Kind.NEW_MEASUREMENT,
            source_id=measurement.pk,
            occurred_on=timezone.localdate(),
        )
        sync()
        self.assertTrue(
            WorkItem.objects.unhandled().filter(kind=Kind.NEW_MEASUREMENT, source_id=measurement.pk).exists()
        )
        Measurement.objects.filter(pk=measurement.pk).update(error_at=timezone.now())
        sync()
        self.assertFalse(
            WorkItem.objects.unhandled().filter(kind=Kind.NEW_MEASUREMENT, source_id=measurement.pk).exists()
        )

    def test_a_reader_sees_the_worklist_without_the_button(self):
        sync()
        team = self.page("laeser", scope="team")
        self.assertEqual(team.status_code, 200)
        self.assertGreater(team.context["work"].total, 0)
        self.assertNotContains(team, "Mark handled")
        self.assertContains(self.page("koordinator", scope="team"), "Mark handled")

    def test_a_case_that_closes_takes_its_rows_with_it(self):
        sync()
        self.assertTrue(WorkItem.objects.unhandled().filter(case=self.kurt).exists())
        type(self.kurt).objects.filter(pk=self.kurt.pk).update(status=CaseStatus.CLOSED)
        Deadline.objects.filter(case=self.kurt).update(case_open=False)
        sync()
        self.assertFalse(WorkItem.objects.unhandled().filter(case=self.kurt).exists())

    def test_what_the_employee_does_herself_becomes_a_row_and_staff_entries_do_not(self):
        def response(source, user):
            return QuestionnaireResponse.objects.create(
                case=self.bodil,
                instrument_id="who5",
                instrument_version="1",
                raw=10,
                score=40,
                entered_by=user,
                source=source,
                answered_on=timezone.localdate(),
            )

        own = response(ResponseSource.SELF, self.users["bodil"])
        paper = response(ResponseSource.PAPER, self.users["koordinator"])
        kinds = WorkItem.objects.filter(kind=Kind.NEW_QUESTIONNAIRE)
        self.assertTrue(kinds.filter(source_id=own.pk, case=self.bodil).exists())
        self.assertFalse(kinds.filter(source_id=paper.pk).exists())

    def test_a_consent_given_and_withdrawn_are_two_rows(self):
        consent, _state = sharing.consent_give(
            actor=self.users["bodil"],
            case=self.bodil,
            category=Category.ILLNESS,
            recipient=Recipient.MANAGER,
            text="I have a back injury and cannot lift.",
        )
        rows = WorkItem.objects.filter(kind=Kind.CONSENT_CHANGE, source_id=consent.pk)
        self.assertEqual(list(rows.values_list("detail", flat=True)), ["given"])
        sharing.consent_withdraw(actor=self.users["bodil"], consent=consent)
        sync()
        self.assertEqual(sorted(rows.values_list("detail", flat=True)), ["given", "withdrawn"])
        sync()
        self.assertEqual(rows.count(), 2, "a withdrawal is one row however often the sync runs")

    def test_the_coordinator_sees_her_cases_by_kind_and_can_filter(self):
        sync()
        response = self.page()
        self.assertEqual(response.status_code, 200)
        work = response.context["work"]
        mine = WorkItem.objects.unhandled().filter(case__coordinator=self.users["koordinator"])
        self.assertEqual(work.total, mine.count())
        self.assertGreater(work.total, 0)
        for kind, n in work.counts.items():
            self.assertEqual(n, mine.filter(kind=kind).count())
        kind = next(iter(work.counts))
        filtered = self.page(kind=kind).context["work"]
        self.assertTrue(all(i.kind == kind for group in filtered.cases for i in group.items))
        self.assertContains(self.page(kind="nonsense"), "Worklist")  # an unknown kind shows everything

    def test_the_team_view_shows_the_organisations_cases(self):
        sync()
        other = self.users["kollega"] if "kollega" in self.users else None
        if other is not None:
            type(self.kurt).objects.filter(pk=self.kurt.pk).update(coordinator=other)
            sync()  # a change made outside the services is followed at the next sync
        mine = self.page().context["work"]
        team = self.page(scope="team").context["work"]
        self.assertGreaterEqual(team.total, mine.total)
        if other is not None:
            self.assertNotIn(self.kurt.pk, [g.case.pk for g in mine.cases])
            self.assertIn(self.kurt.pk, [g.case.pk for g in team.cases])

    def test_rows_follow_the_case_to_a_new_coordinator(self):
        from fasthold.cases import hooks

        sync()
        koordinator, kollega = self.users["koordinator"], self.users["kollega"]
        rows = WorkItem.objects.unhandled().filter(case=self.kurt)
        self.assertTrue(rows.exists())
        self.assertEqual(set(rows.values_list("coordinator", flat=True)), {koordinator.pk})
        # A handover moves them at once (the reassignment's hook)...
        type(self.kurt).objects.filter(pk=self.kurt.pk).update(coordinator=kollega)
        hooks.coordinator_changed([self.kurt.pk], koordinator.pk, kollega.pk)
        self.assertEqual(set(rows.values_list("coordinator", flat=True)), {kollega.pk})
        self.assertNotIn(self.kurt.pk, [g.case.pk for g in self.page("koordinator").context["work"].cases])
        # ...and an edit of the case's coordinator is followed at the next sync.
        type(self.kurt).objects.filter(pk=self.kurt.pk).update(coordinator=koordinator)
        sync()
        self.assertEqual(set(rows.values_list("coordinator", flat=True)), {koordinator.pk})

    def test_the_counts_stop_at_the_cap(self):
        from fasthold.worklist import selectors

        sync()
        today = timezone.localdate()
        WorkItem.objects.bulk_create(
            WorkItem(
                case=self.kurt,
                coordinator_id=self.kurt.coordinator_id,
                organisation_id=self.kurt.organisation_id,
                kind=Kind.MESSAGE,
                source_id=50_000 + i,
                occurred_on=today,
            )
            for i in range(selectors.COUNT_CAP + 5)
        )
        response = self.page()
        self.assertEqual(response.context["work"].counts[Kind.MESSAGE], selectors.COUNT_CAP)
        self.assertTrue(response.context["work"].capped)
        self.assertContains(response, f"{selectors.COUNT_CAP}+")

    def test_the_next_page_continues_where_the_first_ended(self):
        """More rows than a page: 'Show the next rows' leads on, no row twice and none left out, also
        when several rows share a date (the page boundary falls inside a day)."""
        from fasthold.worklist import selectors

        sync()
        today = timezone.localdate()
        WorkItem.objects.bulk_create(
            WorkItem(
                case=self.kurt,
                coordinator_id=self.kurt.coordinator_id,
                organisation_id=self.kurt.organisation_id,
                kind=Kind.MESSAGE,
                source_id=60_000 + i,
                occurred_on=today - dt.timedelta(days=i % 7),
            )
            for i in range(selectors.LIMIT * 2 + 17)
        )
        expected = list(
            WorkItem.objects.unhandled()
            .filter(coordinator=self.kurt.coordinator, kind=Kind.MESSAGE)
            .values_list("public_id", flat=True)
        )
        seen, query, pages = [], {"kind": Kind.MESSAGE}, 0
        while True:
            response = self.page(**query)
            self.assertEqual(response.status_code, 200)
            work = response.context["work"]
            seen += [item.public_id for group in work.cases for item in group.items]
            pages += 1
            if not response.context["next_query"]:
                break
            self.assertContains(response, "?" + response.context["next_query"].replace("&", "&amp;"))
            query = dict(pair.split("=") for pair in response.context["next_query"].split("&"))
            self.assertEqual(query["kind"], Kind.MESSAGE, "the next page keeps the filter")
        self.assertEqual(pages, 3)
        self.assertEqual(len(seen), len(set(seen)), "no row on two pages")
        self.assertEqual(set(seen), set(expected), "every row on some page")
        # A place that is not one is the first page, not an error.
        for bad in ("x", "2026-13-01.5", "2026-01-01.x", "'; DROP"):
            self.assertEqual(self.page(kind=Kind.MESSAGE, after=bad).status_code, 200)

    def test_only_staff_reach_the_worklist(self):
        for username in ("leder", "chef", "kurt", "bodil", "psykolog"):
            with self.subTest(username):
                self.assertEqual(self.page(username).status_code, 404)

    def test_marking_handled_keeps_who_and_when_and_is_audited(self):
        sync()
        item = WorkItem.objects.unhandled().filter(case=self.kurt).first()
        self.as_user("koordinator")
        url = reverse("worklist:handled", args=[item.public_id])
        response = self.client.post(url, {"next": reverse("worklist:worklist")})
        self.assertRedirects(response, reverse("worklist:worklist"))
        item.refresh_from_db()
        self.assertEqual(item.handled_by, self.users["koordinator"])
        self.assertIsNotNone(item.handled_at)
        self.assertTrue(
            AuditEntry.objects.filter(
                action=AuditAction.WORKLIST_HANDLED, case=self.kurt, actor=self.users["koordinator"]
            ).exists()
        )
        # A second click (a colleague's, say) changes nothing and says so.
        handled_at = item.handled_at
        response = self.client.post(url, follow=True)
        self.assertContains(response, "already handled")
        item.refresh_from_db()
        self.assertEqual(item.handled_at, handled_at)
        # The handled view lists it with the name.
        page = self.page(state="handled")
        self.assertContains(page, "Handled by")
        self.assertContains(page, self.users["koordinator"].display_name)
        # An unsafe "next" goes back to the worklist, not off site.
        other = WorkItem.objects.unhandled().filter(case=self.kurt).first()
        if other is not None:
            response = self.client.post(
                reverse("worklist:handled", args=[other.public_id]), {"next": "https://evil.example/"}
            )
            self.assertRedirects(response, reverse("worklist:worklist"))

    def test_readers_and_outsiders_may_not_mark_handled(self):
        sync()
        item = WorkItem.objects.unhandled().filter(case=self.kurt).first()
        url = reverse("worklist:handled", args=[item.public_id])
        self.as_user("laeser")
        self.assertEqual(self.client.post(url).status_code, 403)
        for username in ("leder", "kurt", "psykolog"):
            with self.subTest(username):
                self.as_user(username)
                self.assertEqual(self.client.post(url).status_code, 404)
        self.as_user("koordinator")
        self.assertEqual(self.client.get(url).status_code, 405)
        item.refresh_from_db()
        self.assertIsNone(item.handled_at)

    def test_the_page_costs_the_same_number_of_queries_with_more_rows(self):
        sync()
        self.page()

        def count():
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.page().status_code, 200)
            return len(ctx)

        before = count()
        today = timezone.localdate()
        extra = [
            WorkItem(
                case=case,
                coordinator_id=case.coordinator_id,
                organisation_id=case.organisation_id,
                kind=Kind.NEW_MEASUREMENT,
                source_id=10_000 + i,
                occurred_on=today - dt.timedelta(days=i),
            )
            for i, case in enumerate([self.kurt, self.bodil] * 20)
        ]
        WorkItem.objects.bulk_create(extra)
        self.assertEqual(count(), before)
