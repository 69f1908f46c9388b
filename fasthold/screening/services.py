"""Workflows of visitation and screening. Each writes its change, a timeline event for the
professionals and an audit row (field names only) in one transaction, and takes the actor."""

import dataclasses
import datetime as dt
import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.models import Audience, Case, EventKind
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import ConflictError, update_versioned
from fasthold.screening import prognosis
from fasthold.screening import visitation as rules
from fasthold.screening.instruments import Instrument, Result, instrument_from_json, score
from fasthold.screening.models import (
    AllocationMethod,
    Arm,
    CustomScale,
    Decision,
    LicensedInstrument,
    PlannedSession,
    PrognosticProfile,
    Program,
    QuestionnaireResponse,
    SessionStatus,
    Visitation,
)

# Screening is health-related: only the coordinator, the employee and health professionals see its events.
_AUDIENCE = Audience.PROFESSIONALS


def case_facts(case: Case, today: dt.date | None = None) -> rules.CaseFacts:
    return rules.CaseFacts(
        weeks_since_first_sick_day=case.weeks_since_first_sick_day(today),
        employment_status=case.employment.status if case.employment_id else "",
        cause_group=case.cause_group,
        cause_category=case.cause_category,
    )


def visitation_evaluate(case: Case, criteria, answers: dict[str, Any]) -> rules.Evaluation:
    values = {key: entry.get("value") for key, entry in answers.items() if isinstance(entry, dict)}
    return rules.evaluate([c.spec() for c in criteria], case_facts(case), values)


# --------------------------------------------------------------------------- visitation


@transaction.atomic
def visitation_answer(
    *,
    actor,
    case: Case,
    program: Program,
    visitation: Visitation | None,
    expected_version: int | None,
    answers: dict[str, dict[str, Any]],
) -> Visitation:
    """Save the answered criteria (creating the visitation on first save) and re-evaluate."""
    criteria = list(program.criteria.all())
    evaluation = visitation_evaluate(case, criteria, answers)
    computed = {o.id: o.value for o in evaluation.outcomes if o.id not in answers}
    values = {
        "answers": answers,
        "computed": computed,
        "result": evaluation.result,
        "failing": list(evaluation.failing),
    }
    if visitation is None:
        visitation, created = Visitation.objects.get_or_create(
            case=case, program=program, defaults={**values, "created_by": actor}
        )
        if not created:  # someone else started it a moment ago
            raise ConflictError
    else:
        if visitation.decision == Decision.ACCEPTED and evaluation.result != rules.ELIGIBLE:
            values["decision"] = Decision.WAITING
        update_versioned(Visitation, visitation, expected_version, values)
    _visitation_changed(actor, case, program, "visitation_answered", AuditAction.HEALTH_UPDATED, ["visitation"])
    return visitation


def _visitation_changed(actor, case: Case, program: Program, step: str, action: str, fields: list[str], **params):
    """A visitation step on the timeline (for professionals: it names the program) and in the audit log."""
    timeline_record(
        case=case, kind=EventKind.NOTE, actor=actor, audience=_AUDIENCE, screening=step, program=program.name, **params
    )
    audit_record(actor=actor, action=action, case=case, fields=fields)


@transaction.atomic
def visitation_decide(*, actor, visitation: Visitation, expected_version: int, decision: str) -> None:
    if decision == Decision.ACCEPTED and not visitation.is_eligible:
        raise ValueError("only an eligible case can be accepted")
    update_versioned(
        Visitation,
        visitation,
        expected_version,
        {"decision": decision, "decided_by": actor, "decided_at": timezone.now()},
    )
    _visitation_changed(
        actor,
        visitation.case,
        visitation.program,
        "visitation_decided",
        AuditAction.CASE_UPDATED,
        ["visitation_decision"],
        decision=decision,
    )


@transaction.atomic
def visitation_allocate(
    *,
    actor,
    visitation: Visitation,
    expected_version: int,
    method: str,
    start_date: dt.date,
    arm: Arm | None = None,
    seed: int | None = None,
) -> list[PlannedSession]:
    """Allocate an arm by hand or at random (seed recorded), and plan the arm's sessions from start_date."""
    program = visitation.program
    arms = list(program.arms.all())
    if method == AllocationMethod.RANDOM:
        if not program.randomised:
            raise ValueError("this program does not randomise")
        seed = rules.new_seed() if seed is None else seed
        by_id = {str(a.pk): a for a in arms}
        arm = by_id[rules.allocate(list(by_id), seed)]
    elif arm is None or arm.program_id != program.pk:
        raise ValueError("choose one of the program's arms")
    else:
        seed = None
    update_versioned(
        Visitation,
        visitation,
        expected_version,
        {
            "arm": arm,
            "allocation_method": method,
            "random_seed": seed,
            "start_date": start_date,
            "allocated_by": actor,
            "allocated_at": timezone.now(),
        },
    )
    planned = rules.plan_sessions([t.row() for t in arm.session_templates.all()], start_date)
    sessions = PlannedSession.objects.bulk_create(
        [PlannedSession(visitation=visitation, **dataclasses.asdict(p)) for p in planned]
    )
    _visitation_changed(
        actor,
        visitation.case,
        program,
        "visitation_allocated",
        AuditAction.CASE_UPDATED,
        ["visitation_arm"],
        method=method,
    )
    return sessions


