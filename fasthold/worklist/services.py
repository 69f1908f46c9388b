from django.db import transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import CaseAccess, case_access
from fasthold.worklist.models import WorkItem


def mark_handled(*, actor, item: WorkItem, access: CaseAccess | None = None) -> bool:
    """Mark a row handled, kept with who and when. Only staff who may work on the case (the write roles
    are staff roles). Returns False when it was already handled or resolved (by a colleague a moment
    ago, say): nothing is overwritten."""
    (access or case_access(actor, item.case)).require_edit()
    with transaction.atomic():
        now = timezone.now()
        done = WorkItem.objects.unhandled().filter(pk=item.pk).update(handled_at=now, handled_by=actor)
        if done:
            item.handled_at, item.handled_by = now, actor
            audit_record(actor=actor, action=AuditAction.WORKLIST_HANDLED, case=item.case, fields=["handled_at"])
    return bool(done)
