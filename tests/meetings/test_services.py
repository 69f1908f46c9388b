"""Meeting workflows: audit and timeline rows, invitations with .ics files, minutes and the next meeting,
agreements carried out, confirmations. No health text in params, audit rows or mails."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases.models import Audience, EventKind, HealthRecord, TimelineEvent
from fasthold.deadlines.models import Deadline
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.meetings import ics, selectors, services
from fasthold.meetings.models import (
    AgreementKind,
    Meeting,
    MeetingAgreement,
    MeetingConfirmation,
    MeetingKind,
    MeetingStatus,
)
from fasthold.meetings.services import MeetingError
from tests.meetings.base import MeetingTestCase


def health_texts(case) -> list[str]:
    health = HealthRecord.objects.get(case=case)
    return [
        t
        for t in (
            health.diagnosis,
            health.symptoms,
            health.treatment,
            "depression",
            "Depression",
            case.person.cpr,
            case.get_cause_category_display(),
        )
        if t
    ]


def parsed(message) -> list[dict]:
    attachment = message.attachments[0]
    assert attachment.get_content_type() == "text/calendar"
    return ics.parse(attachment.get_content())


class PlanTests(MeetingTestCase):
    def plan(self, **kwargs):
        people = list(self.bodil.participants.all())
        values = dict(
            actor=self.users["koordinator"],
            case=self.bodil,
            kind=MeetingKind.ROUND_TABLE,
            starts_at=self.later(3),
            duration_minutes=90,
            place="Limfjord Revision, mødelokale 1",
            video_link="https://video.example.org/room/42",
            purpose="At aftale en rolig start på arbejdet.",
            participants=people,
            agenda=[("Velkomst", "lead_welcome")],
            base_url="https://fasthold.example.dk/",
        )
        values.update(kwargs)
        with self.captureOnCommitCallbacks(execute=True):
            return services.meeting_plan(**values)

    def test_plan_writes_meeting_attendees_agenda_event_audit_and_calendar(self):
        meeting = self.plan()
        self.assertEqual(meeting.status, MeetingStatus.PLANNED)
        roles = [a.role for a in meeting.attendees.all()]
        self.assertEqual(roles, ["coordinator", "employee", "manager", "psychologist"])
        self.assertEqual(list(meeting.agenda.values_list("source", flat=True)), ["lead_welcome"])
        event = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.MEETING_PLANNED).latest("id")
        self.assertEqual(event.params["meeting"], str(meeting.public_id))
        self.assertEqual(event.audience, Audience.ALL)  # the manager takes part
        self.assertNotIn("purpose", event.params)
        entry = AuditEntry.objects.filter(case=self.bodil, action=AuditAction.MEETING_PLANNED).latest("id")
        self.assertEqual(entry.fields, ["agenda", "meeting"])
        # The next meeting in the calendar: Bodil's demo meeting is in 5 days, this one in 3.
        deadline = Deadline.objects.get(case=self.bodil, key="next_meeting")
        self.assertEqual(deadline.due, timezone.localdate() + dt.timedelta(days=3))

    def test_a_done_mark_does_not_stick_to_the_next_meeting(self):
        Deadline.objects.filter(case=self.bodil, key="next_meeting").update(done_on=timezone.localdate())
        self.plan()
        deadline = Deadline.objects.get(case=self.bodil, key="next_meeting")
        self.assertIsNone(deadline.done_on)

    def test_a_meeting_without_the_employer_is_for_professionals_only_in_the_timeline(self):
        people = list(self.bodil.participants.exclude(role="manager"))
        self.plan(participants=people)
        event = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.MEETING_PLANNED).latest("id")
        self.assertEqual(event.audience, Audience.PROFESSIONALS)

    def test_invitations_one_per_address_with_an_ics_and_no_health_text(self):
        meeting = self.plan()
        addresses = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(
            addresses, ["bodil@example.org", "chef@example.org", "koordinator@example.org", "psykolog@example.org"]
        )
        for message in mail.outbox:
            cal, event = parsed(message)
            self.assertEqual(cal["METHOD"], "REQUEST")
            self.assertEqual(event["UID"], f"meeting-{meeting.public_id}@fasthold")
            self.assertEqual(event["SEQUENCE"], "0")
            self.assertEqual(ics.parse_utc(event["DTSTART"]), meeting.starts_at)
            self.assertEqual(ics.parse_utc(event["DTEND"]), meeting.starts_at + dt.timedelta(minutes=90))
            self.assertEqual(event["SUMMARY"], "Møde om tilbagevenden til arbejdet")
            self.assertIn("Limfjord Revision, mødelokale 1", event["LOCATION"])
            self.assertEqual(event["ATTENDEE"], f"mailto:{message.to[0]}")
            self.assertTrue(event["URL"].startswith("https://fasthold.example.dk/meetings/"))
            whole = message.subject + message.body + message.attachments[0].get_content()
            for text in health_texts(self.bodil):
                self.assertNotIn(text, whole)
        # The manager sees the psychologist's role in general terms only.
        to_manager = next(m for m in mail.outbox if m.to == ["chef@example.org"])
        self.assertNotIn("Psykolog", to_manager.body)
        self.assertIn("Sundhedsprofessionel", to_manager.body)
        to_bodil = next(m for m in mail.outbox if m.to == ["bodil@example.org"])
        self.assertIn("Psykolog", to_bodil.body)
        entry = AuditEntry.objects.filter(case=self.bodil, action=AuditAction.INVITATION_SENT).latest("id")
        self.assertEqual(entry.fields, ["recipients:4", "request"])

    def test_a_shop_steward_is_told_of_a_health_professional_in_general_terms(self):
        from fasthold.cases.models import Participant

        Participant.objects.create(case=self.bodil, role="shop_steward", name="Tove Tillid", email="tr@example.org")
        self.plan()
        to_steward = next(m for m in mail.outbox if m.to == ["tr@example.org"])
        self.assertNotIn("Psykolog", to_steward.body)
        self.assertIn("Sundhedsprofessionel", to_steward.body)
        to_psychologist = next(m for m in mail.outbox if m.to == ["psykolog@example.org"])
        self.assertIn("Psykolog", to_psychologist.body)

    def test_invitation_language_follows_the_recipient(self):
        self.users["chef"].preferred_language = "en"
        self.users["chef"].save()
        self.plan()
        to_manager = next(m for m in mail.outbox if m.to == ["chef@example.org"])
        self.assertIn("Meeting about returning to work", to_manager.subject)
        self.assertEqual(parsed(to_manager)[1]["SUMMARY"], "Meeting about returning to work")

    def test_no_invitations_when_not_asked(self):
        self.plan(send_invitations=False)
        self.assertEqual(mail.outbox, [])

    def test_bad_input_writes_nothing(self):
        before = Meeting.objects.count()
        outsider = self.kurt.participants.get(role="manager")
        cases = [
            (dict(starts_at=timezone.now() - dt.timedelta(minutes=5)), "in_past"),
            (dict(participants=[*self.bodil.participants.all(), outsider]), "not_on_case"),
            (dict(participants=[]), "no_participants"),
            (dict(place="", video_link=""), "no_place"),
            (dict(video_link="javascript:alert(1)"), "video_link"),
            (dict(duration_minutes=2), "duration"),
        ]
        for kwargs, code in cases:
            with self.subTest(code=code), self.assertRaises(MeetingError) as raised:
                self.plan(**kwargs)
            self.assertEqual(raised.exception.code, code)
        self.assertEqual(Meeting.objects.count(), before)
        self.assertEqual(mail.outbox, [])


class ChangeAndCancelTests(MeetingTestCase):
    def test_change_bumps_sequence_and_tells_the_removed(self):
        meeting = self.bodil_meeting()
        people = list(self.bodil.participants.exclude(role="manager"))
        data = {"starts_at": meeting.starts_at + dt.timedelta(days=1), "place": "Jobcentret"}
        with self.captureOnCommitCallbacks(execute=True):
            changed = services.meeting_change(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                data=data,
                participants=people,
            )
        self.assertEqual(changed, ["participants", "place", "starts_at"])
        meeting.refresh_from_db()
        self.assertEqual(meeting.sequence, 1)
        self.assertEqual(sorted(a.role for a in meeting.attendees.all()), ["coordinator", "employee", "psychologist"])
        by_address = {m.to[0]: parsed(m) for m in mail.outbox}
        self.assertEqual(by_address["chef@example.org"][0]["METHOD"], "CANCEL")
        self.assertEqual(by_address["bodil@example.org"][0]["METHOD"], "REQUEST")
        self.assertEqual(by_address["bodil@example.org"][1]["SEQUENCE"], "1")
        self.assertEqual(
            Deadline.objects.get(case=self.bodil, key="next_meeting").due, timezone.localtime(data["starts_at"]).date()
        )
        entry = AuditEntry.objects.filter(action=AuditAction.MEETING_CHANGED).latest("id")
        self.assertEqual(entry.fields, ["participants", "place", "starts_at"])

    def test_stale_change_is_a_conflict(self):
        meeting = self.bodil_meeting()
        people = list(self.bodil.participants.all())
        services.meeting_change(
            actor=self.users["koordinator"],
            meeting=meeting,
            expected_version=meeting.version,
            data={"place": "A"},
            participants=people,
            send_invitations=False,
        )
        stale = Meeting.objects.get(pk=meeting.pk)
        with self.assertRaises(ConflictError):
            services.meeting_change(
                actor=self.users["kollega"], meeting=stale, expected_version=1, data={"place": "B"}, participants=people
            )
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).place, "A")

    def test_cancel_sends_cancel_and_clears_the_calendar(self):
        meeting = self.bodil_meeting()
        with self.captureOnCommitCallbacks(execute=True):
            services.meeting_cancel(actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version)
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, MeetingStatus.CANCELLED)
        self.assertEqual({parsed(m)[0]["METHOD"] for m in mail.outbox}, {"CANCEL"})
        self.assertEqual({parsed(m)[1]["SEQUENCE"] for m in mail.outbox}, {"1"})
        self.assertFalse(Deadline.objects.filter(case=self.bodil, key="next_meeting").exists())
        self.assertTrue(TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.MEETING_CANCELLED).exists())
        with self.assertRaises(NotAllowed):
            services.meeting_cancel(actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version)


class MinutesTests(MeetingTestCase):
    def started(self) -> Meeting:
        meeting = self.bodil_meeting()
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
        return Meeting.objects.get(pk=meeting.pk)

    def test_minutes_before_the_meeting_are_refused(self):
        meeting = self.bodil_meeting()
        with self.assertRaises(MeetingError) as raised:
            services.minutes_write(
                actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version, minutes="x"
            )
        self.assertEqual(raised.exception.code, "not_started")

    def test_minutes_hold_the_meeting_and_plan_the_next(self):
        meeting = self.started()
        first_item = meeting.agenda.first()
        with self.captureOnCommitCallbacks(execute=True):
            nxt = services.minutes_write(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                minutes="Vi talte om en rolig start.",
                private_note="Bodil sover dårligt.",
                done_items={first_item.pk},
                next_starts_at=self.later(14, 9),
            )
        meeting.refresh_from_db()
        self.assertEqual(meeting.status, MeetingStatus.HELD)
        self.assertEqual(meeting.next_meeting, nxt)
        self.assertTrue(meeting.agenda.get(pk=first_item.pk).done)
        self.assertEqual([a.role for a in nxt.attendees.all()], [a.role for a in meeting.attendees.all()])
        self.assertEqual(nxt.place, meeting.place)
        self.assertEqual(
            Deadline.objects.get(case=self.bodil, key="next_meeting").due, timezone.localdate() + dt.timedelta(days=14)
        )
        self.assertEqual(
            selectors.calendar_dates([self.bodil.pk]),
            {self.bodil.pk: [("next_meeting", timezone.localdate() + dt.timedelta(days=14), "coordinator")]},
        )
        held = TimelineEvent.objects.filter(case=self.bodil, kind=EventKind.MEETING_HELD).get()
        for text in ("Bodil sover", "rolig start"):
            self.assertNotIn(text, str(held.params))
        entry = AuditEntry.objects.filter(action=AuditAction.MEETING_MINUTES).latest("id")
        self.assertEqual(entry.fields, ["agenda", "minutes", "private_note", "status"])
        self.assertEqual(len(mail.outbox), 3)  # the next meeting's invitations
        for message in mail.outbox:
            self.assertNotIn("sover", message.body)

    def test_stale_minutes_conflict_and_keep_the_first(self):
        meeting = self.started()
        services.minutes_write(
            actor=self.users["koordinator"], meeting=meeting, expected_version=meeting.version, minutes="Først"
        )
        with self.assertRaises(ConflictError):
            services.minutes_write(
                actor=self.users["kollega"],
                meeting=Meeting.objects.get(pk=meeting.pk),
                expected_version=1,
                minutes="Anden",
            )
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).minutes, "Først")

    def test_next_meeting_in_the_past_is_refused_before_anything_is_written(self):
        meeting = self.started()
        with self.assertRaises(MeetingError):
            services.minutes_write(
                actor=self.users["koordinator"],
                meeting=meeting,
                expected_version=meeting.version,
                minutes="x",
                next_starts_at=timezone.now() - dt.timedelta(days=1),
            )
        self.assertEqual(Meeting.objects.get(pk=meeting.pk).status, MeetingStatus.PLANNED)


class AgreementTests(MeetingTestCase):
    def test_confirmation_records_the_hash_and_asks_again_after_a_change(self):
        meeting = self.kurt_follow_up()
        kurt = self.users["kurt"]
        self.assertEqual(selectors.awaiting_confirmation(kurt), [meeting])
        self.assertTrue(services.agreements_confirm(actor=kurt, meeting=meeting, seen_hash=meeting.agreements_hash))
        self.assertFalse(services.agreements_confirm(actor=kurt, meeting=meeting, seen_hash=meeting.agreements_hash))
        self.assertEqual(selectors.awaiting_confirmation(kurt), [])
        self.assertEqual(MeetingConfirmation.objects.filter(meeting=meeting, user=kurt).count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.AGREEMENTS_CONFIRMED, actor=kurt).count(), 1)
        event = TimelineEvent.objects.filter(case=self.kurt, kind=EventKind.AGREEMENTS_CONFIRMED).latest("id")
        self.assertNotIn("role", event.params)  # whose role confirmed is no business of the timeline's readers
        old_hash = meeting.agreements_hash
        agreement = meeting.agreements.first()
        data = {f: getattr(agreement, f) for f in services.AGREEMENT_FIELDS}
        services.agreement_update(
            actor=self.users["koordinator"],
            agreement=agreement,
            expected_version=meeting.version,
            data={**data, "due": agreement.due + dt.timedelta(days=7)},
        )
        meeting.refresh_from_db()
        self.assertNotEqual(meeting.agreements_hash, old_hash)
        # Everyone, Kurt included, is asked again.
        for username in ("kurt", "leder", "koordinator"):
            self.assertEqual(selectors.awaiting_confirmation(self.users[username]), [meeting], username)
        with self.assertRaises(ConflictError):
            services.agreements_confirm(actor=kurt, meeting=meeting, seen_hash=old_hash)
        self.assertTrue(services.agreements_confirm(actor=kurt, meeting=meeting, seen_hash=meeting.agreements_hash))

    def test_only_invited_logins_confirm(self):
        meeting = self.kurt_follow_up()
        with self.assertRaises(NotAllowed):
            services.agreements_confirm(actor=self.users["kollega"], meeting=meeting, seen_hash=meeting.agreements_hash)

    def test_task_rules_and_responsible_from_the_meeting(self):
        meeting = self.kurt_follow_up()
        other = Meeting.objects.filter(case=self.kurt).exclude(pk=meeting.pk).first().attendees.first()
        base = {
            "text": "Noget",
            "kind": AgreementKind.TASK,
            "responsible": None,
            "due": None,
            "contact_cadence_days": None,
            "contact_channel": "",
            "contact_responsible": "",
        }
        for data, code in [
            ({}, "task_incomplete"),
            ({"responsible": other, "due": timezone.localdate()}, "not_attendee"),
            ({"text": "  "}, "agreement_empty"),
            ({"kind": AgreementKind.CONTACT}, "contact_incomplete"),
        ]:
            with self.subTest(code=code), self.assertRaises(MeetingError) as raised:
                services.agreement_add(
                    actor=self.users["koordinator"],
                    meeting=meeting,
                    expected_version=meeting.version,
                    data={**base, **data},
                )
            self.assertEqual(raised.exception.code, code)

    def test_open_tasks_for_the_responsible_user(self):
        tasks = selectors.open_tasks_for(self.users["leder"])
        self.assertEqual(len(tasks), 1)
        self.assertEqual(tasks[0].meeting.case_id, self.kurt.pk)
        services.task_done(actor=self.users["leder"], agreement=tasks[0], done_on=timezone.localdate())
        self.assertEqual(selectors.open_tasks_for(self.users["leder"]), [])
        self.assertEqual(len(selectors.open_tasks_for(self.users["kurt"])), 1)

    def _activity_agreement(self, case):
        meeting = Meeting.objects.filter(case=case).first()
        responsible = meeting.attendees.get(role="manager")
        return services.agreement_add(
            actor=self.users["koordinator"],
            meeting=meeting,
            expected_version=meeting.version,
            data={
                "text": "Kurt prøver opgaver ved maskine 2.",
                "kind": AgreementKind.ACTIVITY,
                "responsible": responsible,
                "due": None,
                "contact_cadence_days": None,
                "contact_channel": "",
                "contact_responsible": "",
            },
        )

    def test_an_activity_needs_a_draft_plan(self):
        from fasthold.plans.demo import load_demo as load_plans

        load_plans(self.world)
        agreement = self._activity_agreement(self.kurt)
        with self.assertRaises(MeetingError) as raised:
            services.agreement_carry_out(actor=self.users["koordinator"], agreement=agreement)
        self.assertEqual(raised.exception.code, "no_draft_plan")
        self.assertEqual(MeetingAgreement.objects.get(pk=agreement.pk).carried_out, "")

    def test_an_activity_goes_into_the_draft_plan_once(self):
        from fasthold.plans import services as plan_services
        from fasthold.plans.demo import load_demo as load_plans
        from fasthold.plans.models import Plan

        load_plans(self.world)
        plan = Plan.objects.get(case=self.kurt)
        draft = plan_services.plan_revise(
            actor=self.users["koordinator"], plan=plan, expected_version=plan.version, reason="Aftaler fra mødet"
        )
        before = draft.activities.count()
        agreement = self._activity_agreement(self.kurt)
        self.assertEqual(services.agreement_carry_out(actor=self.users["koordinator"], agreement=agreement), "activity")
        activity = draft.activities.order_by("-position").first()
        self.assertEqual(draft.activities.count(), before + 1)
        self.assertEqual(activity.what, "Kurt prøver opgaver ved maskine 2.")
        self.assertEqual(activity.responsible_participant.role, "manager")
        with self.assertRaises(MeetingError):
            services.agreement_carry_out(actor=self.users["koordinator"], agreement=agreement)
        self.assertEqual(draft.activities.count(), before + 1)

    def test_a_contact_agreement_becomes_the_cases(self):
        from fasthold.coordination.models import ContactAgreement

        meeting = Meeting.objects.filter(case=self.kurt, kind=MeetingKind.JOINT).get()
        agreement = meeting.agreements.get(kind=AgreementKind.CONTACT)
        self.assertEqual(services.agreement_carry_out(actor=self.users["koordinator"], agreement=agreement), "contact")
        current = ContactAgreement.objects.get(case=self.kurt, current=True)
        self.assertEqual((current.cadence_days, current.channel, current.responsible), (7, "phone", "employer"))


class ContactWordingTests(MeetingTestCase):
    """The contact agreement is read by the employer: an agreement's words reach it only from a
    meeting the employer took part in."""

    def _carry_out(self, *, without_employer: bool):
        from fasthold.coordination.models import ContactAgreement

        meeting = Meeting.objects.filter(case=self.kurt, kind=MeetingKind.JOINT).get()
        if without_employer:
            meeting.attendees.filter(role__in=("manager", "hr")).delete()
        agreement = meeting.agreements.get(kind=AgreementKind.CONTACT)
        services.agreement_carry_out(actor=self.users["koordinator"], agreement=agreement)
        return agreement, ContactAgreement.objects.get(case=self.kurt, current=True)

    def test_with_the_employer_present_the_words_go_with_it(self):
        agreement, current = self._carry_out(without_employer=False)
        self.assertEqual(current.description, agreement.text[:300])

    def test_without_the_employer_the_words_stay_in_the_meeting(self):
        _, current = self._carry_out(without_employer=True)
        self.assertEqual(current.description, "")
