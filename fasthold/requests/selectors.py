"""Who reads which requests and messages (see fasthold.requests.models), and what their pages log."""

from django.db.models import Q, QuerySet

from fasthold.audit.readlog import log_read
from fasthold.cases.access import CaseAccess
from fasthold.cases.models import Case
from fasthold.requests.models import MeetingRequest, Message, Side


def is_professional(access: CaseAccess) -> bool:
    return access.is_staff or access.is_health_professional


def requests_for(case: Case, user, access: CaseAccess) -> QuerySet[MeetingRequest]:
    rows = MeetingRequest.objects.filter(case=case).select_related("asked_by", "meeting")
    if is_professional(access):
        return rows
    if access.is_employee:
        return rows.filter(side=Side.EMPLOYEE)
    if access.is_employer_side:
        return rows.filter(Q(asked_by=user) | Q(side=Side.EMPLOYEE, share_with_employer=True))
    return rows.none()


def messages_for(case: Case, user, access: CaseAccess) -> QuerySet[Message]:
    """The employee also gets the workplace's messages whose answer the coordinator shared with her; the
    template shows her the answer only (show_question below)."""
    rows = Message.objects.filter(case=case).select_related("author", "answered_by")
    if is_professional(access):
        return rows
    if access.is_employee:
        return rows.filter(Q(side=Side.EMPLOYEE) | Q(side=Side.EMPLOYER, answer_shared_with_employee=True))
    if access.is_employer_side:
        return rows.filter(Q(author=user) | Q(side=Side.EMPLOYEE, share_with_employer=True))
    return rows.none()


def show_question(message: Message, access: CaseAccess) -> bool:
    """The text the author wrote: never a manager's text to the employee."""
    return not (access.is_employee and not is_professional(access) and message.side == Side.EMPLOYER)


def _employer_reader(access: CaseAccess) -> bool:
    return access.is_employer_side and not is_professional(access) and not access.is_employee


def show_answer(message: Message, access: CaseAccess) -> bool:
    """The coordinator's answer: the employee shares her message with the workplace, not the answer (it may
    hold health information); the workplace reads that only when the coordinator shared it too."""
    if message.side == Side.EMPLOYEE and _employer_reader(access):
        return message.answer_shared_with_employer
    return True


def log_reads(request_or_user, case: Case, access: CaseAccess, requests, messages) -> None:
    """What the employee wrote may hold health information: log each page that shows it, as every read of
    health text is logged (hers too). Staff, health professionals and the employee herself read it as
    health text; the employer side only what she shared (a shared read), and the coordinator's answer to
    it only when the coordinator shared that too."""
    fields = []
    if any(r.side == Side.EMPLOYEE for r in requests):
        fields.append("employee_meeting_request")
    if any(m.side == Side.EMPLOYEE for m in messages):
        fields.append("employee_message")
    if any(m.side == Side.EMPLOYEE and m.is_answered and show_answer(m, access) for m in messages):
        fields.append("employee_message_answer")
    if not fields:
        return
    log_read(request_or_user, case, fields=fields, shared=_employer_reader(access))
