"""Workflows on meetings. Each writes its change, a timeline event where the case's people should know,
and an audit row (field names only) in one transaction, takes the acting user explicitly, and refreshes
the case calendar when the next planned meeting may have moved.

Bad input raises MeetingError(code) before anything is written (the view turns the code into a message;
the message never holds user text). A stale edit raises ConflictError. Invitations are e-mailed after
the transaction commits, so a mail server that fails never loses a meeting.
"""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.audit.models import AuditAction
from fasthold.audit.services import audit_record
from fasthold.cases.choices import EMPLOYER_SIDE_ROLES
from fasthold.cases.models import Audience, Case, EventKind, Participant
from fasthold.cases.timeline import timeline_record
from fasthold.coordination.services import ContactError, contact_agreement_set
from fasthold.deadlines.services import calendar_refresh
from fasthold.kernel import ConflictError, NotAllowed, update_versioned
from fasthold.meetings.invitations import send_for_meeting
from fasthold.meetings.models import (
    COORDINATOR_ROLE,
    AgendaItem,
    AgreementKind,
    Meeting,
    MeetingAgreement,
    MeetingAttendee,
    MeetingConfirmation,
    MeetingKind,
    MeetingStatus,
    agreements_hash,
)
from fasthold.plans.models import ActivityKind, PlanVersion, VersionStatus
from fasthold.plans.services import activity_add

__all__ = [
    "MeetingError",
    "meeting_plan",
    "meeting_change",
    "meeting_cancel",
    "agenda_set",
    "minutes_write",
    "agreement_add",
    "agreement_update",
    "agreement_remove",
    "agreement_carry_out",
    "agreements_confirm",
    "task_done",
]

MAX_DURATION_MINUTES = 8 * 60
MAX_DAYS_AHEAD = 2 * 366  # far enough for any follow-up; a year like 9999 cannot be shown (its end overflows)
# Fields whose change is news for everyone invited: a new invitation (SEQUENCE + 1) goes out.
INVITATION_FIELDS = ("kind", "starts_at", "duration_minutes", "place", "video_link", "purpose")


class MeetingError(ValueError):
    """Input that cannot be saved. `code` names the rule; the message never holds user text."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# --- helpers ---------------------------------------------------------------------------------------


def _audience(participants) -> str:
    # A meeting the employer takes part in is theirs to know about; one without them may be about
    # treatment (the employee and a psychologist), so only professionals see it in the timeline.
    return Audience.ALL if any(p.role in EMPLOYER_SIDE_ROLES for p in participants) else Audience.PROFESSIONALS


def _meeting_audience(meeting: Meeting) -> str:
    return _audience(list(meeting.attendees.all()))


def _meeting_event(meeting: Meeting, kind: str, actor, audience: str, **params) -> None:
    """The meeting's event on the case's timeline, for `audience`."""
    # What every meeting event carries. Labels and ids only: never the purpose, the minutes or an agreement's text.
    timeline_record(
        case=meeting.case,
        kind=kind,
        actor=actor,
        audience=audience,
        **params,
        meeting=str(meeting.public_id),
        meeting_kind=meeting.kind,
        date=timezone.localtime(meeting.starts_at).date().isoformat(),
    )


def _check_when(starts_at: dt.datetime, duration_minutes: int, now: dt.datetime | None) -> None:
    if timezone.is_naive(starts_at):
        raise MeetingError("naive_time")
    if starts_at < (now or timezone.now()):
        raise MeetingError("in_past")
    if starts_at > (now or timezone.now()) + dt.timedelta(days=MAX_DAYS_AHEAD):
        raise MeetingError("too_far")
    if not 5 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise MeetingError("duration")


def _check_place(place: str, video_link: str) -> None:
    if not (place or "").strip() and not (video_link or "").strip():
        raise MeetingError("no_place")
    if video_link and not video_link.lower().startswith(("https://", "http://")):
        raise MeetingError("video_link")


def _check_participants(case: Case, participants: list[Participant]) -> None:
    if not participants:
        raise MeetingError("no_participants")
    if any(p.case_id != case.pk for p in participants):
        raise MeetingError("not_on_case")


def _coordinator_rows(meeting: Meeting, actor) -> list[MeetingAttendee]:
    rows, seen = [], set()
    for user in (meeting.case.coordinator, actor):
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            rows.append(
                MeetingAttendee(
                    meeting=meeting, user=user, role=COORDINATOR_ROLE, name=user.display_name, email=user.email
                )
            )
    return rows


def _participant_rows(meeting: Meeting, participants: list[Participant]) -> list[MeetingAttendee]:
    return [
        MeetingAttendee(
            meeting=meeting,
            participant=p,
            user_id=p.user_id,
            role=p.role,
            name=p.display_name,
            email=p.email or (p.user.email if p.user_id else ""),
        )
        for p in participants
    ]


def _attendees(meeting: Meeting, actor, participants: list[Participant]) -> list[MeetingAttendee]:
    """The coordinator(s) first, then the chosen participants in the case's order."""
    rows = _coordinator_rows(meeting, actor) + _participant_rows(meeting, participants)
    for position, row in enumerate(rows):
        row.position = position
    return rows


