"""Erasure after the retention period: everything of the case goes, nothing else does."""

import datetime as dt
import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models
from django.test import TransactionTestCase

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.audit.services import audit_record
from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Case, Employment, HealthRecord, Person, TimelineEvent
from fasthold.kernel import NotAllowed
from fasthold.organisations.models import Membership
from fasthold.privacy import services
from fasthold.privacy.models import RetentionPolicy
from tests.base import ALL_DEMOS, DemoWorldTestCase, build_demo_world

TODAY = dt.date(2031, 6, 1)


def _models_on_case():
    """Every model with a direct foreign key to Case, found from the model graph."""
    return [
        rel.related_model
        for rel in Case._meta.get_fields(include_hidden=True)
        if rel.auto_created
        and not rel.concrete
        and (rel.one_to_many or rel.one_to_one)
        and rel.related_model is not AuditEntry
    ]


def _counts(case_pk):
    return {
        m._meta.label: m._base_manager.filter(
            **{f.name: case_pk for f in m._meta.fields if f.is_relation and f.related_model is Case}
        ).count()
        for m in _models_on_case()
    }


def _owned_rows(case_pk):
    """Rows of every model owned by the case at any depth (plan versions, sub-goals, attendees …)."""
    from fasthold.privacy.export import case_owned_models

    return {
        m._meta.label: m._base_manager.filter(**{lookup: case_pk}).distinct().count()
        for m, lookup in case_owned_models()
    }


def _totals():
    return {m._meta.label: m._base_manager.count() for m in apps.get_models()}


def _close(case, closed_on):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=closed_on)
    case.refresh_from_db()


def _erase(*args):
    out = io.StringIO()
    call_command("erase_expired", "--today", TODAY.isoformat(), *args, stdout=out)
    return out.getvalue()


