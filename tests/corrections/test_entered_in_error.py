"""Marking a note, contact, measurement, minutes or agreement as entered in error: who may, the reason,
the audit row, struck through for staff and gone for everyone else (pages, portals, figures)."""

from django.urls import reverse

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.cases import corrections
from fasthold.cases.models import EventKind, TimelineEvent
from fasthold.coordination import selectors as contact_selectors
from fasthold.coordination.models import ContactEntry
from fasthold.evaluation.process import components_for
from fasthold.kernel import ConflictError
from fasthold.meetings.models import Meeting, MeetingAgreement, MeetingStatus
from fasthold.plans import selectors as plan_selectors
from fasthold.plans.models import Measurement
from tests.base import DemoWorldTestCase

REASON = "Skrevet på den forkerte sag"


class CorrectionTestCase(DemoWorldTestCase):
    load_demos = ("plans", "coordination", "meetings")

    def mark_url(self, case, kind, item):
        if kind not in ("note", "contact", "measurement", "minutes", "agreement"):
            return f"/cases/{case.public_id}/in-error/{kind}/{item}/"
        return reverse("cases:mark_in_error", kwargs={"public_id": case.public_id, "kind": kind, "item_id": item})

    def mark(self, case, kind, item, reason=REASON, user="koordinator"):
        self.as_user(user)
        return self.client.post(self.mark_url(case, kind, item), {"reason": reason})

    def assert_audited(self, case, kind):
        entry = AuditEntry.objects.filter(action=AuditAction.ENTERED_IN_ERROR, case=case).first()
        self.assertIsNotNone(entry)
        self.assertEqual(entry.actor, self.users["koordinator"])
        self.assertIn(kind, entry.fields)
        # The reason itself never reaches the audit log.
        self.assertNotIn(REASON, str(entry.fields))
        self.assertTrue(TimelineEvent.objects.filter(case=case, kind=EventKind.ENTERED_IN_ERROR).exists())


class ContactTests(CorrectionTestCase):
    def entry(self, case):
        return ContactEntry.objects.filter(case=case, audience="all", involves_health_professional=False).first()

    def test_staff_marks_a_contact_struck_through_for_staff_gone_for_the_rest(self):
        entry = self.entry(self.kurt)
        self.assertIsNotNone(entry)
        self.as_user("koordinator")
        page = self.client.get(self.mark_url(self.kurt, "contact", entry.public_id))
        self.assertEqual(page.status_code, 200)
        response = self.mark(self.kurt, "contact", entry.public_id)
        self.assertEqual(response.status_code, 302)
        entry.refresh_from_db()
        self.assertTrue(entry.is_entered_in_error)
        self.assertEqual(entry.error_by, self.users["koordinator"])
        self.assert_audited(self.kurt, "contact")
        url = reverse("coordination:contacts", args=[self.kurt.public_id])
        staff_page = self.client.get(url).content.decode()
        self.assertIn("<del>", staff_page)
        self.assertIn(REASON, staff_page)
        for user in ("leder", "kurt"):
            self.as_user(user)
            entries = self.client.get(url).context["entries"]
            self.assertNotIn(entry.pk, [e.pk for e in entries], user)
        # Portals and figures.
        self.as_user("leder")
        self.assertNotIn(REASON, self.client.get(reverse("portals:employer")).content.decode())
        self.assertNotIn(entry.pk, [e.pk for e in contact_selectors.recent_contacts(self.kurt, employer_view=True)])
        self.assertNotIn(entry.pk, [e.pk for e in contact_selectors.recent_contacts(self.kurt, employer_view=False)])
        valid = ContactEntry.objects.valid().filter(case=self.kurt, involves_health_professional=False)
        last = max((e.occurred_on for e in valid), default=None)
        self.assertEqual(contact_selectors.last_contact_date(self.kurt), last)
        n = ContactEntry.objects.valid().filter(case=self.kurt).count()
        components = components_for([self.kurt.pk])
        self.assertIsNotNone(components)
        self.assertEqual(ContactEntry.objects.filter(case=self.kurt).count(), n + 1)

    def test_a_reason_is_required(self):
        entry = self.entry(self.kurt)
        for reason in ("", "   ", "x" * (corrections.REASON_MAX_LENGTH + 1)):
            self.as_user("koordinator")
            self.client.cookies["django_language"] = "da"
            response = self.client.post(self.mark_url(self.kurt, "contact", entry.public_id), {"reason": reason})
            self.assertEqual(response.status_code, 400)
            self.assertContains(response, "id_reason_error", status_code=400)
        entry.refresh_from_db()
        self.assertFalse(entry.is_entered_in_error)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.ENTERED_IN_ERROR).exists())

    def test_only_editing_staff_may_mark(self):
        entry = self.entry(self.kurt)
        expected = {"laeser": 403, "leder": 403, "kurt": 403, "anden": 404, "psykolog": 404}
        for user, status in expected.items():
            with self.subTest(user=user):
                self.as_user(user)
                self.assertEqual(
                    self.client.get(self.mark_url(self.kurt, "contact", entry.public_id)).status_code, status
                )
                response = self.client.post(self.mark_url(self.kurt, "contact", entry.public_id), {"reason": REASON})
                self.assertEqual(response.status_code, status)
        entry.refresh_from_db()
        self.assertFalse(entry.is_entered_in_error)

    def test_an_item_of_another_case_is_404(self):
        entry = self.entry(self.bodil) or ContactEntry.objects.exclude(case=self.kurt).first()
        self.as_user("koordinator")
        self.assertEqual(self.mark(self.kurt, "contact", entry.public_id).status_code, 404)
        self.assertEqual(self.mark(self.kurt, "nonsense", entry.public_id).status_code, 404)

    def test_concurrent_mark_is_a_conflict(self):
        entry = self.entry(self.kurt)
        stale = ContactEntry.objects.get(pk=entry.pk)
        corrections.mark_entered_in_error(
            actor=self.users["kollega"], case=self.kurt, kind="contact", obj=entry, reason=REASON
        )
        with self.assertRaises(ConflictError):
            corrections.mark_entered_in_error(
                actor=self.users["koordinator"], case=self.kurt, kind="contact", obj=stale, reason="other"
            )
        entry.refresh_from_db()
        self.assertEqual(entry.error_by, self.users["kollega"])
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.ENTERED_IN_ERROR).count(), 1)