def _after_commit(meeting: Meeting, actor, *, method: str, base_url: str, removed=()) -> None:
    meeting_id, actor_id, removed = meeting.pk, getattr(actor, "pk", None), list(removed)
    transaction.on_commit(
        lambda: send_for_meeting(meeting_id, actor_id=actor_id, method=method, base_url=base_url, removed=removed)
    )


def _refresh_hash(meeting: Meeting) -> None:
    # Agreements entered in error are no longer agreed: the confirmations are of the valid ones.
    value = agreements_hash(list(meeting.agreements.valid().order_by("position", "id")))
    Meeting.objects.filter(pk=meeting.pk).update(agreements_hash=value)
    meeting.agreements_hash = value


def _require_not_cancelled(meeting: Meeting) -> None:
    if meeting.is_cancelled or meeting.is_closed:
        raise NotAllowed


# --- planning, changing, cancelling ---------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *,
    actor,
    case: Case,
    kind: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    purpose: str,
    participants: list[Participant],
    place: str = "",
    video_link: str = "",
    purpose_agreed_on: dt.date | None = None,
    agenda: list[tuple[str, str]] = (),
    send_invitations: bool = True,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> Meeting:
    """Plan a meeting with these participants of the case (the coordinator is always invited).

    `agenda` is a list of (text, checklist key or ""). Invitations go out after the commit.
    """
    _check_when(starts_at, duration_minutes, now)
    _check_place(place, video_link)
    _check_participants(case, participants)
    if kind not in MeetingKind.values:
        raise MeetingError("kind")
    meeting = Meeting.objects.create(
        case=case,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        video_link=video_link.strip(),
        purpose=purpose.strip(),
        purpose_agreed_on=purpose_agreed_on,
        created_by=actor,
    )
    MeetingAttendee.objects.bulk_create(_attendees(meeting, actor, participants))
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=meeting, position=i, text=text[:500], source=source)
            for i, (text, source) in enumerate(agenda)
        ]
    )
    _meeting_event(meeting, EventKind.MEETING_PLANNED, actor, _audience(participants))
    audit_record(
        actor=actor, action=AuditAction.MEETING_PLANNED, case=case, fields=["meeting", *(["agenda"] if agenda else [])]
    )
    calendar_refresh(case)
    if send_invitations:
        _after_commit(meeting, actor, method="request", base_url=base_url)
    return meeting


