"""Workflows on cases. Each writes its change, its timeline event and its audit row in one
transaction, and takes the acting user explicitly."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import eligibility, hooks, names
from fasthold.cases.choices import CaseStatus, ParticipantRole
from fasthold.cases.models import (
    Audience,
    Case,
    Employment,
    EventKind,
    HealthRecord,
    Participant,
    Person,
)
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import update_versioned
from fasthold.organisations.models import Organisation

# Fields whose names may appear in the timeline for everyone; the rest are shown to professionals only.
_EMPLOYER_VISIBLE_FIELDS = {
    "first_sick_day",
    "expected_weeks",
    "absence_extent",
    "absence_hours_per_week",
    "status",
    "coordinator",
    "employment",
    "job_title",
    "weekly_hours",
    "employer",
    "profession_category",
    "ended_on",
}


def _changed(instance, data: dict[str, Any]) -> list[str]:
    return sorted(name for name, value in data.items() if getattr(instance, name) != value)


@transaction.atomic
def case_open(
    *,
    actor,
    organisation: Organisation,
    person: dict[str, Any],
    employment: dict[str, Any],
    case: dict[str, Any],
) -> Case:
    person_obj = Person.objects.create(**person)
    employment_obj = Employment.objects.create(person=person_obj, **employment)
    case_obj = Case.objects.create(person=person_obj, organisation=organisation, employment=employment_obj, **case)
    HealthRecord.objects.create(case=case_obj)
    Participant.objects.create(case=case_obj, role=ParticipantRole.EMPLOYEE, user=person_obj.user, name=person_obj.name)
    timeline_record(case=case_obj, kind=EventKind.CASE_OPENED, actor=actor)
    audit_record(actor=actor, action=AuditAction.CASE_CREATED, case=case_obj)
    hooks.dates_changed(case_obj)  # the case calendar (deadlines) is computed
    return case_obj


@transaction.atomic
def case_update(
    *,
    actor,
    case: Case,
    expected_version: int,
    case_data: dict[str, Any],
    person_data: dict[str, Any] | None = None,
    employment_data: dict[str, Any] | None = None,
) -> list[str]:
    """Save an edit made from `expected_version`. Returns the changed field names."""
    changed = _changed(case, case_data)
    old_coordinator = case.coordinator_id
    update_versioned(Case, case, expected_version, case_data)
    if person_data:
        person_changed = _changed(case.person, person_data)
        if person_changed:
            new_name = person_data.get("name", case.person.name)
            Person.objects.filter(pk=case.person_id).update(**person_data, search_name=new_name.casefold())
            if "name" in person_changed:
                # Every case of the person sorts by the new name (Case.sort_name).
                Case.objects.filter(person_id=case.person_id).update(sort_name=names.sort_key(new_name))
            for name, value in person_data.items():
                setattr(case.person, name, value)
            changed += person_changed
    if employment_data and case.employment_id:
        employment_changed = _changed(case.employment, employment_data)
        if employment_changed:
            Employment.objects.filter(pk=case.employment_id).update(**employment_data)
            for name, value in employment_data.items():
                setattr(case.employment, name, value)
            changed += employment_changed
    if changed:
        public = [f for f in changed if f in _EMPLOYER_VISIBLE_FIELDS]
        private = [f for f in changed if f not in _EMPLOYER_VISIBLE_FIELDS]
        if public:
            timeline_record(case=case, kind=EventKind.CASE_UPDATED, actor=actor, fields=public)
        if private:
            timeline_record(
                case=case, kind=EventKind.CASE_UPDATED, actor=actor, audience=Audience.PROFESSIONALS, fields=private
            )
        audit_record(actor=actor, action=AuditAction.CASE_UPDATED, case=case, fields=changed)
        hooks.dates_changed(case)
        if "coordinator" in changed and case.coordinator_id is not None:
            # An edit to another coordinator is a handover too: what waits for the coordinator follows.
            hooks.coordinator_changed([case.pk], old_coordinator, case.coordinator_id)
    return changed


@transaction.atomic
def case_close(*, actor, case: Case, expected_version: int, closed_on: dt.date, outcome: str) -> None:
    update_versioned(
        Case, case, expected_version, {"status": CaseStatus.CLOSED, "closed_on": closed_on, "outcome": outcome}
    )
    timeline_record(
        case=case, kind=EventKind.CASE_CLOSED, actor=actor, outcome=outcome, closed_on=closed_on.isoformat()
    )
    audit_record(actor=actor, action=AuditAction.CASE_CLOSED, case=case, fields=["closed_on", "outcome", "status"])
    hooks.dates_changed(case)


@transaction.atomic
def case_reopen(*, actor, case: Case, expected_version: int) -> None:
    update_versioned(Case, case, expected_version, {"status": CaseStatus.OPEN, "closed_on": None, "outcome": ""})
    timeline_record(case=case, kind=EventKind.CASE_REOPENED, actor=actor)
    audit_record(actor=actor, action=AuditAction.CASE_REOPENED, case=case, fields=["closed_on", "outcome", "status"])
    hooks.dates_changed(case)


def case_view_log(*, actor, case: Case) -> None:
    """Who viewed which person's case (the Danish public-sector ViewLog practice)."""
    audit_record(actor=actor, action=AuditAction.CASE_VIEWED, case=case)


