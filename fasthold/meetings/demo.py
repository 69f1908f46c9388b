"""Demo meetings: Kurt's joint meeting at the factory (held, all agreements confirmed), where the guide's
plan for him is agreed; his follow-up during the internship (held; Kurt has yet to confirm) and the next
one, planned at the end of the internship's four weeks to agree the step up; Bodil's first joint meeting,
planned, with an agenda and her preparation page. Written directly (no invitations are mailed)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.demo import kurt_internship_start
from fasthold.cases.models import Audience, EventKind, Participant, TimelineEvent
from fasthold.deadlines.engine.dates import add_working_days, previous_working_day
from fasthold.deadlines.services import calendar_refresh_many
from fasthold.meetings import agenda_builder, services
from fasthold.meetings.models import (
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
from fasthold.plans.demo import kurt_joint_meeting_day


def _working(day: dt.date, *, back: bool = False) -> dt.date:
    """The day itself if it is a working day, else the next one (or, with back, the one before): the demo
    never puts a meeting on a weekend or a public holiday, as the meeting form refuses them."""
    return previous_working_day(day) if back else add_working_days(day, 0)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _attendees(meeting: Meeting, coordinator, participants: list[Participant]) -> dict[str, MeetingAttendee]:
    # The same rows meeting_plan writes (the case's coordinator, who is also the one planning here).
    rows = services._attendees(meeting, coordinator, participants)
    MeetingAttendee.objects.bulk_create(rows)
    return {row.role: row for row in rows}


def _agenda(meeting: Meeting, keys) -> None:
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=i, text=agenda_builder.item_text(key), source=key, done=meeting.is_held
            )
            for i, key in enumerate(keys)
        ]
    )


def _agreements(meeting: Meeting, rows: list[dict]) -> None:
    agreements = MeetingAgreement.objects.bulk_create(
        [MeetingAgreement(meeting=meeting, position=i, **row) for i, row in enumerate(rows)]
    )
    meeting.agreements_hash = agreements_hash(agreements)
    Meeting.objects.filter(pk=meeting.pk).update(agreements_hash=meeting.agreements_hash)


def _event(meeting: Meeting, kind, actor, when: dt.datetime, **params) -> TimelineEvent:
    return TimelineEvent(
        case=meeting.case,
        kind=kind,
        actor=actor,
        audience=Audience.ALL,
        occurred_at=when,
        params={
            "meeting": str(meeting.public_id),
            "meeting_kind": meeting.kind,
            "date": timezone.localtime(meeting.starts_at).date().isoformat(),
            **params,
        },
    )


def _meetings(case, coordinator, invited: list[Participant], rows: list[dict]) -> list[Meeting]:
    """The case's meetings, one per row: the meeting's own fields, and `agenda` (checklist keys),
    `agreements` (each with the responsible attendee by role) and `confirmed_by` (the users who confirmed
    the agreements, at `confirmed_at`). Everyone in `invited` is invited to each."""
    meetings = []
    for row in rows:
        fields = dict(row)
        agenda, agreements = fields.pop("agenda"), fields.pop("agreements", [])
        confirmed_by, confirmed_at = fields.pop("confirmed_by", ()), fields.pop("confirmed_at", None)
        meeting = Meeting.objects.create(case=case, created_by=coordinator, **fields)
        who = _attendees(meeting, coordinator, invited)
        _agenda(meeting, agenda)
        if agreements:
            _agreements(
                meeting, [{**agreement, "responsible": who[agreement["responsible"]]} for agreement in agreements]
            )
        MeetingConfirmation.objects.bulk_create(
            [
                MeetingConfirmation(
                    meeting=meeting, user=user, agreements_hash=meeting.agreements_hash, confirmed_at=confirmed_at
                )
                for user in confirmed_by
            ]
        )
        meetings.append(meeting)
    return meetings


@transaction.atomic
def load_demo(world, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    coordinator = world.users["koordinator"]
    _kurt(world, today, coordinator)
    _bodil(world, today, coordinator)

    calendar_refresh_many([world.kurt, world.bodil])


def _kurt(world, today, coordinator) -> None:
    case = world.kurt
    people = {p.role: p for p in Participant.objects.filter(case=case).select_related("user")}
    invited = [people[ParticipantRole.EMPLOYEE], people[ParticipantRole.MANAGER], people[ParticipantRole.SHOP_STEWARD]]
    place = "Nordjysk Dør og Vindue A/S, mødelokalet ved kantinen"
    kurt, leder = world.users["kurt"], world.users["leder"]
    first_day = kurt_joint_meeting_day(case)
    follow_day = _working(today - dt.timedelta(days=6), back=True)
    # The Friday of the internship's fourth week: its 15-hour weeks end, and the step up is agreed.
    next_day = _working(kurt_internship_start(case) + dt.timedelta(days=25))
    first, follow, upcoming = _meetings(
        case,
        coordinator,
        invited,
        [
            {
                "kind": MeetingKind.JOINT,
                "starts_at": _at(first_day, 10),
                "duration_minutes": 60,
                "place": place,
                "purpose": "At finde en vej tilbage til arbejdet på fabrikken, som Kurt kan holde til, "
                "og aftale de første skridt.",
                "purpose_agreed_on": first_day - dt.timedelta(days=5),
                "status": MeetingStatus.HELD,
                "minutes": "Peter vil gerne fastholde Kurt, men er usikker på hvordan. Kurt tror ikke, at han kan "
                "klare at løfte træ op til maskinerne nu, og er bange for smerterne. Vi aftalte målet: Kurt er "
                "tilbage i sit normale arbejde inden for cirka 6 måneder. Første skridt er virksomhedspraktik "
                "i egen virksomhed som truckfører.",
                "minutes_written_at": _at(first_day, 14),
                "minutes_by": coordinator,
                "agenda": [
                    "lead_welcome",
                    "lead_purpose",
                    "lead_introductions",
                    "employee_options",
                    "employer_options",
                    "return_start",
                    "lead_agreements",
                    "lead_next",
                ],
                "agreements": [
                    {
                        "text": "Kurt starter i virksomhedspraktik som truckfører, 15 timer om ugen de første fire "
                        "uger og derefter med optrapning.",
                        "kind": AgreementKind.ACTIVITY,
                        "responsible": ParticipantRole.EMPLOYEE,
                        "carried_out": "activity",
                        "carried_out_at": _at(first_day, 14),
                    },
                    {
                        "text": "Kurt og Peter taler sammen i telefon hver uge om, hvordan det går.",
                        "kind": AgreementKind.CONTACT,
                        "responsible": ParticipantRole.EMPLOYEE,
                        "contact_cadence_days": 7,
                        "contact_channel": "phone",
                        "contact_responsible": "employer",
                    },
                ],
                "confirmed_by": (coordinator, kurt, leder),
                "confirmed_at": _at(first_day + dt.timedelta(days=1), 9),
            },
            {
                "kind": MeetingKind.FOLLOW_UP,
                "starts_at": _at(follow_day, 13),
                "duration_minutes": 45,
                "place": place,
                "purpose": "Opfølgning på praktikken: hvordan går det med timerne og opgaverne, "
                "og hvad er næste skridt?",
                "purpose_agreed_on": follow_day - dt.timedelta(days=7),
                "status": MeetingStatus.HELD,
                "minutes": "Praktikken går efter planen: Kurt kører truck 15 timer om ugen og går en tur i "
                "pausen hver dag sammen med en kollega. Efter de fire uger skal timerne "
                "sættes op; hvor meget, aftaler vi på næste møde.",
                "minutes_written_at": _at(follow_day, 16),
                "minutes_by": coordinator,
                "agenda": [
                    "lead_welcome",
                    "lead_summary",
                    "return_tasks",
                    "return_revise",
                    "lead_agreements",
                    "lead_next",
                ],
                "agreements": [
                    {
                        "text": "Peter forbereder, hvordan timerne i praktikken kan sættes op efter de fire uger.",
                        "kind": AgreementKind.TASK,
                        "responsible": ParticipantRole.MANAGER,
                        "due": next_day - dt.timedelta(days=1),
                    },
                    {
                        "text": "Kurt tænker over, hvor mange flere timer han kan klare, og siger det på næste møde.",
                        "kind": AgreementKind.TASK,
                        "responsible": ParticipantRole.EMPLOYEE,
                        "due": next_day,
                    },
                ],
                "confirmed_by": (coordinator, leder),
                "confirmed_at": _at(follow_day + dt.timedelta(days=1), 9),
            },
            {
                "kind": MeetingKind.FOLLOW_UP,
                "starts_at": _at(next_day, 13),
                "duration_minutes": 45,
                "place": place,
                "purpose": "Opfølgning: de fire uger med 15 timer om ugen er gået. Hvor meget skal timerne sættes op?",
                "purpose_agreed_on": follow_day,
                "agenda": ["lead_welcome", "lead_summary", "return_tasks", "lead_agreements", "lead_next"],
            },
        ],
    )
    Meeting.objects.filter(pk=first.pk).update(next_meeting=follow)
    Meeting.objects.filter(pk=follow.pk).update(next_meeting=upcoming)

    TimelineEvent.objects.bulk_create(
        [
            _event(first, EventKind.MEETING_PLANNED, coordinator, _at(first_day - dt.timedelta(days=5), 11)),
            _event(first, EventKind.MEETING_HELD, coordinator, _at(first_day, 14)),
            _event(
                first, EventKind.AGREEMENTS_CONFIRMED, kurt, _at(first_day + dt.timedelta(days=1), 9), role="employee"
            ),
            _event(follow, EventKind.MEETING_HELD, coordinator, _at(follow_day, 16)),
            _event(upcoming, EventKind.MEETING_PLANNED, coordinator, _at(follow_day, 16)),
        ]
    )


def _bodil(world, today, coordinator) -> None:
    case = world.bodil
    people = {p.role: p for p in Participant.objects.filter(case=case).select_related("user")}
    day = _working(today + dt.timedelta(days=5))
    (meeting,) = _meetings(
        case,
        coordinator,
        [people[ParticipantRole.EMPLOYEE], people[ParticipantRole.MANAGER]],
        [
            {
                "kind": MeetingKind.JOINT,
                "starts_at": _at(day, 10),
                "duration_minutes": 60,
                "place": "Limfjord Revision ApS, Susannes kontor",
                "purpose": "At tale om, hvordan de første uger med delvis raskmelding er gået, om planen for de "
                "normale opgaver, og hvad kollegerne skal vide.",
                "purpose_agreed_on": today - dt.timedelta(days=2),
                "agenda": [
                    "lead_welcome",
                    "lead_purpose",
                    "before_what_said",
                    "before_own_view",
                    "employer_options",
                    "return_tasks",
                    "before_colleagues",
                    "lead_agreements",
                    "lead_next",
                ],
            },
        ],
    )
    TimelineEvent.objects.bulk_create(
        [
            _event(meeting, EventKind.MEETING_PLANNED, coordinator, _at(today - dt.timedelta(days=2), 11)),
        ]
    )