@transaction.atomic
def meeting_change(
    *,
    actor,
    meeting: Meeting,
    expected_version: int,
    data: dict[str, Any],
    participants: list[Participant],
    send_invitations: bool = True,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> list[str]:
    """Change a planned meeting. Returns the changed field names ("participants" among them).

    A change of time, place, purpose or participants sends everyone the updated invitation; anyone
    no longer invited gets a cancellation.
    """
    if not meeting.is_planned:
        raise NotAllowed
    case = meeting.case
    values = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    changed = sorted(k for k, v in values.items() if getattr(meeting, k) != v)
    if "starts_at" in changed or "duration_minutes" in changed:
        _check_when(
            values.get("starts_at", meeting.starts_at), values.get("duration_minutes", meeting.duration_minutes), now
        )
    _check_place(values.get("place", meeting.place), values.get("video_link", meeting.video_link))
    _check_participants(case, participants)
    if values.get("kind", meeting.kind) not in MeetingKind.values:
        raise MeetingError("kind")

    current = {a.participant_id: a for a in meeting.attendees.filter(participant__isnull=False)}
    wanted = {p.pk: p for p in participants}
    added = [p for pk, p in wanted.items() if pk not in current]
    removed = [a for pk, a in current.items() if pk not in wanted]
    if added or removed:
        changed = sorted([*changed, "participants"])
    news = any(f in changed for f in INVITATION_FIELDS) or bool(added or removed)
    if news:
        values["sequence"] = meeting.sequence + 1
    update_versioned(Meeting, meeting, expected_version, values)
    if removed:
        MeetingAttendee.objects.filter(pk__in=[a.pk for a in removed]).delete()
    if added:
        start = (meeting.attendees.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        rows = _participant_rows(meeting, added)
        for i, row in enumerate(rows):
            row.position = start + i
        MeetingAttendee.objects.bulk_create(rows, ignore_conflicts=True)
    if changed:
        _meeting_event(meeting, EventKind.MEETING_CHANGED, actor, _audience([*participants]), fields=changed)
        audit_record(actor=actor, action=AuditAction.MEETING_CHANGED, case=case, fields=changed)
        calendar_refresh(case)
    if news and send_invitations:
        # Who they are, so the sender can ask at send time whether they may still be told.
        gone = [(a.name, a.email, _language(a), a.user_id, a.participant_id) for a in removed if a.email]
        _after_commit(meeting, actor, method="request", base_url=base_url, removed=gone)
    return changed


def _language(attendee: MeetingAttendee) -> str:
    user = attendee.user if attendee.user_id else None
    return getattr(user, "preferred_language", "da") or "da"


@transaction.atomic
def meeting_cancel(
    *, actor, meeting: Meeting, expected_version: int, send_invitations: bool = True, base_url: str = ""
) -> None:
    """Cancel a planned meeting; everyone invited gets a cancellation (METHOD:CANCEL)."""
    if not meeting.is_planned:
        raise NotAllowed
    update_versioned(
        Meeting, meeting, expected_version, {"status": MeetingStatus.CANCELLED, "sequence": meeting.sequence + 1}
    )
    _meeting_event(meeting, EventKind.MEETING_CANCELLED, actor, _meeting_audience(meeting))
    audit_record(actor=actor, action=AuditAction.MEETING_CANCELLED, case=meeting.case, fields=["status"])
    calendar_refresh(meeting.case)
    if send_invitations:
        _after_commit(meeting, actor, method="cancel", base_url=base_url)


@transaction.atomic
def meeting_close(*, actor, meeting: Meeting, expected_version: int, reason: str, base_url: str = "") -> None:
    """Close a planned meeting that will never be held: its time passed without minutes (stale), or it
    duplicates another. It leaves every list of upcoming meetings and the case calendar; the invitation
    file becomes a cancellation, and for a duplicate still ahead everyone invited gets one by e-mail."""
    from fasthold.cases.access import case_access
    from fasthold.meetings.models import ClosedReason

    case_access(actor, meeting.case).require_edit()
    if not meeting.is_planned or reason not in ClosedReason.values:
        raise NotAllowed
    if reason == ClosedReason.STALE and not meeting.has_started:
        # A meeting still ahead is not stale: cancel it instead (the invited are told).
        raise NotAllowed("not stale")
    update_versioned(
        Meeting,
        meeting,
        expected_version,
        {"status": MeetingStatus.CLOSED, "closed_reason": reason, "sequence": meeting.sequence + 1},
    )
    _meeting_event(meeting, EventKind.MEETING_CANCELLED, actor, _meeting_audience(meeting))
    audit_record(actor=actor, action=AuditAction.MEETING_CLOSED, case=meeting.case, fields=["status", "closed_reason"])
    calendar_refresh(meeting.case)
    if not meeting.has_started:
        _after_commit(meeting, actor, method="cancel", base_url=base_url)


@transaction.atomic
def agenda_set(*, actor, meeting: Meeting, expected_version: int, items: list[dict[str, Any]]) -> None:
    """Replace the agenda: each item a dict with text, source (checklist key or "") and done."""
    _require_not_cancelled(meeting)
    update_versioned(Meeting, meeting, expected_version, {})
    meeting.agenda.all().delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting,
                position=i,
                text=item["text"].strip()[:500],
                source=item.get("source", ""),
                done=bool(item.get("done")),
            )
            for i, item in enumerate(i for i in items if i["text"].strip())
        ]
    )
    audit_record(actor=actor, action=AuditAction.MEETING_CHANGED, case=meeting.case, fields=["agenda"])


