from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access
from fasthold.worklist.models import WorkItem


def mark_handled(*, actor, item: WorkItem) -> bool:
    """Mark a row handled, kept with who and when. Only staff who may work on the case. Returns False
    when it was already handled or resolved (by a colleague a moment ago, say): nothing is overwritten."""
    access = case_access(actor, item.case)
    if not (access.is_staff and access.can_edit):
        raise PermissionDenied
    with transaction.atomic():
        now = timezone.now()
        done = WorkItem.objects.unhandled().filter(pk=item.pk).update(handled_at=now, handled_by=actor)
        if done:
            item.handled_at, item.handled_by = now, actor
            audit_record(actor=actor, action=AuditAction.WORKLIST_HANDLED, case=item.case, fields=["handled_at"])
    return bool(done)
