"""Asking for a meeting, sending a message, answering it, planning the meeting a request asked for.

Each change is audited (field names only) and, where the coordinator should act, raises a notification
for the case's coordinator in the same transaction; the notification is closed when the task is done.
The worklist's rows come from post_save (fasthold.worklist.signals), in the same transaction too.
"""

from django.db import transaction
from django.utils import timezone

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import CaseAccess
from fasthold.cases.models import Case
from fasthold.kernel import ConflictError, NotAllowed
from fasthold.meetings import services as meeting_services
from fasthold.notifications import outbox
from fasthold.requests import notices
from fasthold.requests.models import MeetingRequest, Message, RequestStatus, Side


def side_of(access: CaseAccess) -> str:
    """Only the employee and the employer side ask from their portals."""
    if access.is_employee:
        return Side.EMPLOYEE
    if access.is_employer_side:
        return Side.EMPLOYER
    raise NotAllowed("requests.side")


def _require_open(case: Case) -> None:
    if case.is_closed:
        raise NotAllowed("requests.case_closed")


@transaction.atomic
def ask_for_meeting(
    *,
    actor,
    case: Case,
    access: CaseAccess,
    purpose: str,
    interpreter: bool = False,
    health_professional: bool = False,
    video: bool = False,
    share_with_employer: bool = False,
) -> MeetingRequest:
    side = side_of(access)
    _require_open(case)
    purpose = purpose.strip()
    if not purpose:
        raise NotAllowed("requests.purpose")
    meeting_request = MeetingRequest.objects.create(
        case=case,
        asked_by=actor,
        side=side,
        purpose=purpose[:1000],
        interpreter=interpreter,
        health_professional=health_professional,
        video=video,
        share_with_employer=share_with_employer and side == Side.EMPLOYEE,
    )
    audit_record(actor=actor, action=AuditAction.REQUEST_CREATED, case=case, fields=["meeting_request"])
    outbox.notify(case.coordinator_id, notices.MEETING_REQUEST, case=case, object_id=meeting_request.pk)
    return meeting_request


@transaction.atomic
def send_message(*, actor, case: Case, access: CaseAccess, body: str, share_with_employer: bool = False) -> Message:
    side = side_of(access)
    _require_open(case)
    body = body.strip()
    if not body:
        raise NotAllowed("requests.body")
    message = Message.objects.create(
        case=case,
        author=actor,
        side=side,
        body=body[:2000],
        share_with_employer=share_with_employer and side == Side.EMPLOYEE,
    )
    audit_record(actor=actor, action=AuditAction.MESSAGE_SENT, case=case, fields=["message"])
    outbox.notify(case.coordinator_id, notices.MESSAGE, case=case, object_id=message.pk)
    return message


@transaction.atomic
def answer_message(
    *,
    actor,
    message: Message,
    expected_version: int,
    answer: str,
    share_with_employee: bool = False,
    share_with_employer: bool = False,
) -> Message:
    """The coordinator's answer (written once; a second answer written meanwhile is a conflict).
    share_with_employee: a workplace's message, the answer (never the message) to the employee.
    share_with_employer: an employee's message she shares with the workplace, the answer to it too."""
    answer = answer.strip()
    if not answer:
        raise NotAllowed("requests.answer")
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.version != expected_version or locked.is_answered:
        raise ConflictError
    locked.answer = answer[:2000]
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.answer_shared_with_employee = share_with_employee and locked.side == Side.EMPLOYER
    locked.answer_shared_with_employer = (
        share_with_employer and locked.side == Side.EMPLOYEE and locked.share_with_employer
    )
    locked.version += 1
    locked.save()
    fields = ["answer"]
    fields += [f for f in ("answer_shared_with_employee", "answer_shared_with_employer") if getattr(locked, f)]
    audit_record(actor=actor, action=AuditAction.MESSAGE_ANSWERED, case=locked.case, fields=fields)
    outbox.close(notices.MESSAGE, object_id=locked.pk)
    return locked


def _close(meeting_request: MeetingRequest, *, actor, status: str, expected_version: int, meeting=None) -> None:
    locked = MeetingRequest.objects.select_for_update().get(pk=meeting_request.pk)
    if locked.version != expected_version:
        raise ConflictError
    if not locked.is_open:
        raise NotAllowed("requests.closed")
    locked.status = status
    locked.meeting = meeting
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.version += 1
    locked.save()
    meeting_request.__dict__.update(
        {k: getattr(locked, k) for k in ("status", "meeting_id", "closed_at", "closed_by_id", "version")}
    )
    outbox.close(notices.MEETING_REQUEST, object_id=locked.pk)


@transaction.atomic
def withdraw_request(*, actor, meeting_request: MeetingRequest, expected_version: int) -> None:
    """The one who asked no longer wants the meeting."""
    if meeting_request.asked_by_id != actor.pk:
        raise NotAllowed("requests.not_yours")
    _close(meeting_request, actor=actor, status=RequestStatus.WITHDRAWN, expected_version=expected_version)
    audit_record(
        actor=actor, action=AuditAction.REQUEST_WITHDRAWN, case=meeting_request.case, fields=["meeting_request"]
    )


@transaction.atomic
def plan_for_request(*, actor, meeting_request: MeetingRequest, expected_version: int, **meeting):
    """Plan the meeting a request asked for (fasthold.meetings.services.meeting_plan's arguments); the
    request is then fulfilled, linked to the meeting, and its notification closed, all in one transaction."""
    planned = meeting_services.meeting_plan(actor=actor, case=meeting_request.case, **meeting)
    _close(
        meeting_request, actor=actor, status=RequestStatus.PLANNED, expected_version=expected_version, meeting=planned
    )
    return planned
