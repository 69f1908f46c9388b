"""The kernel: versioned writes refuse a stale edit; append-only rows refuse every change but the
sanctioned ones (a consent's withdrawal stamp, erasure of a closed case)."""

from django.db import transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction, AuditEntry
from fasthold.audit.services import audit_record
from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Case, TimelineEvent
from fasthold.kernel import AppendOnlyError, AppendOnlyModel, ConflictError, update_versioned
from fasthold.plans.models import Measurement, StepPlacement
from fasthold.privacy import services as privacy_services
from fasthold.sharing.models import Consent
from tests.base import ALL_DEMOS, DemoWorldTestCase

# Each append-only model, how its rows hang on a case, and a field ordinary code might try to rewrite.
APPEND_ONLY = [
    (TimelineEvent, "case", "params", {"rewritten": True}),
    (AuditEntry, "case", "fields", ["rewritten"]),
    (StepPlacement, "case", "reason", "rewritten"),
    (Measurement, "sub_goal__version__plan__case", "value", 99),
    (Consent, "case", "text", "rewritten"),
]


class DemoTestCase(DemoWorldTestCase):
    # Every app's demo content: each append-only model needs rows on Kurt's case.
    load_demos = ALL_DEMOS

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        audit_record(actor=None, action=AuditAction.CASE_VIEWED, case=cls.kurt)

    def row_of(self, model, lookup):
        row = model._base_manager.filter(**{lookup: self.kurt}).order_by("pk").first()
        self.assertIsNotNone(row, f"the demo has no {model.__name__} on Kurt's case")
        return row


class UpdateVersionedTests(DemoTestCase):
    def test_the_expected_version_writes_and_bumps_the_version(self):
        case = Case.objects.get(pk=self.kurt.pk)
        before = case.version
        update_versioned(Case, case, before, {"expected_weeks": 11})
        self.assertEqual((case.version, case.expected_weeks), (before + 1, 11))
        stored = Case.objects.get(pk=case.pk)
        self.assertEqual((stored.version, stored.expected_weeks), (before + 1, 11))
        self.assertGreaterEqual(stored.updated_at, self.kurt.updated_at)

    def test_a_stale_version_writes_nothing_and_raises_conflict(self):
        case = Case.objects.get(pk=self.kurt.pk)
        stale = case.version
        update_versioned(Case, Case.objects.get(pk=case.pk), stale, {"expected_weeks": 12})  # someone else first
        with self.assertRaises(ConflictError):
            update_versioned(Case, case, stale, {"expected_weeks": 30})
        self.assertEqual(case.version, stale)  # the loser's object is left as it was read
        stored = Case.objects.get(pk=case.pk)
        self.assertEqual((stored.version, stored.expected_weeks), (stale + 1, 12))


class AppendOnlyTests(DemoTestCase):
    def test_every_listed_model_uses_the_base(self):
        for model, *_ in APPEND_ONLY:
            self.assertTrue(issubclass(model, AppendOnlyModel), model)

    def test_saving_an_existing_row_is_refused(self):
        for model, lookup, field, value in APPEND_ONLY:
            with self.subTest(model.__name__):
                row = self.row_of(model, lookup)
                before = getattr(row, field)
                setattr(row, field, value)
                with self.assertRaises(AppendOnlyError):
                    row.save()
                with self.assertRaises(ValueError):  # what callers caught before the kernel
                    row.save(update_fields=[field])
                self.assertEqual(getattr(model._base_manager.get(pk=row.pk), field), before)

    def test_deleting_a_row_is_refused(self):
        for model, lookup, _field, _value in APPEND_ONLY:
            with self.subTest(model.__name__):
                row = self.row_of(model, lookup)
                with self.assertRaises(AppendOnlyError):
                    row.delete()
                self.assertTrue(model._base_manager.filter(pk=row.pk).exists())

    def test_queryset_update_is_refused(self):
        for model, lookup, field, value in APPEND_ONLY:
            with self.subTest(model.__name__):
                row = self.row_of(model, lookup)
                before = getattr(row, field)
                with self.assertRaises(AppendOnlyError):
                    model.objects.filter(pk=row.pk).update(**{field: value})
                with self.assertRaises(AppendOnlyError):
                    model.objects.update(**{field: value})
                row_again = model._base_manager.get(pk=row.pk)
                setattr(row_again, field, value)
                # bulk_update opens a transaction without a savepoint: keep the test's own transaction usable.
                with self.assertRaises(AppendOnlyError), transaction.atomic():
                    model.objects.bulk_update([row_again], [field])
                self.assertEqual(getattr(model._base_manager.get(pk=row.pk), field), before)

    def test_queryset_delete_is_refused(self):
        for model, lookup, _field, _value in APPEND_ONLY:
            with self.subTest(model.__name__):
                count = model._base_manager.filter(**{lookup: self.kurt}).count()
                with self.assertRaises(AppendOnlyError):
                    model.objects.filter(**{lookup: self.kurt}).delete()
                with self.assertRaises(AppendOnlyError):
                    model.objects.all().delete()
                self.assertEqual(model._base_manager.filter(**{lookup: self.kurt}).count(), count)

    def test_new_rows_are_written(self):
        event = TimelineEvent.objects.create(case=self.kurt, kind=self.row_of(TimelineEvent, "case").kind)
        self.assertTrue(TimelineEvent.objects.filter(pk=event.pk).exists())

    def test_a_consent_is_withdrawn_but_its_content_stays(self):
        consent = self.row_of(Consent, "case")
        now = timezone.now()
        self.assertEqual(Consent.objects.filter(pk=consent.pk).update(withdrawn_at=now, withdrawal_channel="self"), 1)
        self.assertEqual(Consent.objects.get(pk=consent.pk).withdrawn_at, now)
        with self.assertRaises(AppendOnlyError):  # one field outside the stamp refuses the whole update
            Consent.objects.filter(pk=consent.pk).update(withdrawn_at=None, text="rewritten")
        self.assertEqual(Consent.objects.get(pk=consent.pk).withdrawn_at, now)


class ErasureGoesThroughTests(DemoTestCase):
    def test_erasing_a_closed_case_removes_its_append_only_rows_and_keeps_the_audit_rows(self):
        owned = {
            model: model._base_manager.filter(**{lookup: self.kurt}).count()
            for model, lookup, *_ in APPEND_ONLY
            if model is not AuditEntry
        }
        self.assertTrue(all(owned.values()), owned)
        audit_ids = list(AuditEntry.objects.filter(case=self.kurt).values_list("pk", flat=True))
        Case.objects.filter(pk=self.kurt.pk).update(status=CaseStatus.CLOSED, closed_on=timezone.localdate())
        self.kurt.refresh_from_db()

        deleted = privacy_services.case_erase(actor=None, case=self.kurt)

        self.assertFalse(Case.objects.filter(pk=self.kurt.pk).exists())
        for model, count in owned.items():
            self.assertEqual(deleted.get(model._meta.label), count, model)
        pseudonym = privacy_services.subject_pseudonym(self.kurt.public_id)
        kept = AuditEntry.objects.filter(pk__in=audit_ids)
        self.assertEqual(kept.count(), len(audit_ids))
        self.assertFalse(kept.exclude(case=None).exists())
        self.assertEqual(set(kept.values_list("subject_pseudonym", flat=True)), {pseudonym})
        # Bodil's case is untouched.
        self.assertTrue(TimelineEvent.objects.filter(case=self.bodil).exists())
