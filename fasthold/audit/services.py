from collections.abc import Iterable

from fasthold.audit.models import AuditAction, AuditEntry


def audit_record(*, actor, action: AuditAction, case=None, organisation=None, fields: Iterable[str] = ()) -> AuditEntry:
    """Write one audit row. Call inside the transaction of the change it records."""
    organisation_id = organisation.pk if organisation is not None else getattr(case, "organisation_id", None)
    return AuditEntry.objects.create(
        actor=actor, action=action, case=case, organisation_id=organisation_id, fields=sorted(fields)
    )
