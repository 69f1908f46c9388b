"""The timeline's registry: every kind any app records is registered and worded in both languages, and a
kind nobody registered is refused."""

import io
import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.utils import translation
from django.utils.text import capfirst

from fasthold.cases import timeline
from fasthold.cases.models import EventKind, TimelineEvent
from fasthold.cases.timeline import timeline_record
from tests.base import DemoWorldTestCase

FASTHOLD = Path(__file__).resolve().parents[2] / "fasthold"
# What the fallback shows for a kind nobody registered: its key, e.g. "Plan_proposal" or "meeting_held".
RAW_KEY = r"[A-Za-z]+_[a-z_]+"

# Params as the apps' services write them: one example per kind, and per marked note.
EXAMPLES = {
    "case_updated": {"fields": ["first_sick_day"]},
    "case_closed": {"outcome": "full_return", "closed_on": "2027-03-01"},
    "participant_added": {"role": "manager", "name": "Peter Nielsen"},
    "participant_removed": {"role": "manager", "name": "Peter Nielsen"},
    "note": {"text": "Talked to the manager"},
    "step_placed": {"step": 2, "track": "a", "previous": None},
    "plan_created": {"number": 1},
    "plan_revised": {"number": 2},
    "plan_published": {"number": 2},
    "plan_agreed": {"number": 2},
    "plan_commented": {"number": 2},
    "contact_agreement": {
        "version": 1,
        "cadence_days": 14,
        "responsible": "employer",
        "channel": "phone",
        "start_weeks": None,
        "start_cadence_days": None,
    },
    "contact_logged": {"contact": "x", "channel": "phone", "date": "2027-03-01", "with_role": "manager"},
    "meeting_planned": {"meeting": "x", "meeting_kind": "joint", "date": "2027-03-01"},
    "meeting_changed": {"meeting": "x", "meeting_kind": "joint", "date": "2027-03-01", "fields": ["starts_at"]},
    "meeting_cancelled": {"meeting": "x", "meeting_kind": "joint", "date": "2027-03-01"},
    "meeting_held": {"meeting": "x", "meeting_kind": "joint", "date": "2027-03-01"},
    "agreements_confirmed": {"meeting": "x", "meeting_kind": "joint", "date": "2027-03-01"},
    "consent_changed": {"category": "treatment", "recipient": "manager", "change": "given"},
    "colleague_message": {"step": "drafted"},
}
MARKED = [
    ("note", {"schedule": "created", "number": 1}),
    ("note", {"schedule": "changed", "number": 2}),
    ("note", {"schedule": "actual_hours", "week": "2027-03-01"}),
    ("note", {"schedule": "dial_down", "dial": "hours", "from": 3, "to": 2, "weeks": [1, 2]}),
    ("note", {"screening": "visitation_answered", "program": "IPS"}),
    ("health_updated", {"screening": "prognostic_profile"}),
    ("health_updated", {"screening": "questionnaire"}),
    ("note", {"calendar_event": "full_return", "date": "2027-03-01"}),
    ("note", {"deadline_done": "no-such-rule", "pack": "no-such-pack", "date": "2027-03-01"}),
]


def _kinds_in_source() -> set[str]:
    """Every kind the code names: EventKind members, literal kinds and plan_proposal_{status}."""
    found = set()
    for path in FASTHOLD.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text()
        found |= {EventKind[name].value for name in re.findall(r"EventKind\.([A-Z_]+)\b", text)}
        # Literal kinds: timeline_record(..., kind="plan_created") and the demos' _event(case, "plan_created", ...).
        found |= set(re.findall(r"(?:timeline_record\([^)]*?\bkind=|_event\([\w.]+, )\"([a-z_]+)\"", text))
        if 'f"plan_proposal_{status}"' in text:
            found |= {"plan_proposal_accepted", "plan_proposal_declined"}
    return found


