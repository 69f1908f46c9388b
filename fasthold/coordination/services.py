"""Changes to contact agreements and the contact log. Each is one transaction writing the change,
its timeline event and its audit row, and then refreshing the case calendar.

Errors are raised before anything is written: ContactError (bad input; its code is for the view to
turn into a message, never text from the user) and ConflictError (someone changed the agreement
since the edit began).
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access
from fasthold.cases.models import Audience, Case, EventKind, Participant
from fasthold.cases.timeline import timeline_record
from fasthold.coordination import cadence as cadence_rules
from fasthold.coordination.access import may_choose_audience
from fasthold.coordination.models import Channel, ContactAgreement, ContactEntry, ContactResponsible
from fasthold.deadlines.services import calendar_refresh
from fasthold.kernel import ConflictError

__all__ = ["ContactError", "contact_agreement_set", "contact_log"]

DESCRIPTION_MAX = 300
NOTE_MAX = 1000
NAME_MAX = 200


class ContactError(ValueError):
    """Input that cannot be saved. `code` names the rule; the message never holds user text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _require(*checks: tuple[bool, str]) -> None:
    """ContactError with the code of the first check, in order, that does not hold."""
    for holds, code in checks:
        if not holds:
            raise ContactError(code)


@transaction.atomic
def contact_agreement_set(
    *,
    actor,
    case: Case,
    cadence_days: int,
    responsible: str,
    channel: str,
    description: str = "",
    lighter_start_weeks: int | None = None,
    lighter_cadence_days: int | None = None,
    expected_version: int | None = None,
) -> ContactAgreement:
    """Make a new current contact agreement for the case; the previous one stays in the history.

    `expected_version` is the version the edit started from (0: there was none); None skips the
    check (a meeting's agreement turned into a contact agreement). The same terms as the current
    agreement change nothing and return it.
    """
    description = (description or "").strip()
    errors = cadence_rules.cadence_errors(
        cadence_rules.Cadence(cadence_days, lighter_start_weeks, lighter_cadence_days)
    )
    if errors:
        raise ContactError(errors[0])
    _require(
        (responsible in ContactResponsible.values, "bad_responsible"),
        (channel in Channel.values, "bad_channel"),
        (len(description) <= DESCRIPTION_MAX, "description_too_long"),
    )

    current = ContactAgreement.objects.filter(case=case, current=True).first()
    current_version = current.version if current else 0
    if expected_version is not None and expected_version != current_version:
        raise ConflictError
    terms = {
        "cadence_days": cadence_days,
        "lighter_start_weeks": lighter_start_weeks,
        "lighter_cadence_days": lighter_cadence_days,
        "responsible": responsible,
        "channel": channel,
        "description": description,
    }
    if current is not None:
        changed = sorted(name for name, value in terms.items() if getattr(current, name) != value)
        if not changed:
            return current
        # Conditional: a concurrent change from the same version finds no current row and conflicts.
        if not ContactAgreement.objects.filter(pk=current.pk, current=True).update(current=False):
            raise ConflictError
    else:
        changed = sorted(name for name, value in terms.items() if value not in (None, ""))
    try:
        with transaction.atomic():
            agreement = ContactAgreement.objects.create(
                case=case, version=current_version + 1, current=True, created_by=actor, **terms
            )
    except IntegrityError:
        # Another first agreement was saved at the same moment.
        raise ConflictError from None
    # For everyone on the case: the agreement is about the workplace. Labels only; the free
    # description ("who calls whom") stays out of the params.
    timeline_record(
        case=case,
        kind=EventKind.CONTACT_AGREEMENT,
        actor=actor,
        audience=Audience.ALL,
        version=agreement.version,
        cadence_days=cadence_days,
        responsible=responsible,
        channel=channel,
        start_weeks=lighter_start_weeks,
        start_cadence_days=lighter_cadence_days,
    )
    audit_record(actor=actor, action=AuditAction.CONTACT_AGREEMENT_CHANGED, case=case, fields=changed)
    calendar_refresh(case)
    return agreement


@transaction.atomic
def contact_log(
    *,
    actor,
    case: Case,
    occurred_on: dt.date,
    channel: str,
    note: str = "",
    audience: str = Audience.ALL,
    with_participant: Participant | None = None,
    with_coordinator: bool = False,
    with_name: str = "",
    today: dt.date | None = None,
) -> ContactEntry:
    """Log a contact the actor had, with one of: a participant of the case, the case's coordinator,
    or someone named in `with_name`.

    The audience is the actor's choice, with two exceptions made here, whatever the caller asks:
    employer-side users write for everyone (they could not read their own note otherwise), and a
    contact by or with a health professional is for professionals only.
    """
    today = today or timezone.localdate()
    note = (note or "").strip()
    with_name = (with_name or "").strip()
    _require(
        (occurred_on <= today, "future"),
        (occurred_on >= case.first_sick_day, "before_first_sick_day"),
        (channel in Channel.values, "bad_channel"),
        (audience in Audience.values, "bad_audience"),
        (len(note) <= NOTE_MAX, "note_too_long"),
        (sum((with_participant is not None, bool(with_coordinator), bool(with_name))) == 1, "with_whom_missing"),
    )

    access = case_access(actor, case)
    if with_participant is not None:
        if with_participant.case_id != case.pk:
            raise ContactError("not_on_case")
        if not access.can_view_health and with_participant.is_health_professional:
            # Employer-side users do not see the case's health professionals (the form does not offer
            # them: selectors.participant_choices); they cannot name them.
            raise ContactError("not_on_case")
        with_role, with_name = with_participant.role, with_participant.display_name
    elif with_coordinator:
        if case.coordinator_id is None:
            raise ContactError("no_coordinator")
        with_role, with_name = "coordinator", case.coordinator.display_name
    else:
        if len(with_name) > NAME_MAX:
            raise ContactError("name_too_long")
        with_role = ""
    involves_health = access.is_health_professional or bool(
        with_participant is not None and with_participant.is_health_professional
    )
    if involves_health:
        audience = Audience.PROFESSIONALS
    elif not may_choose_audience(access):
        audience = Audience.ALL

    entry = ContactEntry.objects.create(
        case=case,
        occurred_on=occurred_on,
        logged_by=actor,
        participant=with_participant,
        with_role=with_role,
        with_name=with_name,
        channel=channel,
        note=note,
        audience=audience,
        involves_health_professional=involves_health,
    )
    # The note's text never goes into the timeline or the audit log: ids and labels only.
    timeline_record(
        case=case,
        kind=EventKind.CONTACT_LOGGED,
        actor=actor,
        audience=audience,
        contact=str(entry.public_id),
        channel=channel,
        date=occurred_on.isoformat(),
        with_role=with_role,
    )
    fields = ["audience", "channel", "occurred_on", "with"] + (["note"] if note else [])
    audit_record(actor=actor, action=AuditAction.CONTACT_LOGGED, case=case, fields=fields)
    calendar_refresh(case)
    return entry
