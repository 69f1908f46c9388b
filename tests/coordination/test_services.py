"""The services: what they write (agreement versions, contacts, timeline, audit, calendar) and what they refuse."""

import datetime as dt

from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Audience, EventKind, Participant, TimelineEvent
from fasthold.coordination import selectors, services
from fasthold.coordination.models import ContactAgreement, ContactEntry
from fasthold.deadlines.models import Deadline
from fasthold.kernel import ConflictError
from tests.coordination.base import ContactTestCase

SECRET = "hemmelig helbredstekst"


class AgreementTests(ContactTestCase):
    def test_a_change_adds_a_version_keeps_history_and_writes_timeline_and_audit(self):
        actor = self.users["koordinator"]
        before = selectors.current_agreement(self.kurt)
        agreement = services.contact_agreement_set(
            actor=actor,
            case=self.kurt,
            cadence_days=7,
            responsible="employee",
            channel="video",
            description=SECRET,
            expected_version=before.version,
        )
        self.assertEqual(agreement.version, before.version + 1)
        self.assertEqual(
            list(ContactAgreement.objects.filter(case=self.kurt).values_list("version", "current")),
            [(2, True), (1, False)],
        )
        event = TimelineEvent.objects.filter(case=self.kurt, kind=EventKind.CONTACT_AGREEMENT).first()
        self.assertEqual(event.audience, Audience.ALL)
        self.assertEqual(event.params["cadence_days"], 7)
        self.assertNotIn(SECRET, str(event.params))
        audit = AuditEntry.objects.filter(case=self.kurt, action=AuditAction.CONTACT_AGREEMENT_CHANGED).get()
        self.assertEqual(audit.fields, ["cadence_days", "channel", "description", "responsible"])
        self.assertNotIn(SECRET, str(audit.fields))
        deadline = Deadline.objects.get(case=self.kurt, key="contact_due")
        self.assertEqual(deadline.responsible, "employee")
        self.assertEqual(deadline.due, selectors.contact_status(self.kurt).due)

    def test_same_terms_change_nothing(self):
        current = selectors.current_agreement(self.kurt)
        again = services.contact_agreement_set(
            actor=self.users["koordinator"],
            case=self.kurt,
            cadence_days=current.cadence_days,
            responsible=current.responsible,
            channel=current.channel,
            description=current.description,
        )
        self.assertEqual(again.pk, current.pk)
        self.assertEqual(ContactAgreement.objects.filter(case=self.kurt).count(), 1)

    def test_first_agreement_from_version_zero_and_stale_version_conflicts(self):
        case = self.world.kurt
        ContactAgreement.objects.filter(case=case).delete()
        first = services.contact_agreement_set(
            actor=self.users["koordinator"],
            case=case,
            cadence_days=14,
            responsible="employer",
            channel="phone",
            expected_version=0,
        )
        self.assertEqual(first.version, 1)
        with self.assertRaises(ConflictError):
            services.contact_agreement_set(
                actor=self.users["kollega"],
                case=case,
                cadence_days=7,
                responsible="employer",
                channel="phone",
                expected_version=0,
            )
        self.assertEqual(selectors.current_agreement(case).cadence_days, 14)

    def test_meeting_call_without_version_check(self):
        # The meetings piece turns a meeting's agreement into a contact agreement with exactly this call.
        agreement = services.contact_agreement_set(
            actor=self.users["koordinator"],
            case=self.bodil,
            cadence_days=10,
            responsible="coordinator",
            channel="meeting",
            description="",
            lighter_start_weeks=None,
            lighter_cadence_days=None,
            expected_version=None,
        )
        self.assertTrue(agreement.current)
        self.assertFalse(agreement.has_lighter_start)

    def test_bad_cadences_are_refused_before_anything_is_written(self):
        count = ContactAgreement.objects.count()
        for kwargs, code in (
            ({"cadence_days": 0}, "cadence_range"),
            ({"cadence_days": 365}, "cadence_range"),
            ({"lighter_start_weeks": 2}, "start_incomplete"),
            ({"lighter_start_weeks": 2, "lighter_cadence_days": 0}, "start_cadence_range"),
            ({"responsible": "gp"}, "bad_responsible"),
            ({"channel": "pigeon"}, "bad_channel"),
            ({"description": "x" * 301}, "description_too_long"),
        ):
            args = {"cadence_days": 7, "responsible": "employer", "channel": "phone", **kwargs}
            with self.subTest(kwargs=kwargs), self.assertRaises(services.ContactError) as caught:
                services.contact_agreement_set(actor=self.users["koordinator"], case=self.kurt, **args)
            self.assertEqual(caught.exception.code, code)
        self.assertEqual(ContactAgreement.objects.count(), count)