class CalendarFollowsTests(CorrectionTestCase):
    def test_a_contact_marked_in_error_moves_the_next_contact_due(self):
        from fasthold.deadlines.models import Deadline

        counted = ContactEntry.objects.valid().filter(case=self.kurt, involves_health_professional=False)
        newest = counted.order_by("-occurred_on", "-pk").first()
        self.assertIsNotNone(newest)
        before = Deadline.objects.get(case=self.kurt, key="contact_due").due
        self.assertEqual(self.mark(self.kurt, "contact", newest.public_id).status_code, 302)
        after = Deadline.objects.get(case=self.kurt, key="contact_due").due
        # The next contact is counted from the contact before it now: due earlier than before.
        self.assertLess(after, before)


class NoteTests(CorrectionTestCase):
    def test_note_struck_for_staff_hidden_for_the_health_professional_and_the_manager(self):
        note = TimelineEvent.objects.filter(case=self.kurt, kind=EventKind.NOTE, audience="all").first()
        self.assertIsNotNone(note)
        self.assertEqual(self.mark(self.kurt, "note", note.pk).status_code, 302)
        self.assert_audited(self.kurt, "note")
        self.as_user("koordinator")
        page = self.client.get(reverse("cases:detail", args=[self.kurt.public_id]))
        self.assertIn(note.pk, [e.pk for e in page.context["events"]])
        self.assertContains(page, REASON)
        self.as_user("leder")
        page = self.client.get(reverse("cases:detail", args=[self.kurt.public_id]))
        if page.status_code == 200 and page.context and "events" in page.context:
            self.assertNotIn(note.pk, [e.pk for e in page.context["events"]])
        self.assertNotContains(page, REASON, status_code=page.status_code)
        # Another event kind cannot be marked.
        other = TimelineEvent.objects.filter(case=self.kurt).exclude(kind=EventKind.NOTE).first()
        self.assertEqual(self.mark(self.kurt, "note", other.pk).status_code, 404)


class MeasurementTests(CorrectionTestCase):
    def test_measurement_no_longer_counts(self):
        m = Measurement.objects.filter(sub_goal__version__plan__case=self.kurt).order_by("-measured_on", "-id").first()
        self.assertIsNotNone(m)
        self.assertEqual(self.mark(self.kurt, "measurement", m.pk).status_code, 302)
        m.refresh_from_db()
        self.assertTrue(m.is_entered_in_error)
        self.assert_audited(self.kurt, "measurement")
        version = m.sub_goal.version
        content = plan_selectors.version_content(version, employer_view=False)
        ind = content.indicators.get(m.sub_goal.pk)
        if ind is not None:
            self.assertNotIn(m.pk, [x.pk for x in ind.measurements])
            self.assertNotEqual(getattr(ind.latest, "pk", None), m.pk)
            self.assertEqual(ind.in_error, [])
        staff = plan_selectors.version_content(version, employer_view=False, staff=True)
        ind = staff.indicators.get(m.sub_goal.pk)
        if ind is not None:
            self.assertIn(m.pk, [x.pk for x in ind.in_error])
            self.assertNotIn(m.pk, [x.pk for x in ind.measurements])
        self.as_user("kurt")
        response = self.client.get(reverse("plans:plan", args=[self.kurt.public_id]))
        self.assertNotContains(response, REASON, status_code=response.status_code)