# --- minutes, the next meeting --------------------------------------------------------------------


def default_follow_up_purpose() -> str:
    return _("Follow up: how the agreements from the last meeting are going, and what comes next.")


@transaction.atomic
def minutes_write(
    *,
    actor,
    meeting: Meeting,
    expected_version: int,
    minutes: str,
    private_note: str = "",
    done_items: set[int] = frozenset(),
    next_starts_at: dt.datetime | None = None,
    send_invitations: bool = True,
    base_url: str = "",
    now: dt.datetime | None = None,
) -> Meeting | None:
    """Write the minutes (the meeting is then held), tick agenda items, and plan the next meeting.

    Returns the next meeting when one was planned now. It has the same participants, kind and place.
    """
    _require_not_cancelled(meeting)
    # Minutes marked as entered in error are kept as they were (the record of the error): a rewrite would
    # overwrite them, and the mark would hide the new text from those invited. (The mark raises the version,
    # so a copy read before it fails update_versioned below.)
    if meeting.minutes_error_at is not None:
        raise MeetingError("minutes_in_error")
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise MeetingError("not_started")
    if next_starts_at is not None:
        if meeting.next_meeting_id:
            raise MeetingError("next_exists")
        _check_when(next_starts_at, meeting.duration_minutes, now)
    first_time = not meeting.is_held
    values = {"minutes": minutes.strip(), "private_note": private_note.strip(), "status": MeetingStatus.HELD}
    changed = sorted(k for k, v in values.items() if getattr(meeting, k) != v)
    values.update(minutes_written_at=now, minutes_by=actor)
    update_versioned(Meeting, meeting, expected_version, values)
    for item in meeting.agenda.all():
        done = item.pk in done_items
        if item.done != done:
            AgendaItem.objects.filter(pk=item.pk).update(done=done)
            if "agenda" not in changed:
                changed.append("agenda")
    audience = _meeting_audience(meeting)
    if first_time:
        _meeting_event(meeting, EventKind.MEETING_HELD, actor, audience)
    if changed:
        audit_record(actor=actor, action=AuditAction.MEETING_MINUTES, case=meeting.case, fields=changed)
    next_meeting = None
    if next_starts_at is not None:
        participants = [
            a.participant for a in meeting.attendees.select_related("participant__user") if a.participant_id
        ]
        next_meeting = meeting_plan(
            actor=actor,
            case=meeting.case,
            kind=meeting.kind,
            starts_at=next_starts_at,
            duration_minutes=meeting.duration_minutes,
            place=meeting.place,
            video_link=meeting.video_link,
            purpose=default_follow_up_purpose(),
            participants=participants,
            send_invitations=send_invitations,
            base_url=base_url,
            now=now,
        )
        Meeting.objects.filter(pk=meeting.pk).update(next_meeting=next_meeting)
        meeting.next_meeting = next_meeting
    elif first_time:
        calendar_refresh(meeting.case)  # a held meeting is no longer the next one
    return next_meeting


# --- agreements -----------------------------------------------------------------------------------