class ContactLogTests(ContactTestCase):
    def test_logging_writes_entry_event_audit_and_moves_the_due_date(self):
        self.assertTrue(selectors.contact_status(self.bodil).overdue)
        today = timezone.localdate()
        entry = services.contact_log(
            actor=self.users["chef"],
            case=self.bodil,
            occurred_on=today,
            channel="phone",
            with_participant=self.participant(self.bodil, ParticipantRole.EMPLOYEE),
            note=SECRET,
            audience=Audience.PROFESSIONALS,
        )
        # The employer's people always write for everyone.
        self.assertEqual(entry.audience, Audience.ALL)
        self.assertEqual(entry.with_name, "Bodil Sørensen")
        event = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.CONTACT_LOGGED).first()
        self.assertEqual(
            event.params,
            {"contact": str(entry.public_id), "channel": "phone", "date": today.isoformat(), "with_role": "employee"},
        )
        audit = AuditEntry.objects.filter(case=self.bodil, action=AuditAction.CONTACT_LOGGED).get()
        self.assertNotIn(SECRET, str(audit.fields))
        status = selectors.contact_status(self.bodil)
        self.assertFalse(status.overdue)
        self.assertEqual(status.last_contact, today)
        self.assertEqual(status.due, today + dt.timedelta(days=7))
        self.assertEqual(Deadline.objects.get(case=self.bodil, key="contact_due").due, status.due)

    def test_health_professionals_contacts_are_for_professionals_and_do_not_count(self):
        before = selectors.contact_status(self.bodil)
        entry = services.contact_log(
            actor=self.users["psykolog"],
            case=self.bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            with_coordinator=True,
            note="",
            audience=Audience.ALL,
        )
        self.assertEqual(entry.audience, Audience.PROFESSIONALS)
        self.assertTrue(entry.involves_health_professional)
        self.assertEqual(selectors.contact_status(self.bodil).due, before.due)
        # The coordinator calling the psychologist: also kept from the employer.
        psychologist = self.participant(self.bodil, ParticipantRole.PSYCHOLOGIST)
        entry = services.contact_log(
            actor=self.users["koordinator"],
            case=self.bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            with_participant=psychologist,
            audience=Audience.ALL,
        )
        self.assertEqual(entry.audience, Audience.PROFESSIONALS)
        event = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.CONTACT_LOGGED).first()
        self.assertEqual(event.audience, Audience.PROFESSIONALS)

    def test_a_done_mark_does_not_stick_to_the_next_due_date(self):
        deadline = Deadline.objects.get(case=self.bodil, key="contact_due")
        Deadline.objects.filter(pk=deadline.pk).update(done_on=timezone.localdate(), done_by=self.users["chef"])
        services.contact_log(
            actor=self.users["koordinator"],
            case=self.bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            with_name="Susanne Dahl",
            audience=Audience.ALL,
        )
        deadline.refresh_from_db()
        self.assertIsNone(deadline.done_on)
        self.assertGreater(deadline.due, timezone.localdate())

    def test_a_health_professionals_contact_leaves_the_employers_calendar_as_it_was(self):
        # The contact does not count, so the date stays; a vanishing done mark would tell the
        # employer that something happened on the case they cannot see.
        deadline = Deadline.objects.get(case=self.bodil, key="contact_due")
        Deadline.objects.filter(pk=deadline.pk).update(done_on=timezone.localdate(), done_by=self.users["chef"])
        services.contact_log(
            actor=self.users["psykolog"],
            case=self.bodil,
            occurred_on=timezone.localdate(),
            channel="phone",
            with_coordinator=True,
            audience=Audience.PROFESSIONALS,
        )
        after = Deadline.objects.get(case=self.bodil, key="contact_due")
        self.assertEqual(
            (after.due, after.done_on, after.done_by), (deadline.due, timezone.localdate(), self.users["chef"])
        )

    def test_bad_input_is_refused_and_nothing_written(self):
        today = timezone.localdate()
        other = Participant.objects.filter(case=self.kurt, role=ParticipantRole.MANAGER).get()
        psychologist = self.participant(self.bodil, ParticipantRole.PSYCHOLOGIST)
        count, events = ContactEntry.objects.count(), TimelineEvent.objects.count()
        cases = (
            ("koordinator", {"occurred_on": today + dt.timedelta(days=1), "with_name": "X"}, "future"),
            (
                "koordinator",
                {"occurred_on": self.bodil.first_sick_day - dt.timedelta(days=1), "with_name": "X"},
                "before_first_sick_day",
            ),
            ("koordinator", {"with_participant": other}, "not_on_case"),
            ("chef", {"with_participant": psychologist}, "not_on_case"),
            ("koordinator", {}, "with_whom_missing"),
            ("koordinator", {"with_name": "X", "with_coordinator": True}, "with_whom_missing"),
            ("koordinator", {"with_name": "X", "channel": "fax"}, "bad_channel"),
            ("koordinator", {"with_name": "X", "audience": "world"}, "bad_audience"),
            ("koordinator", {"with_name": "X", "note": "x" * 1001}, "note_too_long"),
        )
        for username, kwargs, code in cases:
            args = {"occurred_on": today, "channel": "phone", "audience": Audience.ALL, **kwargs}
            with self.subTest(code=code), self.assertRaises(services.ContactError) as caught:
                services.contact_log(actor=self.users[username], case=self.bodil, **args)
            self.assertEqual(caught.exception.code, code)
            self.assertNotIn("x" * 20, str(caught.exception))
        self.assertEqual((ContactEntry.objects.count(), TimelineEvent.objects.count()), (count, events))


