"""Changes to contact agreements and the contact log. Each is one transaction writing the change,
its timeline event and its audit row, and then refreshing the case calendar.

Errors are raised before anything is written: ContactError (bad input; its code is for the view to
turn into a message, never text from the user) and ConflictError (someone changed the agreement
since the edit began).
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access
from fasthold.cases.models import Audience, Case, EventKind, Participant
from fasthold.cases.timeline import timeline_record
from fasthold.coordination import cadence as cadence_rules
from fasthold.coordination.access import (
    may_choose_audience,
    may_decide_statement_sharing,
    may_record_assessment,
    may_work_on_statement,
)
from fasthold.coordination.models import (
    Channel,
    ContactAgreement,
    ContactEntry,
    ContactResponsible,
    PossibilityStatement,
    StatementEvent,
)
from fasthold.deadlines.services import calendar_refresh
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.sharing.models import Channel as SharingChannel
from fasthold.sharing.models import Recipient

__all__ = [
    "ContactError",
    "contact_agreement_set",
    "contact_log",
    "StatementError",
    "statement_request",
    "statement_part1",
    "statement_dates",
    "statement_assessment",
    "statement_agreement",
    "statement_share",
]

DESCRIPTION_MAX = 300
NOTE_MAX = 1000
NAME_MAX = 200


class ContactError(ValueError):
    """Input that cannot be saved. `code` names the rule; the message never holds user text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _require(*checks: tuple[bool, str], error: type[ContactError] = ContactError) -> None:
    """ContactError (or `error`) with the code of the first check, in order, that does not hold."""
    for holds, code in checks:
        if not holds:
            raise error(code)


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
    if not involves_health:
        # It counts under the agreement: the manager's overdue-contact reminder is done.
        from fasthold.coordination.reminders import close_contact_reminders

        close_contact_reminders(case)
    return entry


# ---------------------------------------------------------------------------------------------------
# The fitness-for-work statement (mulighedserklæring): asked for by the employer, part 1 written by the
# employer with the employee, sent to the doctor, back with the doctor's part 2, and what was agreed.
# Each change is one transaction: the change (versioned), its timeline event (ids and step names only,
# never text) and its audit row (field names only). Recording the doctor's part is HEALTH_UPDATED.

STATEMENT_TEXT_MAX = 2000


class StatementError(ContactError):
    """Input that cannot be saved on a statement. `code` names the rule (forms.STATEMENT_ERRORS words it)."""


def _statement_access(actor, case: Case, allowed) -> None:
    """The services check who may do what too, whatever a view does (PermissionDenied: 403)."""
    if not allowed(case_access(actor, case)):
        raise PermissionDenied


def _check_dates(*, today: dt.date, dates: dict[str, dt.date | None]) -> None:
    """No date in the future, and the steps in their order: request, conversation, sent, received."""
    _require(*((value is None or value <= today, "future") for value in dates.values()), error=StatementError)
    order = ("requested_on", "conversation_on", "sent_on", "received_on")
    earlier: dt.date | None = None
    for name in order:
        value = dates.get(name)
        if value is None:
            continue
        if earlier is not None and value < earlier:
            raise StatementError(f"{name}_too_early")
        earlier = value


def _statement_dates(statement: PossibilityStatement, **changes) -> dict:
    names = ("requested_on", "conversation_on", "sent_on", "received_on")
    return {name: changes.get(name, getattr(statement, name)) for name in names}


def _statement_changed(*, actor, statement: PossibilityStatement, step: str, fields, health: bool = False) -> None:
    timeline_record(
        case=statement.case,
        kind=StatementEvent.POSSIBILITY_STATEMENT,
        actor=actor,
        audience=Audience.ALL,
        statement=str(statement.public_id),
        step=step,
    )
    action = AuditAction.HEALTH_UPDATED if health else AuditAction.CASE_UPDATED
    audit_record(actor=actor, action=action, case=statement.case, fields=["possibility_statement", *fields])


def _statement_update(*, actor, statement, expected_version: int, values: dict, step: str, health=False) -> bool:
    """Write the values that differ from the saved ones (ConflictError if someone saved first). False,
    and nothing written, when nothing differs."""
    if statement.version != expected_version:
        raise ConflictError
    changed = sorted(name for name, value in values.items() if getattr(statement, name) != value)
    if not changed:
        return False
    update_versioned(PossibilityStatement, statement, expected_version, {n: values[n] for n in changed})
    _statement_changed(actor=actor, statement=statement, step=step, fields=changed, health=health)
    return True


def _text(value: str, *, required_code: str | None = None) -> str:
    value = (value or "").strip()
    _require((len(value) <= STATEMENT_TEXT_MAX, "text_too_long"), error=StatementError)
    if required_code:
        _require((bool(value), required_code), error=StatementError)
    return value


@transaction.atomic
def statement_request(
    *, actor, case: Case, requested_on: dt.date, requested_by_name: str, today: dt.date | None = None
) -> PossibilityStatement:
    """Record that a statement was asked for, by whom (a name) and when. A case may have several."""
    _statement_access(actor, case, may_work_on_statement)
    today = today or timezone.localdate()
    requested_by_name = (requested_by_name or "").strip()
    _require(
        (bool(requested_by_name), "name_missing"),
        (len(requested_by_name) <= NAME_MAX, "name_too_long"),
        error=StatementError,
    )
    _check_dates(today=today, dates={"requested_on": requested_on})
    if case.is_closed:
        raise NotAllowed("case_closed")
    statement = PossibilityStatement.objects.create(
        case=case, requested_on=requested_on, requested_by_name=requested_by_name, created_by=actor
    )
    _statement_changed(actor=actor, statement=statement, step="requested", fields=["requested_by_name", "requested_on"])
    return statement