AGREEMENT_FIELDS = (
    "text",
    "kind",
    "responsible",
    "due",
    "contact_cadence_days",
    "contact_channel",
    "contact_responsible",
)


def _agreement_values(meeting: Meeting, data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data.get(k) for k in AGREEMENT_FIELDS}
    values["text"] = (values["text"] or "").strip()
    values["contact_channel"] = values["contact_channel"] or ""
    values["contact_responsible"] = values["contact_responsible"] or ""
    if not values["text"]:
        raise MeetingError("agreement_empty")
    if values["kind"] not in AgreementKind.values:
        raise MeetingError("kind")
    responsible = values["responsible"]
    if responsible is not None and responsible.meeting_id != meeting.pk:
        raise MeetingError("not_attendee")
    if values["kind"] == AgreementKind.TASK and (responsible is None or values["due"] is None):
        raise MeetingError("task_incomplete")
    if values["kind"] == AgreementKind.CONTACT:
        if not values["contact_cadence_days"] or not values["contact_channel"] or not values["contact_responsible"]:
            raise MeetingError("contact_incomplete")
    else:
        values.update(contact_cadence_days=None, contact_channel="", contact_responsible="")
    return values


def _agreements_changed(actor, meeting: Meeting) -> None:
    _refresh_hash(meeting)
    audit_record(actor=actor, action=AuditAction.MEETING_MINUTES, case=meeting.case, fields=["agreements"])


@transaction.atomic
def agreement_add(*, actor, meeting: Meeting, expected_version: int, data: dict[str, Any]) -> MeetingAgreement:
    _require_not_cancelled(meeting)
    values = _agreement_values(meeting, data)
    update_versioned(Meeting, meeting, expected_version, {})
    agreement = MeetingAgreement.objects.create(meeting=meeting, position=meeting.agreements.count(), **values)
    _agreements_changed(actor, meeting)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: MeetingAgreement, expected_version: int, data: dict[str, Any]) -> list[str]:
    meeting = agreement.meeting
    _require_not_cancelled(meeting)
    values = _agreement_values(meeting, data)
    changed = sorted(k for k, v in values.items() if getattr(agreement, k) != v)
    update_versioned(Meeting, meeting, expected_version, {})
    if changed:
        MeetingAgreement.objects.filter(pk=agreement.pk).update(**values)
        for k, v in values.items():
            setattr(agreement, k, v)
        _agreements_changed(actor, meeting)
    return changed


@transaction.atomic
def agreement_remove(*, actor, agreement: MeetingAgreement, expected_version: int) -> None:
    meeting = agreement.meeting
    _require_not_cancelled(meeting)
    update_versioned(Meeting, meeting, expected_version, {})
    agreement.delete()
    for position, pk in enumerate(meeting.agreements.order_by("position", "id").values_list("pk", flat=True)):
        MeetingAgreement.objects.filter(pk=pk).update(position=position)
    _agreements_changed(actor, meeting)


@transaction.atomic
def agreement_carry_out(*, actor, agreement: MeetingAgreement) -> str:
    """Turn an agreement into what it says it is: an activity in the draft plan, or the case's contact
    agreement. Returns "activity" or "contact". Raises MeetingError("no_draft_plan") when the plan has
    no draft to add to; the agreement then stands as it is (a task, if it has a date and a person)."""
    meeting = agreement.meeting
    _require_not_cancelled(meeting)
    if agreement.carried_out:
        raise MeetingError("already_carried_out")
    if agreement.kind not in (AgreementKind.ACTIVITY, AgreementKind.CONTACT):
        raise MeetingError("nothing_to_carry_out")
    # Claim it first: a double click must not add the activity twice.
    if not MeetingAgreement.objects.filter(pk=agreement.pk, carried_out="").update(carried_out="pending"):
        raise MeetingError("already_carried_out")
    if agreement.kind == AgreementKind.ACTIVITY:
        outcome = _to_activity(actor, agreement)
    else:
        outcome = _to_contact(actor, agreement)
    MeetingAgreement.objects.filter(pk=agreement.pk).update(carried_out=outcome, carried_out_at=timezone.now())
    agreement.carried_out = outcome
    audit_record(actor=actor, action=AuditAction.MEETING_MINUTES, case=meeting.case, fields=[f"agreement:{outcome}"])
    return outcome