class ErasureTests(DemoWorldTestCase):
    # Every app's demo content: the erasure must find rows of every app on the case.
    load_demos = ALL_DEMOS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.kurt_user = cls.users["kurt"]
        # Audit rows about Kurt's case, as reading it would write them.
        koordinator = cls.users["koordinator"]
        for _ in range(3):
            audit_record(actor=koordinator, action=AuditAction.HEALTH_VIEWED, case=cls.kurt)
        audit_record(actor=cls.kurt_user, action=AuditAction.CASE_VIEWED, case=cls.kurt)
        audit_record(actor=koordinator, action=AuditAction.HEALTH_VIEWED, case=cls.bodil)

    def test_demo_case_has_rows_in_many_apps(self):
        # Guards the other assertions: erasing an empty case would prove nothing.
        filled = [label for label, n in _counts(self.kurt.pk).items() if n]
        self.assertGreaterEqual(len(filled), 8, filled)
        for label in (
            "cases.HealthRecord",
            "cases.TimelineEvent",
            "plans.Plan",
            "meetings.Meeting",
            "coordination.ContactEntry",
            "deadlines.Deadline",
        ):
            self.assertIn(label, filled)

    def test_expired_closed_case_is_erased_with_everything_on_it(self):
        _close(self.kurt, TODAY - dt.timedelta(days=5 * 366))
        bodil_before = _counts(self.bodil.pk)
        kurt_owned = _owned_rows(self.kurt.pk)
        self.assertGreater(kurt_owned["plans.SubGoal"], 0)
        self.assertGreater(kurt_owned["meetings.MeetingAttendee"], 0)
        totals_before = _totals()
        kurt_audit = list(AuditEntry.objects.filter(case=self.kurt).values_list("pk", flat=True))
        health_reads = AuditEntry.objects.filter(case=self.kurt, action=AuditAction.HEALTH_VIEWED).count()
        self.assertGreaterEqual(len(kurt_audit), 4)
        self.assertGreaterEqual(health_reads, 3)

        output = _erase()

        self.assertIn(str(self.kurt.public_id), output)
        self.assertIn("Erased 1 case(s).", output)
        self.assertFalse(Case.objects.filter(pk=self.kurt.pk).exists())
        self.assertEqual({label: n for label, n in _counts(self.kurt.pk).items() if n}, {})
        self.assertEqual(_counts(self.bodil.pk), bodil_before)
        # Exactly the case's own rows went, at every depth; elsewhere only the person's rows and
        # the account's own credentials (and one new audit row).
        totals_after = _totals()
        for label, n in kurt_owned.items():
            self.assertEqual(totals_after[label], totals_before[label] - n, label)
        expected_elsewhere = {"cases.Case": -1, "cases.Person": -1, "cases.Employment": -1, "audit.AuditEntry": 1}
        changed = {
            label: totals_after[label] - totals_before[label]
            for label in totals_before
            if label not in kurt_owned and totals_after[label] != totals_before[label]
        }
        for label in list(changed):
            if label.startswith("accounts.") and changed[label] < 0:  # the account's devices, codes
                del changed[label]
        self.assertEqual(changed, expected_elsewhere)
        # The person had no other case: person and employment go; the account is stripped.
        self.assertFalse(Person.objects.filter(name="Kurt Jensen").exists())
        self.assertFalse(Employment.objects.filter(person_id=self.kurt.person_id).exists())
        # His own audit row still names the account as actor: it stays, deactivated and stripped.
        user = get_user_model().objects.get(pk=self.kurt_user.pk)
        self.assertFalse(user.is_active)
        self.assertFalse(user.has_usable_password())
        self.assertEqual((user.first_name, user.last_name, user.email), ("", "", ""))
        self.assertNotIn("kurt", user.username.lower())
        # Audit rows stay, without the case link, with one pseudonym; the erasure is recorded.
        kept = AuditEntry.objects.filter(pk__in=kurt_audit)
        self.assertEqual(kept.count(), len(kurt_audit))
        self.assertEqual(set(kept.values_list("case", flat=True)), {None})
        pseudonym = services.subject_pseudonym(self.kurt.public_id)
        self.assertEqual(set(kept.values_list("subject_pseudonym", flat=True)), {pseudonym})
        self.assertEqual(len(pseudonym), 64)
        self.assertNotIn(str(self.kurt.public_id), pseudonym)
        erased = AuditEntry.objects.get(action=AuditAction.CASE_ERASED)
        self.assertEqual(erased.subject_pseudonym, pseudonym)
        self.assertIsNone(erased.case_id)
        self.assertEqual(erased.organisation_id, self.kurt.organisation_id)
        self.assertIn("cases.HealthRecord", erased.fields)
        self.assertNotIn("Kurt", str(erased.fields))
        # Bodil's audit rows are untouched.
        self.assertEqual(
            AuditEntry.objects.filter(case=self.bodil, subject_pseudonym="").count(),
            AuditEntry.objects.filter(case=self.bodil).count(),
        )
        # The DPO can still count reads per subject.
        self.assertEqual(
            AuditEntry.objects.filter(subject_pseudonym=pseudonym, action=AuditAction.HEALTH_VIEWED).count(),
            health_reads,
        )

    def test_dry_run_lists_without_names_and_changes_nothing(self):
        _close(self.kurt, dt.date(2025, 1, 15))
        before = _counts(self.kurt.pk)
        audit_before = AuditEntry.objects.count()
        output = _erase("--dry-run")
        self.assertIn(str(self.kurt.public_id), output)
        self.assertIn("2025-01-15", output)
        self.assertIn("2030-01-15", output)  # due: five years (the default) after closure
        self.assertIn(self.kurt.organisation.name, output)
        self.assertNotIn("Kurt", output)
        self.assertNotIn(self.kurt.person.cpr, output)
        self.assertNotIn(str(self.bodil.public_id), output)
        self.assertEqual(_counts(self.kurt.pk), before)
        self.assertEqual(AuditEntry.objects.count(), audit_before)
        self.assertTrue(Person.objects.filter(pk=self.kurt.person_id).exists())

    def test_cases_not_yet_due_are_kept(self):
        _close(self.kurt, dt.date(2027, 1, 1))  # due 2032-01-01 under the default
        self.assertIn("Erased 0 case(s).", _erase())
        self.assertTrue(Case.objects.filter(pk=self.kurt.pk).exists())

    def test_the_organisations_own_period_decides(self):
        _close(self.kurt, dt.date(2027, 1, 1))
        RetentionPolicy.objects.create(organisation=self.kurt.organisation, months=24)
        self.assertEqual([c.due for c in services.expired_cases(TODAY)], [dt.date(2029, 1, 1)])
        RetentionPolicy.objects.filter(organisation=self.kurt.organisation).update(months=240)
        self.assertEqual(services.expired_cases(TODAY), [])

    def test_due_exactly_today_is_erased_and_a_day_later_is_not(self):
        _close(self.kurt, dt.date(2026, 6, 1))
        self.assertEqual(len(services.expired_cases(dt.date(2031, 5, 31))), 0)
        self.assertEqual(len(services.expired_cases(dt.date(2031, 6, 1))), 1)

    def test_open_and_retention_phase_cases_are_never_erased(self):
        for status in (CaseStatus.OPEN, CaseStatus.RETENTION):
            with self.subTest(status):
                Case.objects.filter(pk=self.kurt.pk).update(status=status, closed_on=dt.date(2001, 1, 1))
                self.assertIn("Erased 0 case(s).", _erase())
                self.assertTrue(Case.objects.filter(pk=self.kurt.pk).exists())
                with self.assertRaises(NotAllowed):
                    services.case_erase(actor=None, case=self.kurt)

    def test_person_with_another_case_stays(self):
        second = Case.objects.create(
            person=self.kurt.person,
            organisation=self.kurt.organisation,
            first_sick_day=dt.date(2030, 1, 1),
            cause_category=self.kurt.cause_category,
            referral_source=self.kurt.referral_source,
        )
        _close(self.kurt, dt.date(2020, 1, 1))
        _erase()
        self.assertFalse(Case.objects.filter(pk=self.kurt.pk).exists())
        self.assertTrue(Case.objects.filter(pk=second.pk).exists())
        person = Person.objects.get(pk=self.kurt.person_id)
        self.assertEqual(person.user_id, self.kurt_user.pk)
        self.assertTrue(get_user_model().objects.get(pk=self.kurt_user.pk).is_active)

    def test_a_working_account_is_not_deactivated(self):
        # A coordinator who was once sick-listed: their login is still their work account.
        Membership.objects.create(user=self.kurt_user, organisation=self.bodil.organisation, role="viewer")
        _close(self.kurt, dt.date(2020, 1, 1))
        _erase()
        user = get_user_model().objects.get(pk=self.kurt_user.pk)
        self.assertTrue(user.is_active)
        self.assertEqual(user.username, "kurt")

    def test_an_account_nothing_else_holds_is_deleted(self):
        AuditEntry._base_manager.filter(actor=self.kurt_user).delete()  # past the append-only guard: test set-up only
        _close(self.kurt, dt.date(2020, 1, 1))
        _erase()
        self.assertFalse(get_user_model().objects.filter(pk=self.kurt_user.pk).exists())

    def test_append_only_guards_still_hold_for_ordinary_code(self):
        event = TimelineEvent.objects.filter(case=self.bodil).first()
        with self.assertRaises(ValueError):
            event.delete()
        entry = AuditEntry.objects.filter(case=self.bodil).first()
        with self.assertRaises(ValueError):
            entry.delete()
        entry.subject_pseudonym = "x"
        with self.assertRaises(ValueError):
            entry.save()

    def test_a_second_run_finds_nothing_and_a_stale_object_is_harmless(self):
        _close(self.kurt, dt.date(2020, 1, 1))
        self.assertIn("Erased 1 case(s).", _erase())
        self.assertEqual(services.case_erase(actor=None, case=self.kurt), {})
        self.assertIn("Erased 0 case(s).", _erase())
        self.assertEqual(AuditEntry.objects.filter(action=AuditAction.CASE_ERASED).count(), 1)

    def test_bad_date_is_a_clear_error(self):
        with pytest.raises(CommandError) as error:
            call_command("erase_expired", "--today", "2031-13-01", stdout=io.StringIO())
        self.assertEqual(error.value.returncode, 2)
        self.assertIn("YYYY-MM-DD", str(error.value))


# Its own world per test: creating a table cannot run inside a TestCase's transaction on SQLite.
class LaterModelTests(TransactionTestCase):
    """A model that hangs on a case and was added after the erasure was written goes too."""

    def test_model_added_later_is_erased(self):
        world = build_demo_world()

        class LateNote(models.Model):
            case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
            text = models.TextField()

            class Meta:
                app_label = "privacy"

        try:
            with connection.schema_editor() as editor:
                editor.create_model(LateNote)
            LateNote.objects.create(case=world.kurt, text="health text")
            LateNote.objects.create(case=world.bodil, text="other case")
            _close(world.kurt, dt.date(2020, 1, 1))
            services.case_erase(actor=None, case=world.kurt)
            self.assertEqual(list(LateNote.objects.values_list("text", flat=True)), ["other case"])
            self.assertFalse(HealthRecord.objects.filter(case_id=world.kurt.pk).exists())
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(LateNote)
            del apps.all_models["privacy"]["latenote"]
            apps.clear_cache()