class MeetingRecordTests(CorrectionTestCase):
    def held(self):
        return Meeting.objects.filter(case=self.kurt, status=MeetingStatus.HELD).exclude(minutes="").first()

    def test_minutes_struck_for_staff_hidden_for_attendees(self):
        meeting = self.held()
        self.assertIsNotNone(meeting)
        minutes = meeting.minutes
        self.assertEqual(self.mark(self.kurt, "minutes", meeting.public_id).status_code, 302)
        self.assert_audited(self.kurt, "minutes")
        url = reverse("meetings:detail", args=[meeting.public_id])
        self.as_user("koordinator")
        page = self.client.get(url)
        self.assertContains(page, "<del>")
        self.assertContains(page, REASON)
        for user in ("leder", "kurt"):
            self.as_user(user)
            page = self.client.get(url)
            if page.status_code == 200:
                self.assertNotContains(page, minutes[:40])
                self.assertNotContains(page, REASON)

    def test_the_conflict_page_of_a_confirmation_keeps_the_minutes_hidden(self):
        """A stale confirmation reloads the meeting for its conflict page: the reload hides them too."""
        meeting = self.held()
        minutes = meeting.minutes
        self.assertEqual(self.mark(self.kurt, "minutes", meeting.public_id).status_code, 302)
        self.as_user("kurt")
        page = self.client.post(reverse("meetings:confirm", args=[meeting.public_id]), {"agreements": "0" * 64})
        self.assertEqual(page.status_code, 409)
        self.assertNotContains(page, minutes[:40], status_code=409)
        self.assertNotContains(page, REASON, status_code=409)

    def test_agreement_struck_for_staff_hidden_and_not_counted_for_the_rest(self):
        agreement = MeetingAgreement.objects.filter(meeting__case=self.kurt).first()
        self.assertIsNotNone(agreement)
        meeting = agreement.meeting
        old_hash = meeting.agreements_hash
        self.assertEqual(self.mark(self.kurt, "agreement", agreement.public_id).status_code, 302)
        self.assert_audited(self.kurt, "agreement")
        meeting.refresh_from_db()
        self.assertNotEqual(meeting.agreements_hash, old_hash)
        url = reverse("meetings:detail", args=[meeting.public_id])
        self.as_user("koordinator")
        self.assertIn(agreement.pk, [a.pk for a in self.client.get(url).context["agreements"]])
        for user in ("leder", "kurt"):
            self.as_user(user)
            page = self.client.get(url)
            if page.status_code == 200:
                self.assertNotIn(agreement.pk, [a.pk for a in page.context["agreements"]])
        self.assertFalse(MeetingAgreement.objects.valid().filter(pk=agreement.pk).exists())

    def test_minutes_entered_in_error_cannot_be_written_again(self):
        meeting = self.held()
        minutes = meeting.minutes
        self.assertEqual(self.mark(self.kurt, "minutes", meeting.public_id).status_code, 302)
        meeting.refresh_from_db()
        self.as_user("koordinator")
        detail = self.client.get(reverse("meetings:detail", args=[meeting.public_id]))
        self.assertFalse(detail.context["can_write_minutes"])
        self.assertNotContains(detail, reverse("meetings:minutes", args=[meeting.public_id]))
        url = reverse("meetings:minutes", args=[meeting.public_id])
        self.assertRedirects(self.client.get(url), reverse("meetings:detail", args=[meeting.public_id]))
        response = self.client.post(
            url, {"lock": meeting.version, "minutes": "Ny tekst, der ville overskrive", "private_note": ""}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "entered in error", status_code=400)
        meeting.refresh_from_db()
        self.assertEqual(meeting.minutes, minutes)
        self.assertIsNotNone(meeting.minutes_error_at)

    def test_minutes_of_an_unheld_meeting_cannot_be_marked(self):
        meeting = Meeting.objects.filter(case=self.kurt, status=MeetingStatus.PLANNED).first()
        self.assertEqual(self.mark(self.kurt, "minutes", meeting.public_id).status_code, 404)


class ExportTests(CorrectionTestCase):
    """The employee's own data export keeps what was entered in error, marked: it is her data (right of
    access), and she should see what was corrected and why."""

    def test_the_employees_export_includes_the_marked_contact_with_its_mark(self):
        from fasthold.privacy.export import as_json, collect

        entry = ContactEntry.objects.filter(case=self.kurt, audience="all").first()
        corrections.mark_entered_in_error(
            actor=self.users["koordinator"], case=self.kurt, kind="contact", obj=entry, reason=REASON
        )
        text = as_json(collect(self.kurt.person))
        self.assertIn(str(entry.public_id), text)
        self.assertIn("error_at", text)
        self.assertIn(REASON, text)