def _to_activity(actor, agreement: MeetingAgreement) -> str:
    draft = PlanVersion.objects.filter(plan__case=agreement.meeting.case, status=VersionStatus.DRAFT).first()
    if draft is None:
        raise MeetingError("no_draft_plan")
    responsible = agreement.responsible
    participant = responsible.participant if responsible is not None and responsible.participant_id else None
    data = {
        "what": agreement.text,
        "kind": ActivityKind.TREATMENT
        if participant is not None and participant.is_health_professional
        else ActivityKind.WORKPLACE,
        "responsible_participant": participant,
        "responsible_text": "" if participant is not None else (responsible.name if responsible else ""),
        "frequency": "",
        "starts_on": None,
        "ends_on": agreement.due,
    }
    try:
        activity_add(actor=actor, version=draft, expected_version=draft.version, data=data)
    except NotAllowed:  # the draft stopped being a draft meanwhile
        raise MeetingError("no_draft_plan") from None
    return "activity"


def _to_contact(actor, agreement: MeetingAgreement) -> str:
    try:
        contact_agreement_set(
            actor=actor,
            case=agreement.meeting.case,
            cadence_days=agreement.contact_cadence_days,
            responsible=agreement.contact_responsible,
            channel=agreement.contact_channel,
            # The contact agreement is read by the employer: the agreement's words go with it only
            # from a meeting the employer took part in (otherwise it may be about treatment).
            description=agreement.text[:300] if _audience(agreement.meeting.attendees.all()) == Audience.ALL else "",
        )
    except ContactError as exc:
        raise MeetingError(f"contact_{exc.code}") from None
    except ConflictError:
        # Someone changed the contact agreement at the same moment: nothing was saved; try again.
        raise MeetingError("contact_conflict") from None
    return "contact"


# --- confirmations and tasks ----------------------------------------------------------------------


@transaction.atomic
def agreements_confirm(*, actor, meeting: Meeting, seen_hash: str) -> bool:
    """The actor confirms the agreements they saw. True when recorded now; False when they had already
    confirmed exactly these agreements. ConflictError when the agreements changed since they looked."""
    if not meeting.is_held or not meeting.agreements_hash:
        raise NotAllowed
    if not meeting.attendees.filter(user=actor).exists():
        raise NotAllowed
    current = Meeting.objects.filter(pk=meeting.pk).values_list("agreements_hash", flat=True).first()
    if seen_hash != current:
        raise ConflictError
    existing = MeetingConfirmation.objects.filter(meeting=meeting, user=actor).first()
    if existing is not None:
        if existing.agreements_hash == current:
            return False
        updated = MeetingConfirmation.objects.filter(pk=existing.pk, agreements_hash=existing.agreements_hash).update(
            agreements_hash=current, confirmed_at=timezone.now()
        )
        if not updated:
            return False  # the same person confirmed in another tab a moment ago
    else:
        try:
            with transaction.atomic():
                MeetingConfirmation.objects.create(meeting=meeting, user=actor, agreements_hash=current)
        except IntegrityError:
            return False
    # No role in the params: a psychologist's part in a meeting is not the workplace's to read.
    _meeting_event(meeting, EventKind.AGREEMENTS_CONFIRMED, actor, _meeting_audience(meeting))
    audit_record(actor=actor, action=AuditAction.AGREEMENTS_CONFIRMED, case=meeting.case, fields=["agreements"])
    return True


@transaction.atomic
def task_done(*, actor, agreement: MeetingAgreement, done_on: dt.date | None) -> None:
    """Mark a dated agreement done (or not done again, with None)."""
    MeetingAgreement.objects.filter(pk=agreement.pk).update(done_on=done_on)
    agreement.done_on = done_on
    audit_record(actor=actor, action=AuditAction.MEETING_MINUTES, case=agreement.meeting.case, fields=["task_done"])
