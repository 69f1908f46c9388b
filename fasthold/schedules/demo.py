"""Demo schedules: Kurt's from the seed's table (2 hours, half an hour more a week, Wednesday to recover,
up to 7 hours) with two weeks of actual hours, one of them short; Bodil's from her phases (10 hours a
week for 2 weeks, then 15). Both with the mixer set for two phases, tasks and part of the checklist."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fasthold.cases.models import Audience, EventKind, TimelineEvent
from fasthold.plans.models import PlanVersion, VersionStatus
from fasthold.schedules import services
from fasthold.schedules.models import (
    AccommodationItem,
    ActualWeek,
    Dial,
    MixerSetting,
    ReturnSchedule,
    ScheduleMode,
    TaskItem,
    monday_of,
)


def _schedule(version, actor, **data) -> ReturnSchedule:
    values = services._stored({"holidays": "dk", "quantum": Decimal("0.5"), "normal_week_hours": Decimal(37), **data})
    schedule = ReturnSchedule(plan_version=version, case=version.plan.case, created_by=actor, **values)
    schedule.generate()  # the demo must be a schedule the generator accepts
    schedule.save()
    return schedule


def _mixer(schedule, first, last, colours, dials) -> None:
    setting = MixerSetting.objects.create(schedule=schedule, first_week=first, last_week=last, colours=colours)
    Dial.objects.bulk_create(
        [Dial(setting=setting, name=name, level=level, note=note) for name, (level, note) in dials.items()]
    )


def _checklist(schedule, answers) -> None:
    AccommodationItem.objects.bulk_create(
        [AccommodationItem(schedule=schedule, key=k, answer=a, note=n) for k, (a, n) in answers.items()]
    )


@transaction.atomic
def load_demo(world, today: dt.date | None = None) -> None:
    today = today or timezone.localdate()
    coordinator = world.users["koordinator"]
    _kurt(world, today, coordinator)
    _bodil(world, coordinator)


def _current(case) -> PlanVersion | None:
    return PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()


def _kurt(world, today, coordinator) -> None:
    case, version = world.kurt, _current(world.kurt)
    if version is None:
        return
    start = monday_of(today) - dt.timedelta(weeks=2)
    schedule = _schedule(
        version,
        coordinator,
        mode=ScheduleMode.GENERATED,
        start_date=start,
        workdays=["mon", "tue", "wed", "thu", "fri"],
        rest_days=["wed"],
        start_hours=Decimal(2),
        step_hours=Decimal("0.5"),
        step_weeks=1,
        max_day_hours=Decimal(7),
    )
    weeks = schedule.generate().weeks
    planned = [Decimal(str(w.total_hours)) for w in weeks[:2]]
    leder = world.users["leder"]
    ActualWeek.objects.bulk_create(
        [
            ActualWeek(case=case, week_start=start, hours=planned[0], entered_by=world.users["kurt"]),
            ActualWeek(
                case=case,
                week_start=start + dt.timedelta(weeks=1),
                hours=planned[1] - 3,
                entered_by=leder,
                note="Gik hjem før tid torsdag og fredag; vi tager det op på mødet.",
            ),
        ]
    )
    _mixer(
        schedule,
        1,
        4,
        ["green"],
        {
            "hours": (1, "2–3½ timer om dagen, onsdag fri"),
            "setting": (1, "Kører truck; ingen løft over 10 kg"),
            "tasks": (1, "Kun kørsel med færdigvarer"),
            "responsibility": (1, "Peter fordeler dagens kørsel"),
            "predictability": (2, "Samme rute og samme mødetid hver dag"),
            "intensity": (1, "Ingen akkord; pauser efter behov"),
        },
    )
    _mixer(
        schedule,
        5,
        len(weeks),
        ["green", "yellow"],
        {
            "hours": (2, "4–7 timer om dagen, onsdag fri"),
            "setting": (2, "Truck og let lagerarbejde; ingen tunge løft"),
            "tasks": (2, "Kørsel og registrering af varer"),
            "responsibility": (2, "Planlægger selv sin kørsel"),
            "predictability": (3, "Ændringer aftales dagen før"),
            "intensity": (2, "Ingen akkord"),
        },
    )
    _checklist(
        schedule,
        {
            "slow_start_hours": ("yes", "2 timer om dagen i første uge"),
            "slow_start_days": ("yes", "Aldrig mere end to dage i træk"),
            "restitution": ("yes", "Onsdag fri"),
            "task_amount": ("yes", "Kun kørsel i de første fire uger"),
            "reassignment": ("yes", "Truckfører i stedet for tømmerløft"),
            "no_presentations": ("not_relevant", ""),
        },
    )
    TaskItem.objects.bulk_create(
        [
            TaskItem(case=case, position=i, text=text, colour=colour)
            for i, (colour, text) in enumerate(
                [
                    ("green", "Køre truck med færdigvarer fra produktionen til lageret"),
                    ("green", "Registrere varer ind og ud på lageret"),
                    ("yellow", "Planlægge dagens kørsel sammen med lageret"),
                    ("yellow", "Lære en ny kollega op i truckkørsel"),
                    ("red", "Løfte tømmer og plader ved savene"),
                    ("red", "Akkordarbejde i produktionen"),
                ]
            )
        ]
    )


def _bodil(world, coordinator) -> None:
    case, version = world.bodil, _current(world.bodil)
    if version is None:
        return
    start = monday_of(case.first_sick_day + dt.timedelta(days=30)) + dt.timedelta(weeks=1)
    schedule = _schedule(
        version,
        coordinator,
        mode=ScheduleMode.PHASES,
        start_date=start,
        workdays=["mon", "tue", "wed", "thu", "fri"],
        rest_days=["wed"],
        phases=[{"week_hours": 10, "weeks": 2}, {"week_hours": 15, "weeks": 2}],
    )
    _mixer(
        schedule,
        1,
        2,
        ["green"],
        {
            "hours": (0, "10 timer om ugen, formiddage"),
            "setting": (2, "Eget kontor med dør, der kan lukkes"),
            "tasks": (1, "Post, arkiv og bogføring efter faste rutiner"),
            "responsibility": (0, "Ingen opgaver, hun alene står for"),
            "predictability": (1, "Fast plan for ugen, lavet mandag med Susanne"),
            "intensity": (0, "Ingen deadlines kortere end en uge"),
        },
    )
    _mixer(
        schedule,
        3,
        4,
        ["green", "yellow"],
        {
            "hours": (1, "15 timer om ugen"),
            "setting": (3, "Tilbage ved sin egen plads"),
            "tasks": (2, "Enkelte egne kunder"),
            "responsibility": (1, "Egne kunder med en kollega som backup"),
            "predictability": (2, "Ugeplan; ændringer aftales dagen før"),
            "intensity": (1, "Ingen deadlines kortere end to dage"),
        },
    )
    _checklist(
        schedule,
        {
            "slow_start_hours": ("yes", "10 timer om ugen de første to uger"),
            "restitution": ("yes", "Onsdag fri"),
            "confrontation": ("yes", "Ingen kundemøder de første to uger"),
            "no_short_deadlines": ("yes", "Ingen momsfrister i perioden"),
            "no_presentations": ("yes", "Ikke oplæg på personalemøder"),
        },
    )
    services.tasks_copy_examples(actor=coordinator, case=case, profession="administrative", language="da")
    TimelineEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        actor=coordinator,
        audience=Audience.ALL,
        params={"schedule": "created", "number": version.number},
    )