@transaction.atomic
def visitation_drop_out(*, actor, visitation: Visitation, expected_version: int, on: dt.date, reason: str) -> int:
    """Record the drop-out; sessions planned after the date are cancelled. Returns how many."""
    update_versioned(Visitation, visitation, expected_version, {"dropout_on": on, "dropout_reason": reason})
    cancelled = visitation.sessions.filter(date__gt=on, status=SessionStatus.PLANNED).update(
        status=SessionStatus.CANCELLED
    )
    _visitation_changed(
        actor,
        visitation.case,
        visitation.program,
        "visitation_dropout",
        AuditAction.CASE_UPDATED,
        ["visitation_dropout_on", "visitation_dropout_reason"],
    )
    return cancelled


# --------------------------------------------------------------------------- prognostic profile


def profile_read(*, actor, case: Case) -> PrognosticProfile:
    """The profile; the view that shows it logs the read (fasthold.audit.readlog)."""
    record, _ = PrognosticProfile.objects.get_or_create(case=case)
    return record


@transaction.atomic
def profile_update(
    *, actor, case: Case, record: PrognosticProfile, expected_version: int, answers: dict[str, dict[str, str]]
) -> bool:
    answers = prognosis.normalise(answers)
    changed = answers != prognosis.normalise(record.answers)
    update_versioned(PrognosticProfile, record, expected_version, {"answers": answers, "updated_by": actor})
    if changed:
        timeline_record(
            case=case, kind=EventKind.HEALTH_UPDATED, actor=actor, audience=_AUDIENCE, screening="prognostic_profile"
        )
        audit_record(actor=actor, action=AuditAction.HEALTH_UPDATED, case=case, fields=["prognostic_profile"])
    return changed


# --------------------------------------------------------------------------- questionnaires


def questionnaires_read(*, actor, case: Case) -> list[QuestionnaireResponse]:
    """The case's responses; the view that shows them logs the read (fasthold.audit.readlog)."""
    return list(QuestionnaireResponse.objects.filter(case=case).select_related("entered_by"))


@transaction.atomic
def questionnaire_record(
    *,
    actor,
    case: Case,
    instrument: Instrument,
    answers: list[int],
    source: str,
    answered_on: dt.date,
) -> QuestionnaireResponse:
    """Score with the pure engine (InstrumentError on bad answers, nothing saved) and store."""
    result: Result = score(instrument, answers)
    response = QuestionnaireResponse.objects.create(
        case=case,
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        instrument_name=dict(instrument.name),
        answers=list(result.answers),
        raw=result.raw,
        score=result.score,
        band=result.band.key if result.band else "",
        band_label=dict(result.band.label) if result.band else {},
        subscores=dict(result.subscores),
        algorithms={key: {**a.as_dict(), "label": dict(a.label)} for key, a in result.algorithms.items()},
        entered_by=actor,
        source=source,
        answered_on=answered_on,
    )
    timeline_record(
        case=case, kind=EventKind.HEALTH_UPDATED, actor=actor, audience=_AUDIENCE, screening="questionnaire"
    )
    audit_record(actor=actor, action=AuditAction.HEALTH_UPDATED, case=case, fields=["questionnaires"])
    return response


@transaction.atomic
def custom_scale_create(*, actor, organisation, instrument: Instrument, definition: dict) -> CustomScale:
    return CustomScale.objects.create(
        organisation=organisation, instrument_id=instrument.id, definition=definition, created_by=actor
    )


@transaction.atomic
def licensed_instrument_upload(*, actor, organisation, text: str) -> LicensedInstrument:
    """Validate with the engine (InstrumentError, nothing saved) and store or replace the file."""

    instrument = instrument_from_json(text)
    record, _ = LicensedInstrument.objects.update_or_create(
        organisation=organisation,
        instrument_id=instrument.id,
        defaults={"content": json.loads(text), "uploaded_by": actor},
    )
    return record
