"""Marking a record as entered in error: a note, a contact, a measurement, minutes or an agreement.

The row is kept. Staff of the case-owning organisation see it struck through with the reason, who and
when; everyone else no longer sees it anywhere (each app's selectors read `valid()`), and no count or
indicator uses it. The apps that own the records register their kinds here in `AppConfig.ready()` (the
timeline's pattern), so this module never imports a higher app. The audit row names the kind and that a
reason was given, never the reason (it may hold case text).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import hooks
from fasthold.cases.access import case_access
from fasthold.cases.models import Audience, Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import ConflictError, NotAllowed

REASON_MAX_LENGTH = 500


@dataclass(frozen=True)
class Correctable:
    kind: str
    label: object  # a lazy translation: "contact", "measurement", ...
    # (case, item id from the URL) -> the row, or None when the case holds no such item.
    load: Callable[[Case, str], models.Model | None]
    # Where the reader goes back to: (case, row) -> a URL.
    back_url: Callable[[Case, models.Model], str]
    # The row's field names carry this prefix ("minutes_" for a meeting's minutes).
    prefix: str = ""
    # Called in the same transaction after the mark (e.g. a meeting's agreements hash is refreshed).
    after: Callable[[models.Model], None] | None = None


_kinds: dict[str, Correctable] = {}


def register(correctable: Correctable) -> None:
    _kinds[correctable.kind] = correctable


def get(kind: str) -> Correctable | None:
    return _kinds.get(kind)


def kind_label(kind: str) -> str:
    entry = _kinds.get(kind)
    return str(entry.label) if entry else kind


class ReasonRequired(ValueError):
    """No reason was given; nothing was written."""


def is_marked(entry: Correctable, obj) -> bool:
    return getattr(obj, f"{entry.prefix}error_at") is not None


@transaction.atomic
def mark_entered_in_error(*, actor, case: Case, kind: str, obj, reason: str) -> None:
    """Mark `obj` (of a registered `kind`, on `case`) as entered in error with `reason`.

    Only staff who may edit the case (PermissionDenied otherwise). The mark is a compare-and-set: when
    someone else marked the row first (or changed a versioned row), ConflictError and nothing written."""
    case_access(actor, case).require_edit()
    entry = _kinds.get(kind)
    if entry is None:
        raise NotAllowed("unknown kind")
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired
    if len(reason) > REASON_MAX_LENGTH:
        raise ReasonRequired
    p = entry.prefix
    model = type(obj)
    values = {f"{p}error_at": timezone.now(), f"{p}error_by": actor, f"{p}error_reason": reason}
    rows = model._default_manager.filter(pk=obj.pk, **{f"{p}error_at__isnull": True})
    version_values = {}
    if hasattr(obj, "version") and p:
        # A versioned row (a meeting): the mark is an edit like any other.
        rows = rows.filter(version=obj.version)
        version_values = {"version": F("version") + 1}
    if not rows.update(**values, **version_values):
        raise ConflictError
    for name, value in values.items():
        setattr(obj, name, value)
    if entry.after is not None:
        entry.after(obj)
    audit_record(actor=actor, action=AuditAction.ENTERED_IN_ERROR, case=case, fields=[kind, "reason"])
    timeline_record(case=case, kind=EventKind.ENTERED_IN_ERROR, actor=actor, audience=Audience.PROFESSIONALS, what=kind)
    # A contact that no longer counts moves the next one due: the stored calendar (and the reminders and
    # the worklist that read it) is recomputed, as after any change of the case's dates.
    hooks.dates_changed(case)
