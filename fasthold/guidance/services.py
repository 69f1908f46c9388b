"""Workflows of the guidance pages. Each writes in one transaction and takes the acting user."""

from typing import Any

from django.db import IntegrityError, transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.models import Audience, Case, EventKind, TimelineEvent
from fasthold.cases.timeline import timeline_record
from fasthold.guidance.models import AbsencePolicy, ProfessionNote
from fasthold.kernel import ConflictError, update_versioned
from fasthold.organisations.models import Organisation

__all__ = ["first_contact_record", "policy_save", "profession_note_update"]


@transaction.atomic
def policy_save(*, actor, organisation: Organisation, expected_version: int, data: dict[str, Any]) -> AbsencePolicy:
    """Create the organisation's policy (expected_version 0) or save an edit made from expected_version."""
    if expected_version == 0:
        try:
            with transaction.atomic():
                return AbsencePolicy.objects.create(organisation=organisation, updated_by=actor, **data)
        except IntegrityError:
            # Someone else created it since this editor opened the template.
            raise ConflictError from None
    policy = AbsencePolicy.objects.filter(organisation=organisation).first()
    if policy is None:
        raise ConflictError
    update_versioned(AbsencePolicy, policy, expected_version, {**data, "updated_by": actor})
    return policy


@transaction.atomic
def profession_note_update(*, actor, note: ProfessionNote, expected_version: int, data: dict[str, Any]) -> None:
    update_versioned(ProfessionNote, note, expected_version, {**data, "updated_by": actor})


@transaction.atomic
def first_contact_record(*, actor, case: Case, text: str) -> TimelineEvent:
    """The notes of the first call with the employer, on the timeline for professionals only."""
    event = timeline_record(case=case, kind=EventKind.NOTE, actor=actor, audience=Audience.PROFESSIONALS, text=text)
    audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=["first_contact_notes"])
    return event