class SelectorTests(ContactTestCase):
    def test_demo_status_kurt_on_time_bodil_overdue(self):
        kurt, bodil = selectors.contact_status(self.kurt), selectors.contact_status(self.bodil)
        self.assertFalse(kurt.overdue)
        self.assertTrue(bodil.overdue)
        self.assertGreater(bodil.days_overdue, 0)
        self.assertTrue(bodil.agreement.has_lighter_start)
        self.assertEqual(bodil.responsible, "employer")

    def test_recent_contacts_employer_view_only_notes_for_everyone(self):
        employer = selectors.recent_contacts(self.bodil, employer_view=True, limit=10)
        everyone = selectors.recent_contacts(self.bodil, employer_view=False, limit=10)
        self.assertTrue(employer)
        self.assertTrue(all(e.audience == Audience.ALL for e in employer))
        self.assertGreater(len(everyone), len(employer))
        self.assertEqual(len(selectors.recent_contacts(self.bodil, employer_view=False, limit=2)), 2)

    def test_no_agreement_no_contact_due_two_days_after_the_first_sick_day(self):
        other = self.world.orgs["clinic"].cases.get()
        status = selectors.contact_status(other)
        self.assertIsNone(status.agreement)
        self.assertEqual(status.due, other.first_sick_day + dt.timedelta(days=2))
        self.assertTrue(status.overdue)
        self.assertEqual(status.responsible, "coordinator")

    def test_calendar_dates_in_three_queries_for_any_number_of_cases(self):
        from fasthold.cases.models import Case

        ids = list(Case.objects.values_list("pk", flat=True))
        with self.assertNumQueries(3):
            dates = selectors.calendar_dates(ids)
        self.assertEqual(set(dates), set(ids))
        self.assertEqual(dates[self.bodil.pk], [("contact_due", selectors.contact_status(self.bodil).due, "employer")])
        with self.assertNumQueries(3):
            selectors.calendar_dates(ids[:1])
        self.assertEqual(selectors.calendar_dates([]), {})

    def test_closed_cases_have_no_contact_deadline(self):
        from fasthold.cases.services import case_close

        case_close(
            actor=self.users["koordinator"],
            case=self.bodil,
            expected_version=self.bodil.version,
            closed_on=timezone.localdate(),
            outcome="full_return",
        )
        self.assertEqual(selectors.calendar_dates([self.bodil.pk]), {})
        self.assertFalse(Deadline.objects.filter(case=self.bodil, key="contact_due").exists())
        self.assertFalse(selectors.contact_status(self.bodil).overdue)


class WordingTests(ContactTestCase):
    def test_messages_name_the_limits_of_the_cadence_module(self):
        from django.utils import translation

        from fasthold.coordination import cadence, forms

        translation.activate("en")
        self.addCleanup(translation.deactivate)
        self.assertIn(f"1 to {cadence.MAX_CADENCE_DAYS} days", str(forms.ERROR_MESSAGES["cadence_range"]))
        self.assertIn(f"1 to {cadence.MAX_CADENCE_DAYS} days", str(forms.ERROR_MESSAGES["start_cadence_range"]))
        self.assertIn(f"1 to {cadence.MAX_START_WEEKS} weeks", str(forms.ERROR_MESSAGES["start_weeks_range"]))

    def test_agreement_and_timeline_in_danish_and_english(self):
        from django.utils import translation

        from fasthold.coordination.wording import agreement_line, describe_event

        terms = {
            "cadence_days": 14,
            "responsible": "employer",
            "channel": "phone",
            "start_weeks": 2,
            "start_cadence_days": 1,
        }
        with translation.override("da"):
            self.assertEqual(
                agreement_line(**terms),
                "Hver 14. dag · Telefon · Initiativ: arbejdsgiveren (lederen) · De første 2 uger: hver dag",
            )
            self.assertEqual(
                describe_event(
                    EventKind.CONTACT_LOGGED, {"channel": "email", "date": "2026-03-04", "with_role": "manager"}
                ),
                "Kontakt med leder (mail), 04.03.2026",
            )
        with translation.override("en"):
            self.assertEqual(
                agreement_line(**terms),
                "Every 14 days · Phone · Initiative: the employer (the manager) · The first 2 weeks: every day",
            )
