"""E-mailed invitations with an .ics attachment, one mail per attendee with an address.

Nothing about health goes into a mail: no diagnosis, no cause, no minutes or notes. The subject is
neutral; the body names the kind of meeting, the time, the place, the purpose (which the planning
form tells the coordinator goes to everyone invited) and who is invited. To anyone but the
coordinator, the employee and health professionals, a health professional is listed by the general
term only, without a name.

Whether each recipient may be told about the case is asked at send time (after the commit), not when
the meeting was planned: a user through fasthold.cases.access.may_be_told, an external contact (no
login) only while still a participant of the case. Whoever may not be told gets no mail at all.
"""

import logging
from email.message import MIMEPart

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from fasthold.accounts.models import User
from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.access import case_access, may_be_told
from fasthold.cases.models import Participant
from fasthold.meetings import ics
from fasthold.meetings.models import Meeting, MeetingAttendee

log = logging.getLogger(__name__)


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.public_id}@fasthold"


def summary() -> str:
    # Neutral on purpose: nothing about sickness, nothing about the person.
    return translation.gettext("Meeting about returning to work")


def location(meeting: Meeting) -> str:
    return ", ".join(part for part in (meeting.place, meeting.video_link) if part)


def invitation_for(
    meeting: Meeting, attendee: MeetingAttendee | None, *, base_url: str = "", cancelled: bool = False
) -> ics.Invitation:
    url = f"{base_url.rstrip('/')}{reverse('meetings:detail', args=[meeting.public_id])}" if base_url else ""
    organiser = meeting.created_by or meeting.case.coordinator
    organizer = (
        ics.Person(organiser.display_name, organiser.email or settings.DEFAULT_FROM_EMAIL) if organiser else None
    )
    description = meeting.purpose
    if meeting.video_link:
        description += "\n\n" + translation.gettext("Video link: %(link)s") % {"link": meeting.video_link}
    return ics.Invitation(
        uid=uid(meeting),
        sequence=meeting.sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary(),
        location=location(meeting),
        description=description,
        url=url,
        organizer=organizer,
        attendee=ics.Person(attendee.name, attendee.email) if attendee is not None and attendee.email else None,
        cancelled=cancelled,
    )


def ics_text(meeting: Meeting, attendee: MeetingAttendee | None, *, base_url: str = "", cancelled: bool = False) -> str:
    return ics.render(invitation_for(meeting, attendee, base_url=base_url, cancelled=cancelled), now=timezone.now())


def _attachment(text: str, method: str) -> MIMEPart:
    # Bytes, base64: the CRLF line ends RFC 5545 asks for survive the mail's own line handling.
    part = MIMEPart()
    part.set_content(
        text.encode(),
        maintype="text",
        subtype="calendar",
        params={"method": method, "charset": "utf-8"},
        disposition="attachment",
        filename="invitation.ics",
    )
    return part


def _listed(attendee: MeetingAttendee, employer_view: bool) -> tuple[str, str]:
    """(name, role) as the invitation lists an attendee; a health professional's name and role stay with
    those who read health, the others see the general term alone."""
    if employer_view and attendee.is_health_professional:
        return attendee.role_label(employer_view=True), ""
    return attendee.name, attendee.role_label(employer_view)


def _may_be_told(case, user, participant_id: int | None, participants: set[int]) -> bool:
    """Asked per recipient at send time: a login by the page policy; an external contact only while
    still a participant of the case."""
    if user is not None:
        return may_be_told(user, case)
    return participant_id is not None and participant_id in participants


def _message(
    meeting: Meeting,
    attendees: list[MeetingAttendee],
    *,
    name: str,
    email: str,
    employer_view: bool,
    cancelled: bool,
    base_url: str,
    recipient: MeetingAttendee | None,
) -> EmailMessage:
    context = {
        "meeting": meeting,
        "name": name,
        "cancelled": cancelled,
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at),
        "attendees": [_listed(a, employer_view) for a in attendees],
        "url": f"{base_url.rstrip('/')}{reverse('meetings:detail', args=[meeting.public_id])}" if base_url else "",
    }
    subject = render_to_string("meetings/email/invitation_subject.txt", context).strip()
    body = render_to_string("meetings/email/invitation.txt", context)
    message = EmailMessage(subject, body, to=[email])
    text = ics.render(
        invitation_for(
            meeting, recipient or MeetingAttendee(name=name, email=email), base_url=base_url, cancelled=cancelled
        ),
        now=timezone.now(),
    )
    message.attach(_attachment(text, "CANCEL" if cancelled else "REQUEST"))
    return message


def send_for_meeting(
    meeting_id: int,
    *,
    actor_id: int | None,
    method: str,
    base_url: str = "",
    removed: list[tuple[str, str, str, int | None, int | None]] = (),
) -> int:
    """Send the invitation (method "request") or cancellation ("cancel") to every attendee with an
    address, and a cancellation to each (name, email, language, user id, participant id) in `removed`,
    each only if they may still be told about the case. Returns mails sent."""

    meeting = (
        Meeting.objects.select_related("case__coordinator", "case__person", "case__employment", "created_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        return 0
    case = meeting.case
    attendees = list(meeting.attendees.select_related("user"))
    removed_users = {u.pk: u for u in User.objects.filter(pk__in={r[3] for r in removed if r[3]})}
    participants = set(Participant.objects.filter(case=case).values_list("pk", flat=True))
    cancelled = method == "cancel"
    outgoing = []
    for a in attendees:
        if a.email and _may_be_told(case, a.user if a.user_id else None, a.participant_id, participants):
            language = getattr(a.user, "preferred_language", "") if a.user_id else ""
            # Whether the names of health professionals may be in the mail: for a login the page
            # policy decides, now; an external contact by the role they were invited in.
            health = case_access(a.user, case).can_view_health if a.user_id else a.reads_health
            outgoing.append((a.name, a.email, language or "da", cancelled, not health, a))
    for name, email, language, user_id, participant_id in removed:
        # A login that no longer exists may not be told anything: no user means no mail here.
        user = removed_users.get(user_id) if user_id else None
        if (user_id and user is None) or not _may_be_told(case, user, participant_id, participants):
            continue
        outgoing.append((name, email, language or "da", True, True, None))
    sent = 0
    for name, email, language, is_cancel, employer_view, recipient in outgoing:
        with translation.override(language):
            message = _message(
                meeting,
                attendees,
                name=name,
                email=email,
                employer_view=employer_view,
                cancelled=is_cancel,
                base_url=base_url,
                recipient=recipient,
            )
        try:
            message.send()
        except Exception:  # a mail server problem must not undo the meeting; the log holds ids only
            log.exception(
                "meeting invitation not sent", extra={"meeting": meeting.pk, "attendee": getattr(recipient, "pk", None)}
            )
            continue
        sent += 1
    if sent:
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        audit_record(
            actor=actor, action=AuditAction.INVITATION_SENT, case=meeting.case, fields=[method, f"recipients:{sent}"]
        )
    return sent
