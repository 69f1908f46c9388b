"""Reads of the meetings app. Each is a fixed number of queries, however many meetings there are."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, prefetch_related_objects
from django.utils import timezone

from fasthold.meetings.models import (
    Meeting,
    MeetingAgreement,
    MeetingAttendee,
    MeetingConfirmation,
    MeetingStatus,
)
from fasthold.organisations.models import STAFF_ROLES, Membership


def _start_of_today() -> dt.datetime:
    """Midnight today in Copenhagen: a meeting earlier today still counts as today's."""
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def _upcoming():
    return Meeting.objects.filter(status=MeetingStatus.PLANNED, starts_at__gte=_start_of_today())


def calendar_dates(case_ids: list[int]) -> dict[int, list[tuple[str, dt.date, str]]]:
    """Per case: ("next_meeting", date of the next planned meeting, "coordinator") for the case
    calendar (registered in MeetingsConfig.ready()). One query."""
    result: dict[int, list[tuple[str, dt.date, str]]] = {}
    if not case_ids:
        return result
    rows = _upcoming().filter(case_id__in=case_ids).order_by("case_id", "starts_at").values_list("case_id", "starts_at")
    for case_id, starts_at in rows:
        if case_id not in result:
            result[case_id] = [("next_meeting", timezone.localtime(starts_at).date(), "coordinator")]
    return result


def next_invited(user, case_ids) -> dict[int, Meeting]:
    """Per case, the next planned meeting the user is invited to (the portals). One query."""
    upcoming = _upcoming().filter(case__in=list(case_ids), attendees__user=user).order_by("-starts_at", "-id")
    return {meeting.case_id: meeting for meeting in upcoming}  # ordered latest first: the earliest wins


def next_meeting(case) -> Meeting | None:
    """The case's next planned meeting (today or later), or None. One query."""
    return _upcoming().filter(case=case).order_by("starts_at", "id").first()


def next_meeting_for(case, user, *, is_staff: bool) -> Meeting | None:
    """The case's next planned meeting this user may see (any, for the case-owning organisation's
    staff; otherwise one they are invited to), or None. One query."""
    upcoming = _upcoming().filter(case=case)
    if not is_staff:
        upcoming = upcoming.filter(attendees__user=user)
    return upcoming.order_by("starts_at", "id").first()


def _is_staff(case, user) -> bool:
    return Membership.objects.filter(user=user, organisation_id=case.organisation_id, role__in=STAFF_ROLES).exists()


def meetings_for(case, user, *, is_staff: bool | None = None) -> list[Meeting]:
    """The case's meetings this user may see, newest first: all of them for the case-owning
    organisation's staff; otherwise the ones the user is invited to. One query when the caller knows
    `is_staff` (CaseAccess.is_staff), two otherwise."""
    if not getattr(user, "is_authenticated", False):
        return []
    meetings = Meeting.objects.filter(case=case)
    if not (_is_staff(case, user) if is_staff is None else is_staff):
        meetings = meetings.filter(Exists(MeetingAttendee.objects.filter(meeting=OuterRef("pk"), user=user)))
    return list(meetings.order_by("-starts_at", "-id"))


def awaiting_confirmation(user) -> list[Meeting]:
    """Held meetings with agreements this user is invited to and has not confirmed as they stand now
    (never, or before a change). Oldest first. One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    confirmed = MeetingConfirmation.objects.filter(
        meeting=OuterRef("pk"), user=user, agreements_hash=OuterRef("agreements_hash")
    )
    return list(
        Meeting.objects.filter(status=MeetingStatus.HELD)
        .exclude(agreements_hash="")
        .filter(Exists(MeetingAttendee.objects.filter(meeting=OuterRef("pk"), user=user)))
        .exclude(Exists(confirmed))
        .select_related("case__person")
        .order_by("starts_at", "id")
    )


def open_tasks_for(user, today: dt.date | None = None) -> list[MeetingAgreement]:
    """Agreements with a date where this user is the responsible attendee, not done yet, from held
    meetings; earliest first. `today` is accepted for the portals' signature (every open task is
    shown, overdue or not). One query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        MeetingAgreement.objects.filter(
            responsible__user=user,
            due__isnull=False,
            done_on__isnull=True,
            meeting__status=MeetingStatus.HELD,
            error_at__isnull=True,
        )
        .select_related("meeting__case__person", "responsible")
        .order_by("due", "id")
    )


# --- the meeting page ----------------------------------------------------------------------------


@dataclass
class AttendeeRow:
    attendee: MeetingAttendee
    role: str
    can_confirm: bool  # has a login
    confirmed: bool  # confirmed the agreements as they stand now
    confirmed_earlier: bool  # confirmed, but the agreements changed since


def hide_in_error(meeting: Meeting, *, staff: bool) -> None:
    """Minutes entered in error are for the case-owning organisation's staff only (shown struck through):
    for everyone else the loaded meeting carries none, so no page, file or template can show them."""
    if not staff and meeting.minutes_error_at is not None:
        meeting.minutes = ""
        meeting.private_note = ""
        meeting.minutes_error_reason = ""


def meeting_detail(meeting: Meeting, *, employer_view: bool, staff: bool = False) -> dict:
    """Attendees with their confirmation state, agenda and agreements (those entered in error for staff
    only). Four queries."""
    attendees = list(meeting.attendees.select_related("participant"))
    confirmations = {c.user_id: c for c in meeting.confirmations.all()}
    rows = []
    for a in attendees:
        c = confirmations.get(a.user_id) if a.user_id else None
        rows.append(
            AttendeeRow(
                attendee=a,
                role=a.role_label(employer_view),
                can_confirm=a.user_id is not None,
                confirmed=bool(c and c.agreements_hash == meeting.agreements_hash and meeting.agreements_hash),
                confirmed_earlier=bool(c and c.agreements_hash != meeting.agreements_hash),
            )
        )
    by_pk = {a.pk: a for a in attendees}
    agreements = list(meeting.agreements.for_reader(is_staff=staff).select_related("error_by"))
    for agreement in agreements:
        agreement.responsible_attendee = by_pk.get(agreement.responsible_id)
    return {
        "attendees": rows,
        "agenda": list(meeting.agenda.all()),
        "agreements": agreements,
    }


def meetings_with_attendees(meetings: list[Meeting]) -> list[Meeting]:
    """Attach attendees to a list of meetings in one query (for the case's meeting list)."""
    if meetings:
        prefetch_related_objects(
            meetings, Prefetch("attendees", queryset=MeetingAttendee.objects.order_by("position", "id"))
        )
    return meetings
