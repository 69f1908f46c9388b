"""The fitness-for-work statement (mulighedserklæring) on a case: the workflow from the request to what was
agreed, who may do what (coordinator, read-only staff, manager, employee, health professional, another
organisation's user), the doctor's part shown to the employer only while the employee shares it, conflicts,
bad input, the timeline and the audit and read logs."""

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Audience, TimelineEvent
from fasthold.coordination import services
from fasthold.coordination.models import PossibilityStatement, StatementEvent
from fasthold.kernel import ConflictError, NotAllowed
from tests.base import DemoWorldTestCase

PART2 = "SNTLSTATEMENTPART2 kan ikke løfte over 5 kg i fire uger"
JOB = "Sekretær: telefon, post og mødebooking"
ADAPT = "Færre timer, ingen telefonvagt om eftermiddagen"
FIELD = "possibility_statement.doctor_assessment"
READS = (AuditAction.HEALTH_VIEWED, AuditAction.SHARED_VIEWED)


class StatementTestCase(DemoWorldTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.today = timezone.localdate()
        cls.coordinator = cls.users["koordinator"]
        cls.statement = services.statement_request(
            actor=cls.users["chef"],
            case=cls.bodil,
            requested_on=cls.today - dt.timedelta(days=10),
            requested_by_name="Susanne Dahl",
        )
        services.statement_part1(
            actor=cls.users["chef"],
            statement=cls.statement,
            expected_version=1,
            conversation_on=cls.today - dt.timedelta(days=8),
            job_description=JOB,
            adaptations=ADAPT,
        )
        services.statement_dates(
            actor=cls.users["chef"],
            statement=cls.statement,
            expected_version=2,
            sent_on=cls.today - dt.timedelta(days=7),
            received_on=None,
        )
        services.statement_assessment(
            actor=cls.coordinator,
            statement=cls.statement,
            expected_version=3,
            received_on=cls.today - dt.timedelta(days=2),
            doctor_assessment=PART2,
        )

    def fresh(self):
        return PossibilityStatement.objects.get(pk=self.statement.pk)

    def url(self, name, statement=None, case=None):
        case = case or self.bodil
        if name in ("statements", "statement_request"):
            return reverse(f"coordination:{name}", args=[case.public_id])
        return reverse(f"coordination:{name}", args=[case.public_id, (statement or self.statement).public_id])

    def reads(self, username, since):
        return list(
            AuditEntry.objects.filter(
                actor=self.users[username], case=self.bodil, action__in=READS, pk__gt=since
            ).values_list("action", "fields")
        )

    def last_audit(self):
        return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class WorkflowTests(StatementTestCase):
    def test_steps_in_order_with_timeline_and_audit(self):
        statement = self.fresh()
        self.assertEqual(statement.version, 4)
        self.assertEqual(statement.step, "received")
        self.assertEqual((statement.job_description, statement.adaptations), (JOB, ADAPT))
        changed = services.statement_agreement(
            actor=self.users["chef"], statement=statement, expected_version=4, agreed="Start med 10 timer om ugen."
        )
        self.assertTrue(changed)
        self.assertEqual(self.fresh().step, "agreed")
        steps = list(
            TimelineEvent.objects.filter(case=self.bodil, kind=StatementEvent.POSSIBILITY_STATEMENT)
            .order_by("pk")
            .values_list("params__step", "audience")
        )
        self.assertEqual(
            steps,
            [("requested", "all"), ("part1", "all"), ("sent", "all"), ("part2", "all"), ("agreed", "all")],
        )
        # The timeline and the audit log name fields and steps, never the text.
        for event in TimelineEvent.objects.filter(case=self.bodil, kind=StatementEvent.POSSIBILITY_STATEMENT):
            self.assertNotIn("SNTL", str(event.params))
        rows = [
            (action, fields)
            for action, fields in AuditEntry.objects.filter(case=self.bodil)
            .order_by("pk")
            .values_list("action", "fields")
            if "possibility_statement" in fields
        ]
        self.assertIn((AuditAction.HEALTH_UPDATED, ["doctor_assessment", "possibility_statement", "received_on"]), rows)
        self.assertIn((AuditAction.CASE_UPDATED, ["agreed", "possibility_statement"]), rows)
        self.assertFalse(AuditEntry.objects.filter(fields__icontains="SNTL").exists())

    def test_several_statements_per_case(self):
        second = services.statement_request(
            actor=self.coordinator, case=self.bodil, requested_on=self.today, requested_by_name="Susanne Dahl"
        )
        self.assertEqual(list(self.bodil.possibility_statements.all()), [second, self.statement])

    def test_same_values_change_nothing(self):
        statement = self.fresh()
        before = self.last_audit()
        changed = services.statement_part1(
            actor=self.users["chef"],
            statement=statement,
            expected_version=statement.version,
            conversation_on=statement.conversation_on,
            job_description=JOB,
            adaptations=ADAPT,
        )
        self.assertFalse(changed)
        self.assertEqual(self.last_audit(), before)

    def test_conflict_writes_nothing(self):
        stale = self.fresh()
        services.statement_agreement(actor=self.coordinator, statement=self.fresh(), expected_version=4, agreed="A")
        with self.assertRaises(ConflictError):
            services.statement_agreement(actor=self.users["chef"], statement=stale, expected_version=4, agreed="B")
        self.assertEqual(self.fresh().agreed, "A")

    def test_date_rules(self):
        statement = self.fresh()
        cases = {
            "future": {"sent_on": self.today + dt.timedelta(days=1), "received_on": None},
            "received_on_too_early": {"sent_on": statement.sent_on, "received_on": statement.sent_on - dt.timedelta(1)},
            "sent_on_too_early": {"sent_on": statement.conversation_on - dt.timedelta(days=1), "received_on": None},
            "dates_missing": {"sent_on": None, "received_on": None},
        }
        for code, dates in cases.items():
            with self.subTest(code=code):
                with self.assertRaises(services.StatementError) as raised:
                    services.statement_dates(actor=self.coordinator, statement=statement, expected_version=4, **dates)
                self.assertEqual(raised.exception.code, code)

    def test_closed_case_takes_no_new_request(self):
        from fasthold.cases.models import CaseStatus

        type(self.bodil).objects.filter(pk=self.bodil.pk).update(status=CaseStatus.CLOSED)
        self.bodil.refresh_from_db()
        with self.assertRaises(NotAllowed):
            services.statement_request(
                actor=self.coordinator, case=self.bodil, requested_on=self.today, requested_by_name="Susanne"
            )

    def test_services_check_who_may(self):
        for username, call in (
            (
                "bodil",
                lambda u: services.statement_request(
                    actor=u, case=self.bodil, requested_on=self.today, requested_by_name="x"
                ),
            ),
            (
                "laeser",
                lambda u: services.statement_request(
                    actor=u, case=self.bodil, requested_on=self.today, requested_by_name="x"
                ),
            ),
            (
                "chef",
                lambda u: services.statement_assessment(
                    actor=u, statement=self.fresh(), expected_version=4, received_on=self.today, doctor_assessment="x"
                ),
            ),
            (
                "chef",
                lambda u: services.statement_share(actor=u, statement=self.fresh(), recipient="manager", share=True),
            ),
            (
                "psykolog",
                lambda u: services.statement_agreement(actor=u, statement=self.fresh(), expected_version=4, agreed="x"),
            ),
        ):
            with self.subTest(username=username), self.assertRaises(PermissionDenied):
                call(self.users[username])


class AccessTests(StatementTestCase):
    def test_statements_page_per_persona(self):
        expected = {
            "koordinator": 200,
            "laeser": 200,
            "chef": 200,
            "bodil": 200,
            "psykolog": 200,
            "leder": 404,  # another company's manager
            "kurt": 404,
            "anden": 404,  # another organisation's coordinator
        }
        for username, status in expected.items():
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.get(self.url("statements")).status_code, status)
                self.assertEqual(
                    self.client.get(self.url("statement_part1")).status_code,
                    404 if status == 404 else self.client.get(self.url("statement_part1")).status_code,
                )
        self.as_user("koordinator")
        self.assertEqual(
            self.client.get(f"/coordination/case/{self.bodil.public_id}/statements/{uuid.uuid4()}/part1/").status_code,
            404,
        )
        # A statement of another case, under this case's address: 404.
        other = services.statement_request(
            actor=self.coordinator, case=self.kurt, requested_on=self.today, requested_by_name="Peter Nielsen"
        )
        self.assertEqual(self.client.get(self.url("statement_part1", statement=other)).status_code, 404)

    def test_forms_per_persona(self):
        # 200: may; 403: may read but not change; 404: the employer side, for what it may not see.
        expected = {
            "statement_request": {
                "koordinator": 200,
                "laeser": 403,
                "chef": 200,
                "bodil": 403,
                "psykolog": 403,
                "anden": 404,
            },
            "statement_part1": {
                "koordinator": 200,
                "laeser": 403,
                "chef": 200,
                "bodil": 403,
                "psykolog": 403,
                "anden": 404,
            },
            "statement_dates": {
                "koordinator": 200,
                "laeser": 403,
                "chef": 200,
                "bodil": 403,
                "psykolog": 403,
                "anden": 404,
            },
            "statement_agreement": {
                "koordinator": 200,
                "laeser": 403,
                "chef": 200,
                "bodil": 403,
                "psykolog": 403,
                "anden": 404,
            },
            "statement_assessment": {
                "koordinator": 200,
                "laeser": 403,
                "chef": 404,
                "bodil": 403,
                "psykolog": 200,
                "anden": 404,
            },
        }
        for name, statuses in expected.items():
            for username, status in statuses.items():
                self.as_user(username)
                with self.subTest(name=name, username=username):
                    self.assertEqual(self.client.get(self.url(name)).status_code, status)

    def test_share_per_persona(self):
        post = {"recipient": "manager", "share": "1", "channel": "oral"}
        for username, status in (("chef", 404), ("psykolog", 403), ("laeser", 403), ("anden", 404), ("leder", 404)):
            self.as_user(username)
            with self.subTest(username=username):
                self.assertEqual(self.client.post(self.url("statement_share"), post).status_code, status)
        self.assertIsNone(self.fresh().shared_with_manager_at)

    def test_employer_portal_and_case_page_panel(self):
        self.as_user("chef")
        for url in (
            reverse("portals:employer_case", args=[self.bodil.public_id]),
            reverse("cases:detail", args=[self.bodil.public_id]),
        ):
            page = self.client.get(url).content.decode()
            with self.subTest(url=url):
                self.assertIn("Fitness-for-work statement", page)
                self.assertIn("Back from the doctor", page)
                self.assertIn(self.url("statement_request"), page)
                self.assertNotIn("SNTLSTATEMENTPART2", page)

    def test_employee_portal_shows_status_and_part1(self):
        self.as_user("bodil")
        page = self.client.get(reverse("portals:employee")).content.decode()
        self.assertIn("Back from the doctor", page)
        self.assertIn(JOB, page)
        self.assertIn(ADAPT, page)
        self.assertNotIn("SNTLSTATEMENTPART2", page)
        self.assertNotIn(self.url("statement_request"), page)


