"""Giving a case, or all of a coordinator's open cases, to a colleague with a handover note.

The new coordinator must be an active coordinator or administrator of the case-owning organisation (the
staff who may edit). The case calendar copies the coordinator onto each deadline, so the change is passed
on through `hooks.dates_changed` (`dates_changed_many` for a bulk handover): the next digest run sends the
case's deadlines to the new coordinator. `hooks.coordinator_changed` tells the apps above (requests moves
the old coordinator's open notifications of requests and messages to the new one).
Audited (the coordinator field and that a note was written, never the note); the timeline says who took
over (for professionals), and the note itself is kept in `Handover`, shown to staff only.
"""

import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases import hooks
from fasthold.cases.access import case_access
from fasthold.cases.choices import CaseStatus
from fasthold.cases.models import Audience, Case, EventKind, Handover
from fasthold.cases.timeline import timeline_record
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.organisations.models import STAFF_WRITE_ROLES, OrgRole

NOTE_MAX_LENGTH = 2000
# Who may take a case over: those who may edit cases (the read-only role may not).
TAKEOVER_ROLES = STAFF_WRITE_ROLES


class NoteRequired(ValueError):
    """No handover note (or one too long); nothing was written."""


def colleagues(organisation_id: int, *, exclude_user_id: int | None = None):
    """Active staff of the organisation who may coordinate a case, by name."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role__in=TAKEOVER_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note or len(note) > NOTE_MAX_LENGTH:
        raise NoteRequired
    return note


def _hand_over(*, actor, case: Case, expected_version: int, to_user, note: str) -> None:
    previous_id = case.coordinator_id
    update_versioned(Case, case, expected_version, {"coordinator": to_user})
    Handover.objects.create(case=case, from_user_id=previous_id, to_user=to_user, note=note, created_by=actor)
    audit_record(actor=actor, action=AuditAction.COORDINATOR_REASSIGNED, case=case, fields=["coordinator", "note"])
    timeline_record(
        case=case,
        kind=EventKind.COORDINATOR_REASSIGNED,
        actor=actor,
        audience=Audience.PROFESSIONALS,
        name=to_user.display_name,
    )


@transaction.atomic
def reassign_case(*, actor, case: Case, expected_version: int, to_user, note: str) -> None:
    """Give one case to `to_user`. PermissionDenied unless the actor may edit the case; NotAllowed when
    `to_user` may not coordinate it (or already does); NoteRequired without a note; ConflictError when
    the case was saved since the form was opened."""
    case_access(actor, case).require_edit()
    if case.status == CaseStatus.CLOSED:
        raise NotAllowed("closed")
    if to_user is None or not colleagues(case.organisation_id).filter(pk=to_user.pk).exists():
        raise NotAllowed("not a colleague")
    if to_user.pk == case.coordinator_id:
        raise NotAllowed("already the coordinator")
    note = _clean_note(note)
    previous_id = case.coordinator_id
    _hand_over(actor=actor, case=case, expected_version=expected_version, to_user=to_user, note=note)
    # The deadlines carry a copy of the coordinator: the digests follow the case from the next run.
    hooks.dates_changed(case)
    hooks.coordinator_changed([case.pk], previous_id, to_user.pk)


def open_cases_of(organisation_id: int, coordinator_id: int):
    return (
        Case.objects.filter(organisation_id=organisation_id, coordinator_id=coordinator_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("pk")
    )


def cases_key(case_ids) -> str:
    """A short fingerprint of a set of cases (the preview an administrator saw before a bulk handover)."""
    joined = ",".join(str(pk) for pk in sorted(set(case_ids)))
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


@transaction.atomic
def reassign_all(*, actor, organisation_id: int, from_user, to_user, note: str, expected_key: str | None = None) -> int:
    """An administrator gives every open case `from_user` coordinates in the organisation to `to_user`, in
    one transaction: all or none (ConflictError when one of them is saved meanwhile, or when the open cases
    are not those previewed: `expected_key`, their cases_key()). Returns how many."""
    from fasthold.organisations.models import Membership

    if not Membership.objects.filter(user=actor, organisation_id=organisation_id, role=OrgRole.ADMIN).exists():
        raise NotAllowed("administrators only")
    if to_user is None or to_user.pk == from_user.pk:
        raise NotAllowed("not a colleague")
    if not colleagues(organisation_id).filter(pk=to_user.pk).exists():
        raise NotAllowed("not a colleague")
    note = _clean_note(note)
    cases = list(
        open_cases_of(organisation_id, from_user.pk).select_related("employment").select_for_update(of=("self",))
    )
    if expected_key is not None and cases_key(c.pk for c in cases) != expected_key:
        # A case was given to (or taken from) the coordinator after the preview: the administrator has
        # not seen what would move.
        raise ConflictError
    for case in cases:
        if case.coordinator_id != from_user.pk:
            raise ConflictError
        _hand_over(actor=actor, case=case, expected_version=case.version, to_user=to_user, note=note)
    # The calendars in bulk: a fixed number of queries, however many cases.
    hooks.dates_changed_many(cases)
    hooks.coordinator_changed([c.pk for c in cases], from_user.pk, to_user.pk)
    return len(cases)
