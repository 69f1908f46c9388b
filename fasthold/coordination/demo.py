"""Contact agreements and contacts for the demo: Kurt keeps to his, Bodil's contact is overdue.

Kurt (back, physical): every 14 days, Peter calls him; contacts so far on time.
Bodil (depression): a lighter start (every 14 days the first 2 weeks, then weekly, Susanne takes
the initiative); her last counted contact was four weeks ago + 2 days, so the dashboard
and the reminders show the contact as overdue.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from fasthold.cases.choices import ParticipantRole
from fasthold.cases.models import Audience, EventKind, TimelineEvent
from fasthold.coordination.models import Channel, ContactAgreement, ContactEntry, ContactResponsible
from fasthold.deadlines.services import calendar_refresh


def _at(day: dt.date, hour: int = 11) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _agreement(case, actor, day, version=1, **terms) -> TimelineEvent:
    """Saves the agreement; returns its timeline event, unsaved (the events are bulk-created)."""
    ContactAgreement.objects.create(
        case=case, version=version, current=True, created_by=actor, created_at=_at(day, 12), **terms
    )
    return TimelineEvent(
        case=case,
        kind=EventKind.CONTACT_AGREEMENT,
        actor=actor,
        audience=Audience.ALL,
        occurred_at=_at(day, 12),
        params={
            "version": version,
            "cadence_days": terms["cadence_days"],
            "responsible": terms["responsible"],
            "channel": terms["channel"],
            "start_weeks": terms.get("lighter_start_weeks"),
            "start_cadence_days": terms.get("lighter_cadence_days"),
        },
    )


def _contact(case, actor, day, participant, channel, note, audience=Audience.ALL, with_coordinator=False):
    if with_coordinator:
        role, name = "coordinator", case.coordinator.display_name
    else:
        role, name = participant.role, participant.display_name
    involves_health = participant is not None and participant.is_health_professional
    entry = ContactEntry(
        case=case,
        occurred_on=day,
        logged_by=actor,
        participant=participant,
        with_role=role,
        with_name=name,
        channel=channel,
        note=note,
        audience=audience,
        involves_health_professional=involves_health,
        created_at=_at(day, 15),
    )
    event = TimelineEvent(
        case=case,
        kind=EventKind.CONTACT_LOGGED,
        actor=actor,
        audience=audience,
        occurred_at=_at(day, 15),
        params={"contact": str(entry.public_id), "channel": channel, "date": day.isoformat(), "with_role": role},
    )
    return entry, event


# The contacts logged on each case, in order: who logged it, the days after the first sick day, with whom
# (a participant's role, or "coordinator": the case's coordinator), the channel, the note and, unless it is
# for everyone on the case, its audience.
KURT_CONTACTS = (
    {
        "by": "leder",
        "day": 1,
        "with": ParticipantRole.EMPLOYEE,
        "channel": Channel.PHONE,
        "note": "Peter ringede og hørte, hvordan det gik. Vi glæder os til at se Kurt igen.",
    },
    {
        "by": "koordinator",
        "day": 10,
        "with": ParticipantRole.MANAGER,
        "channel": Channel.PHONE,
        "note": "Første samtale med Peter om muligheder: truckkørsel uden løft. Kontaktaftale lavet.",
    },
    {
        "by": "leder",
        "day": 24,
        "with": ParticipantRole.EMPLOYEE,
        "channel": Channel.MEETING,
        "note": "Kurt var forbi lageret og så truckområdet.",
    },
    {
        "by": "kurt",
        "day": 38,
        "with": "coordinator",
        "channel": Channel.PHONE,
        "note": "Talte med Karen om smerteskemaet og gåturene.",
        "audience": Audience.PROFESSIONALS,
    },
    {
        "by": "kurt",
        "day": 56,
        "with": ParticipantRole.MANAGER,
        "channel": Channel.PHONE,
        "note": "Jeg ringede til Peter: praktikken går godt, vi ses mandag.",
    },
)
BODIL_CONTACTS = (
    {
        "by": "chef",
        "day": 2,
        "with": ParticipantRole.EMPLOYEE,
        "channel": Channel.PHONE,
        "note": "Kort opkald: Bodil får ro de første to uger; jeg ringer igen om 14 dage.",
    },
    {
        "by": "koordinator",
        "day": 16,
        "with": ParticipantRole.EMPLOYEE,
        "channel": Channel.MEETING,
        "note": "Bodil sover lidt bedre og går til psykolog hver anden uge.",
        "audience": Audience.PROFESSIONALS,
    },
    {
        # A health professional's call: kept from the employer and not counted.
        "by": "psykolog",
        "day": 20,
        "with": "coordinator",
        "channel": Channel.PHONE,
        "note": "Aftalt at forløbet hos psykologen fortsætter.",
        "audience": Audience.PROFESSIONALS,
        "health_professional": True,
    },
    {
        "by": "chef",
        "day": 30,
        "with": ParticipantRole.EMPLOYEE,
        "channel": Channel.MEETING,
        "note": "Kaffe på kontoret med de nærmeste kolleger.",
    },
)


def _contacts(case, users, rows, today) -> list:
    """The case's contacts as (entry, event) pairs, unsaved; none is dated later than today."""
    people = {p.role: p for p in case.participants.all()}
    contacts = []
    for row in rows:
        day = min(today, case.first_sick_day + dt.timedelta(days=row["day"]))
        with_coordinator = row["with"] == "coordinator"
        participant = None if with_coordinator else people[row["with"]]
        entry, event = _contact(
            case,
            users[row["by"]],
            day,
            participant,
            row["channel"],
            row["note"],
            row.get("audience", Audience.ALL),
            with_coordinator=with_coordinator,
        )
        if row.get("health_professional"):
            entry.involves_health_professional = True
        contacts.append((entry, event))
    return contacts


@transaction.atomic
def load_demo(world) -> None:
    users = world.users
    kurt, bodil = world.kurt, world.bodil
    k0, b0 = kurt.first_sick_day, bodil.first_sick_day
    day = dt.timedelta
    today = timezone.localdate()

    # Kurt: agreed at the first call; then a call every other week. The last one a week ago.
    k_event = _agreement(
        kurt,
        users["koordinator"],
        k0 + day(10),
        cadence_days=14,
        responsible=ContactResponsible.EMPLOYER,
        channel=Channel.PHONE,
        description="Peter ringer til Kurt hver anden mandag formiddag.",
    )
    # Bodil: a lighter start, then weekly; the last contact with her was on day 30.
    b_event = _agreement(
        bodil,
        users["koordinator"],
        b0 + day(3),
        cadence_days=7,
        lighter_start_weeks=2,
        lighter_cadence_days=14,
        responsible=ContactResponsible.EMPLOYER,
        channel=Channel.PHONE,
        description="Susanne ringer til Bodil. Bodil må gerne svare med en sms, hvis hun ikke orker at tale.",
    )
    contacts = _contacts(kurt, users, KURT_CONTACTS, today) + _contacts(bodil, users, BODIL_CONTACTS, today)
    ContactEntry.objects.bulk_create([entry for entry, _event in contacts])
    TimelineEvent.objects.bulk_create([k_event, b_event] + [event for _entry, event in contacts])
    calendar_refresh(kurt)
    calendar_refresh(bodil)