@transaction.atomic
def statement_part1(
    *,
    actor,
    statement: PossibilityStatement,
    expected_version: int,
    conversation_on: dt.date,
    job_description: str,
    adaptations: str,
    today: dt.date | None = None,
) -> bool:
    """Part 1: the conversation held, what the job is and what can be adapted (work, not health)."""
    _statement_access(actor, statement.case, may_work_on_statement)
    job_description, adaptations = _text(job_description), _text(adaptations)
    _require((bool(job_description or adaptations), "part1_missing"), error=StatementError)
    _check_dates(
        today=today or timezone.localdate(), dates=_statement_dates(statement, conversation_on=conversation_on)
    )
    values = {"conversation_on": conversation_on, "job_description": job_description, "adaptations": adaptations}
    return _statement_update(
        actor=actor, statement=statement, expected_version=expected_version, values=values, step="part1"
    )


@transaction.atomic
def statement_dates(
    *,
    actor,
    statement: PossibilityStatement,
    expected_version: int,
    sent_on: dt.date | None,
    received_on: dt.date | None,
    today: dt.date | None = None,
) -> bool:
    """When the statement went to the doctor and when it came back."""
    _statement_access(actor, statement.case, may_work_on_statement)
    _require((sent_on is not None or received_on is not None, "dates_missing"), error=StatementError)
    _check_dates(
        today=today or timezone.localdate(),
        dates=_statement_dates(statement, sent_on=sent_on, received_on=received_on),
    )
    # The timeline names the step that moved: the return from the doctor, else the sending.
    step = "received" if received_on is not None and received_on != statement.received_on else "sent"
    values = {"sent_on": sent_on, "received_on": received_on}
    return _statement_update(
        actor=actor, statement=statement, expected_version=expected_version, values=values, step=step
    )


@transaction.atomic
def statement_assessment(
    *,
    actor,
    statement: PossibilityStatement,
    expected_version: int,
    received_on: dt.date,
    doctor_assessment: str,
    today: dt.date | None = None,
) -> bool:
    """Part 2: the doctor's assessment of what the employee can and cannot do, and when it came back.
    Health information (HEALTH_UPDATED); the employer sees it only while the employee shares it."""
    _statement_access(actor, statement.case, may_record_assessment)
    doctor_assessment = _text(doctor_assessment, required_code="assessment_missing")
    _check_dates(today=today or timezone.localdate(), dates=_statement_dates(statement, received_on=received_on))
    values = {"received_on": received_on, "doctor_assessment": doctor_assessment}
    return _statement_update(
        actor=actor, statement=statement, expected_version=expected_version, values=values, step="part2", health=True
    )


@transaction.atomic
def statement_agreement(*, actor, statement: PossibilityStatement, expected_version: int, agreed: str) -> bool:
    """What the employer and the employee agreed once the statement was back (about the work)."""
    _statement_access(actor, statement.case, may_work_on_statement)
    agreed = _text(agreed, required_code="agreed_missing")
    return _statement_update(
        actor=actor, statement=statement, expected_version=expected_version, values={"agreed": agreed}, step="agreed"
    )


SHARE_FIELDS = {Recipient.MANAGER: "shared_with_manager_at", Recipient.HR: "shared_with_hr_at"}


@transaction.atomic
def statement_share(
    *, actor, statement: PossibilityStatement, recipient: str, share: bool, channel: str = SharingChannel.SELF
) -> bool:
    """The employee shares part 2 of this statement with their manager or HR, or stops sharing it; or the
    coordinator records the employee's word, saying how it was given (oral or paper). Takes effect on the
    next page load. False, and nothing written, when it was already so. Not versioned: consent is the
    employee's and never waits for an edit of the statement to finish."""
    case = statement.case
    _statement_access(actor, case, may_decide_statement_sharing)
    if recipient not in SHARE_FIELDS or channel not in SharingChannel.values:
        raise ValueError("recipient or channel out of range")
    is_employee = case.person.user_id == actor.pk
    if is_employee != (channel == SharingChannel.SELF):
        raise ValueError("the employee gives consent themself; a coordinator says how it was given")
    field = SHARE_FIELDS[recipient]
    rows = PossibilityStatement.objects.filter(pk=statement.pk, **{f"{field}__isnull": share})
    value = timezone.now() if share else None
    if not rows.update(**{field: value}):
        return False
    setattr(statement, field, value)
    timeline_record(
        case=case,
        kind=StatementEvent.POSSIBILITY_STATEMENT,
        actor=actor,
        audience=Audience.PROFESSIONALS,
        statement=str(statement.public_id),
        step="shared" if share else "unshared",
        recipient=recipient,
        channel=channel,
    )
    action = AuditAction.CONSENT_GIVEN if share else AuditAction.CONSENT_WITHDRAWN
    audit_record(actor=actor, action=action, case=case, fields=["possibility_statement.doctor_assessment", recipient])
    return True
