from collections.abc import Iterable

from fasthold.audit.models import AuditAction, AuditEntry


def _entry(*, actor, action: AuditAction, case=None, organisation=None, fields: Iterable[str] = ()) -> AuditEntry:
    organisation_id = organisation.pk if organisation is not None else getattr(case, "organisation_id", None)
    return AuditEntry(actor=actor, action=action, case=case, organisation_id=organisation_id, fields=sorted(fields))


def audit_record(*, actor, action: AuditAction, case=None, organisation=None, fields: Iterable[str] = ()) -> AuditEntry:
    """Write one audit row. Call inside the transaction of the change it records."""
    entry = _entry(actor=actor, action=action, case=case, organisation=organisation, fields=fields)
    entry.save()
    return entry


def audit_records(rows: Iterable[dict]) -> None:
    """Write many audit rows (each the keyword arguments of audit_record) in one insert."""
    AuditEntry.objects.bulk_create([_entry(**row) for row in rows])
