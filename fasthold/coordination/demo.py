"""Contact agreements and contacts for the demo: Kurt keeps to his, Bodil's contact is overdue.

Kurt (back, physical): every 14 days, Peter calls him; contacts so far on time.
Bodil (depression): a lighter start (every 14 days the first 2 weeks, then weekly, Susanne takes
the initiative, seed 004); her last counted contact was four weeks ago + 2 days, so the dashboard
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


@transaction.atomic
def load_demo(world) -> None:
    users = world.users
    kurt, bodil = world.kurt, world.bodil
    people = {(p.case_id, p.role): p for p in kurt.participants.all() | bodil.participants.all()}
    kurt_self = people[(kurt.pk, ParticipantRole.EMPLOYEE)]
    peter = people[(kurt.pk, ParticipantRole.MANAGER)]
    bodil_self = people[(bodil.pk, ParticipantRole.EMPLOYEE)]
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
    kurt_contacts = [
        _contact(
            kurt,
            users["leder"],
            k0 + day(1),
            kurt_self,
            Channel.PHONE,
            "Peter ringede og hørte, hvordan det gik. Vi glæder os til at se Kurt igen.",
        ),
        _contact(
            kurt,
            users["koordinator"],
            k0 + day(10),
            peter,
            Channel.PHONE,
            "Første samtale med Peter om muligheder: truckkørsel uden løft. Kontaktaftale lavet.",
        ),
        _contact(
            kurt, users["leder"], k0 + day(24), kurt_self, Channel.MEETING, "Kurt var forbi lageret og så truckområdet."
        ),
        _contact(
            kurt,
            users["kurt"],
            k0 + day(38),
            None,
            Channel.PHONE,
            "Talte med Karen om smertedagbogen og gåturene.",
            Audience.PROFESSIONALS,
            with_coordinator=True,
        ),
        _contact(
            kurt,
            users["kurt"],
            min(today, k0 + day(56)),
            peter,
            Channel.PHONE,
            "Jeg ringede til Peter: praktikken går godt, vi ses mandag.",
        ),
    ]

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
    bodil_contacts = [
        _contact(
            bodil,
            users["chef"],
            b0 + day(2),
            bodil_self,
            Channel.PHONE,
            "Kort opkald: Bodil får ro de første to uger; jeg ringer igen om 14 dage.",
        ),
        _contact(
            bodil,
            users["koordinator"],
            b0 + day(16),
            bodil_self,
            Channel.MEETING,
            "Bodil sover lidt bedre og går til psykolog hver anden uge.",
            Audience.PROFESSIONALS,
        ),
        _contact(
            bodil,
            users["psykolog"],
            b0 + day(20),
            None,
            Channel.PHONE,
            "Aftalt at forløbet hos psykologen fortsætter.",
            Audience.PROFESSIONALS,
            with_coordinator=True,
        ),
        _contact(
            bodil,
            users["chef"],
            min(today, b0 + day(30)),
            bodil_self,
            Channel.MEETING,
            "Kaffe på kontoret fredag. Vi talte om at starte på få timer.",
        ),
    ]
    # The psychologist's call is by a health professional: kept from the employer and not counted.
    entry, _ = bodil_contacts[2]
    entry.involves_health_professional = True
    ContactEntry.objects.bulk_create([e for e, _ in kurt_contacts + bodil_contacts])
    TimelineEvent.objects.bulk_create([k_event, b_event] + [ev for _, ev in kurt_contacts + bodil_contacts])
    calendar_refresh(kurt)
    calendar_refresh(bodil)