class ConsentTests(StatementTestCase):
    def test_part2_for_the_employer_only_while_shared(self):
        self.as_user("chef")
        page = self.client.get(self.url("statements")).content.decode()
        self.assertIn(JOB, page)
        self.assertNotIn("SNTLSTATEMENTPART2", page)
        # Bodil shares the doctor's part with her manager: seen, and the read logged as a shared read.
        self.as_user("bodil")
        response = self.client.post(self.url("statement_share"), {"recipient": "manager", "share": "1"})
        self.assertEqual(response.status_code, 302)
        self.as_user("chef")
        before = self.last_audit()
        page = self.client.get(self.url("statements")).content.decode()
        self.assertIn("SNTLSTATEMENTPART2", page)
        self.assertEqual(self.reads("chef", before), [(AuditAction.SHARED_VIEWED, [FIELD])])
        # Shared with the manager is not shared with HR.
        # Withdrawn: gone on the next page load.
        self.as_user("bodil")
        self.client.post(self.url("statement_share"), {"recipient": "manager", "share": "0"})
        self.as_user("chef")
        before = self.last_audit()
        page = self.client.get(self.url("statements")).content.decode()
        self.assertNotIn("SNTLSTATEMENTPART2", page)
        self.assertEqual(self.reads("chef", before), [])
        rows = list(
            AuditEntry.objects.filter(
                case=self.bodil, action__in=(AuditAction.CONSENT_GIVEN, AuditAction.CONSENT_WITHDRAWN)
            )
            .order_by("pk")
            .values_list("action", "fields")
        )
        self.assertEqual(
            rows[-2:],
            [(AuditAction.CONSENT_GIVEN, ["manager", FIELD]), (AuditAction.CONSENT_WITHDRAWN, ["manager", FIELD])],
        )
        events = TimelineEvent.objects.filter(case=self.bodil, params__step__in=["shared", "unshared"])
        self.assertEqual(set(events.values_list("audience", flat=True)), {Audience.PROFESSIONALS})

    def test_shared_with_hr_only_is_not_for_the_manager(self):
        services.statement_share(actor=self.users["bodil"], statement=self.fresh(), recipient="hr", share=True)
        self.as_user("chef")
        self.assertNotIn("SNTLSTATEMENTPART2", self.client.get(self.url("statements")).content.decode())

    def test_another_statement_shared_does_not_open_this_one(self):
        other = services.statement_request(
            actor=self.coordinator, case=self.bodil, requested_on=self.today, requested_by_name="Susanne Dahl"
        )
        services.statement_share(actor=self.users["bodil"], statement=other, recipient="manager", share=True)
        self.as_user("chef")
        self.assertNotIn("SNTLSTATEMENTPART2", self.client.get(self.url("statements")).content.decode())

    def test_coordinator_records_the_employees_word_with_how(self):
        self.as_user("koordinator")
        response = self.client.post(self.url("statement_share"), {"recipient": "manager", "share": "1"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Say how the employee gave their answer.", response.content.decode())
        self.assertIsNone(self.fresh().shared_with_manager_at)
        response = self.client.post(
            self.url("statement_share"), {"recipient": "manager", "share": "1", "channel": "paper"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertIsNotNone(self.fresh().shared_with_manager_at)
        event = TimelineEvent.objects.filter(case=self.bodil, params__step="shared").latest("pk")
        self.assertEqual(event.params["channel"], "paper")

    def test_health_readers_see_part2_and_each_read_is_logged(self):
        for username in ("koordinator", "laeser", "bodil", "psykolog"):
            self.as_user(username)
            before = self.last_audit()
            with self.subTest(username=username):
                page = self.client.get(self.url("statements")).content.decode()
                self.assertIn("SNTLSTATEMENTPART2", page)
                self.assertEqual(self.reads(username, before), [(AuditAction.HEALTH_VIEWED, [FIELD])])

    def test_pages_without_part2_log_no_read(self):
        self.as_user("koordinator")
        for url in (reverse("cases:detail", args=[self.bodil.public_id]), self.url("statement_part1")):
            before = self.last_audit()
            with self.subTest(url=url):
                page = self.client.get(url).content.decode()
                self.assertNotIn("SNTLSTATEMENTPART2", page)
                # The case page logs its own reads (the timeline's notes); never the doctor's part.
                self.assertFalse([f for _a, f in self.reads("koordinator", before) if FIELD in f])
        before = self.last_audit()
        self.assertIn("SNTLSTATEMENTPART2", self.client.get(self.url("statement_assessment")).content.decode())
        self.assertEqual(self.reads("koordinator", before), [(AuditAction.HEALTH_VIEWED, [FIELD])])


class FormTests(StatementTestCase):
    language = "da"

    def test_request_through_the_employer_portal(self):
        self.as_user("chef")
        response = self.client.get(self.url("statement_request"))
        self.assertContains(response, "Susanne Dahl")  # prefilled with the manager's name
        response = self.client.post(
            self.url("statement_request"), {"requested_on": self.today.isoformat(), "requested_by_name": "Susanne Dahl"}
        )
        self.assertRedirects(response, self.url("statements"), fetch_redirect_response=False)
        self.assertEqual(self.bodil.possibility_statements.count(), 2)

    def test_bad_input_is_400_with_the_input_kept(self):
        self.as_user("chef")
        future = (self.today + dt.timedelta(days=3)).isoformat()
        response = self.client.post(
            self.url("statement_request"), {"requested_on": future, "requested_by_name": "Min tekst"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Min tekst", status_code=400)
        self.assertEqual(self.bodil.possibility_statements.count(), 1)
        # A conversation before the request: the service's rule, on its field.
        statement = self.fresh()
        response = self.client.post(
            self.url("statement_part1"),
            {
                "version": statement.version,
                "conversation_on": (statement.requested_on - dt.timedelta(days=1)).isoformat(),
                "job_description": "Ny beskrivelse",
                "adaptations": "",
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Ny beskrivelse", status_code=400)
        self.assertEqual(self.fresh().job_description, JOB)
        # Too long text.
        response = self.client.post(
            self.url("statement_agreement"), {"version": statement.version, "agreed": "x" * 2001}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.fresh().agreed, "")

    def test_conflict_is_409_with_both_versions(self):
        self.as_user("chef")
        services.statement_agreement(
            actor=self.coordinator, statement=self.fresh(), expected_version=4, agreed="Gemt først"
        )
        response = self.client.post(self.url("statement_agreement"), {"version": 4, "agreed": "Mit forslag"})
        self.assertEqual(response.status_code, 409)
        page = response.content.decode()
        self.assertIn("Gemt først", page)
        self.assertIn("Mit forslag", page)
        self.assertIn('name="version" value="5"', page)
        self.assertNotIn("SNTLSTATEMENTPART2", page)  # the employer's conflict page shows no part 2
        self.assertEqual(self.fresh().agreed, "Gemt først")


class MoreTests(StatementTestCase):
    def test_hr_sees_the_doctors_part_only_when_shared_with_hr(self):
        from fasthold.cases.choices import ParticipantRole
        from fasthold.organisations.models import OrgRole
        from tests.base import add_user

        hr = add_user("hrstatement", (self.bodil.employment.employer, OrgRole.HR))
        self.bodil.participants.create(role=ParticipantRole.HR, user=hr, name="Helle HR")
        self.client.force_login(hr)
        self.assertNotIn("SNTLSTATEMENTPART2", self.client.get(self.url("statements")).content.decode())
        services.statement_share(actor=self.users["bodil"], statement=self.fresh(), recipient="manager", share=True)
        self.assertNotIn("SNTLSTATEMENTPART2", self.client.get(self.url("statements")).content.decode())
        services.statement_share(actor=self.users["bodil"], statement=self.fresh(), recipient="hr", share=True)
        self.assertIn("SNTLSTATEMENTPART2", self.client.get(self.url("statements")).content.decode())

    def test_timeline_words_each_step(self):
        services.statement_agreement(actor=self.coordinator, statement=self.fresh(), expected_version=4, agreed="x")
        services.statement_share(actor=self.users["bodil"], statement=self.fresh(), recipient="manager", share=True)
        self.as_user("koordinator")
        page = self.client.get(reverse("cases:detail", args=[self.bodil.public_id])).content.decode()
        for sentence in (
            "Fitness-for-work statement requested",
            "part 1 filled in at a conversation",
            "sent to the doctor",
            "the doctor&#x27;s part recorded",
            "what was agreed is recorded",
            "is shared with the manager",
        ):
            self.assertIn(sentence, page)
        # The manager's timeline has the steps, not the employee's consent (for professionals).
        self.as_user("chef")
        page = self.client.get(reverse("cases:detail", args=[self.bodil.public_id])).content.decode()
        self.assertIn("Fitness-for-work statement requested", page)
        self.assertNotIn("is shared with the manager", page)

    def test_statements_page_uses_a_fixed_number_of_queries(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def queries(username):
            self.as_user(username)
            with CaptureQueriesContext(connection) as ctx:
                self.assertEqual(self.client.get(self.url("statements")).status_code, 200)
            return len(ctx.captured_queries)

        before = {u: queries(u) for u in ("koordinator", "chef")}
        for _ in range(5):
            services.statement_request(
                actor=self.coordinator, case=self.bodil, requested_on=self.today, requested_by_name="Susanne Dahl"
            )
        self.assertEqual({u: queries(u) for u in ("koordinator", "chef")}, before)

    def test_the_employees_export_holds_the_statement(self):
        from fasthold.privacy.export import collect

        export = collect(self.bodil.person)
        labels = [s.label for s in export.case_sections[self.bodil.pk]]
        self.assertIn("coordination.PossibilityStatement", labels)