class RegistryTests(SimpleTestCase):
    def test_every_kind_the_code_names_is_registered(self):
        used = _kinds_in_source()
        self.assertGreaterEqual(len(used), 20)
        self.assertEqual(sorted(used - set(timeline.registered_kinds())), [])
        self.assertEqual(sorted(set(EventKind.values) - set(timeline.registered_kinds())), [])

    def test_every_registered_kind_is_described_in_danish_and_english_without_its_raw_key(self):
        for language in ("da", "en"):
            for kind in timeline.registered_kinds():
                for params in ({}, EXAMPLES.get(kind, {})):
                    with self.subTest(language=language, kind=kind, params=params), translation.override(language):
                        text = timeline.describe(kind, params)
                        self.assertTrue(text.strip())
                        self.assertNotRegex(text, RAW_KEY)
                        if text in (kind, capfirst(kind)):  # only where it is the registered label ("Note")
                            self.assertEqual(text, str(timeline.registered_kinds()[kind].label))

    def test_the_danish_catalogue_still_applies(self):
        kinds = timeline.registered_kinds()
        with translation.override("en"):
            english = {kind: timeline.describe(kind, EXAMPLES.get(kind, {})) for kind in kinds}
        with translation.override("da"):
            danish = {kind: timeline.describe(kind, EXAMPLES.get(kind, {})) for kind in kinds}
        same = sorted(kind for kind in kinds if english[kind] == danish[kind])
        self.assertEqual(same, ["note"])  # "Talked to the manager" is the note's own text

    def test_marked_notes_are_worded_by_the_app_that_wrote_them(self):
        for language in ("da", "en"):
            for kind, params in MARKED:
                with self.subTest(language=language, params=params), translation.override(language):
                    text = timeline.describe(kind, params)
                    self.assertTrue(text.strip())
                    self.assertNotEqual(text, timeline.label(kind))
                    self.assertNotRegex(text, RAW_KEY)

    def test_wording_is_unchanged(self):
        with translation.override("en"):
            self.assertEqual(timeline.describe("plan_revised", {"number": 2}), "Plan revision started (version 2)")
            self.assertEqual(timeline.describe("note", {"screening": "questionnaire"}), "Questionnaire answered")
            self.assertEqual(timeline.describe("plan_proposal", {}), "The manager proposed a change to the plan")
            self.assertEqual(timeline.describe("payroll_changed", {}), "Payroll_changed")
        with translation.override("da"):
            self.assertEqual(timeline.describe("case_opened", {}), str(EventKind.CASE_OPENED.label))
            self.assertNotEqual(timeline.describe("case_opened", {}), "Case opened")

    def test_a_kind_cannot_be_taken_over_by_another_app(self):
        with self.assertRaises(ImproperlyConfigured):
            timeline.register("payroll", [EventKind.CASE_OPENED])
        self.assertEqual(timeline.registered_kinds()["case_opened"].app, "cases")
        with self.assertRaises(ImproperlyConfigured):
            timeline.register_marked("payroll", "schedule", lambda params: "")


class RecordTests(DemoWorldTestCase):
    def test_a_kind_from_an_unregistered_app_is_refused(self):
        before = TimelineEvent.objects.count()
        with self.assertRaises(ValidationError):
            timeline_record(case=self.world.kurt, kind="payroll_changed", actor=self.world.users["koordinator"])
        with self.assertRaises(ValidationError):
            TimelineEvent.objects.create(case=self.world.kurt, kind="payroll_changed")
        with self.assertRaises(ValidationError):
            TimelineEvent(case=self.world.kurt, kind="payroll_changed").full_clean()
        self.assertEqual(TimelineEvent.objects.count(), before)

    def test_timeline_record_writes_one_event_for_everyone_unless_told(self):
        event = timeline_record(
            case=self.world.kurt, kind=EventKind.NOTE, actor=self.world.users["koordinator"], text="Called"
        )
        self.assertEqual((event.kind, event.audience, event.params), ("note", "all", {"text": "Called"}))
        event = timeline_record(case=self.world.kurt, kind=EventKind.NOTE, actor=None, audience="professionals")
        self.assertEqual((event.audience, event.params), ("professionals", {}))


# Its own world from the demo command itself: what `fasthold demo` writes is the subject, and no other test runs it.
class DemoTimelineTests(TestCase):
    def test_every_event_in_the_demo_is_registered_and_worded(self):
        call_command("demo", stdout=io.StringIO())
        kinds = set(TimelineEvent.objects.values_list("kind", flat=True))
        self.assertGreaterEqual(len(kinds), 10)
        self.assertEqual(sorted(kinds - set(timeline.registered_kinds())), [])
        for event in TimelineEvent.objects.all():
            for language in ("da", "en"):
                with translation.override(language):
                    self.assertNotRegex(timeline.describe(event.kind, event.params), RAW_KEY)