def health_read(*, actor, case: Case) -> HealthRecord:
    """The health part. Callers have checked access; the view that shows it logs the read
    (fasthold.audit.readlog.log_read), so a page showing several health things is one read."""
    record, _ = HealthRecord.objects.get_or_create(case=case)
    return record


@transaction.atomic
def health_update(*, actor, case: Case, record: HealthRecord, expected_version: int, data: dict[str, str]) -> None:
    changed = _changed(record, data)
    update_versioned(HealthRecord, record, expected_version, {**data, "updated_by": actor})
    if changed:
        timeline_record(case=case, kind=EventKind.HEALTH_UPDATED, actor=actor, audience=Audience.PROFESSIONALS)
        audit_record(actor=actor, action=AuditAction.HEALTH_UPDATED, case=case, fields=changed)


def cpr_reveal(*, actor, case: Case) -> str:
    audit_record(actor=actor, action=AuditAction.CPR_REVEALED, case=case)
    return case.person.cpr


@transaction.atomic
def participant_add(*, actor, case: Case, data: dict[str, Any]) -> Participant:
    """Add someone to the case. Raises eligibility.NotEligible, writing nothing, for anyone the
    rules do not allow in that role, whatever the form sent."""
    data = dict(data)
    agreement = data.pop("health_agreement", "") or ""
    role = data["role"]
    eligibility.check(case, role, user=data.get("user"), health_agreement=agreement)
    if eligibility.rule_for(role).health_agreement:
        data.update(
            health_agreement=agreement, health_agreement_recorded_by=actor, health_agreement_recorded_at=timezone.now()
        )
    try:
        with transaction.atomic():
            participant = Participant.objects.create(case=case, **data)
    except IntegrityError:
        # The form checked for a duplicate, but a second identical submission can arrive in between.
        raise eligibility.NotEligible(str(_("This person already takes part in the case in that role."))) from None
    audience = Audience.PROFESSIONALS if participant.is_health_professional else Audience.ALL
    timeline_record(
        case=case,
        kind=EventKind.PARTICIPANT_ADDED,
        actor=actor,
        audience=audience,
        role=participant.role,
        name=participant.display_name,
    )
    audit_record(actor=actor, action=AuditAction.PARTICIPANT_ADDED, case=case, fields=["role"])
    return participant


@transaction.atomic
def participant_remove(*, actor, case: Case, participant: Participant) -> None:
    audience = Audience.PROFESSIONALS if participant.is_health_professional else Audience.ALL
    timeline_record(
        case=case,
        kind=EventKind.PARTICIPANT_REMOVED,
        actor=actor,
        audience=audience,
        role=participant.role,
        name=participant.display_name,
    )
    audit_record(actor=actor, action=AuditAction.PARTICIPANT_REMOVED, case=case, fields=["role"])
    participant.delete()
