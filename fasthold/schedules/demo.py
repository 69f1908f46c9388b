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
    DialName,
    MixerSetting,
    ReturnSchedule,
    ScheduleMode,
    TaskItem,
    monday_of,
)


def _schedule(version, actor, **data) -> ReturnSchedule:
    """Both demo schedules: a Danish 37-hour week, Monday to Friday with Wednesday to recover."""
    values = services._stored(
        {
            "holidays": "dk",
            "quantum": Decimal("0.5"),
            "normal_week_hours": Decimal(37),
            "workdays": ["mon", "tue", "wed", "thu", "fri"],
            "rest_days": ["wed"],
            **data,
        }
    )
    schedule = ReturnSchedule(plan_version=version, case=version.plan.case, created_by=actor, **values)
    schedule.generate()  # the demo must be a schedule the generator accepts
    schedule.save()
    return schedule


def _mixer(schedule, settings) -> None:
    """The mixer console's settings in order; a setting without a last week lasts to the schedule's end."""
    for row in settings:
        setting = MixerSetting.objects.create(
            schedule=schedule,
            first_week=row["first_week"],
            last_week=row["last_week"] or len(schedule.generate().weeks),
            colours=row["colours"],
        )
        services._dials(setting, dict(zip(DialName.values, row["dials"])))


def _checklist(schedule, whose: str) -> None:
    AccommodationItem.objects.bulk_create(
        [AccommodationItem(schedule=schedule, key=k, answer=a, note=n) for w, k, a, n in CHECKLISTS if w == whose]
    )


# The mixer console of each schedule: the phases' weeks and colours, and each dial's (level, note) in the
# order of DialName (the order the console shows them in).
KURT_MIXER = (
    {
        "first_week": 1,
        "last_week": 4,
        "colours": ["green"],
        "dials": (
            (1, "2–3½ timer om dagen, onsdag fri"),
            (1, "Kører truck; ingen løft over 10 kg"),
            (1, "Kun kørsel med færdigvarer"),
            (1, "Peter fordeler dagens kørsel"),
            (2, "Samme rute og samme mødetid hver dag"),
            (1, "Ingen akkord; pauser efter behov"),
        ),
    },
    {
        "first_week": 5,
        "last_week": None,
        "colours": ["green", "yellow"],
        "dials": (
            (2, "4–7 timer om dagen, onsdag fri"),
            (2, "Truck og let lagerarbejde; ingen tunge løft"),
            (2, "Kørsel og registrering af varer"),
            (2, "Planlægger selv sin kørsel"),
            (3, "Ændringer aftales dagen før"),
            (2, "Ingen akkord"),
        ),
    },
)
BODIL_MIXER = (
    {
        "first_week": 1,
        "last_week": 2,
        "colours": ["green"],
        "dials": (
            (0, "10 timer om ugen, formiddage"),
            (2, "Eget kontor med dør, der kan lukkes"),
            (1, "Post, arkiv og bogføring efter faste rutiner"),
            (0, "Ingen opgaver, hun alene står for"),
            (1, "Fast plan for ugen, lavet mandag med Susanne"),
            (0, "Ingen deadlines kortere end en uge"),
        ),
    },
    {
        "first_week": 3,
        "last_week": 4,
        "colours": ["green", "yellow"],
        "dials": (
            (1, "15 timer om ugen"),
            (3, "Tilbage ved sin egen plads"),
            (2, "Enkelte egne kunder"),
            (1, "Egne kunder med en kollega som backup"),
            (2, "Ugeplan; ændringer aftales dagen før"),
            (1, "Ingen deadlines kortere end to dage"),
        ),
    },
)

# The demo schedules' checklists: (whose, item, answer, note).
CHECKLISTS = (
    ("kurt", "slow_start_hours", "yes", "2 timer om dagen i første uge"),
    ("kurt", "slow_start_days", "yes", "Aldrig mere end to dage i træk"),
    ("kurt", "restitution", "yes", "Onsdag fri"),
    ("kurt", "task_amount", "yes", "Kun kørsel i de første fire uger"),
    ("kurt", "reassignment", "yes", "Truckfører i stedet for tømmerløft"),
    ("kurt", "no_presentations", "not_relevant", ""),
    ("bodil", "slow_start_hours", "yes", "10 timer om ugen de første to uger"),
    ("bodil", "restitution", "yes", "Onsdag fri"),
    ("bodil", "confrontation", "yes", "Ingen kundemøder de første to uger"),
    ("bodil", "no_short_deadlines", "yes", "Ingen momsfrister i perioden"),
    ("bodil", "no_presentations", "yes", "Ikke oplæg på personalemøder"),
)

# Kurt's tasks by colour, in order.
KURT_TASKS = (
    ("green", "Køre truck med færdigvarer fra produktionen til lageret"),
    ("green", "Registrere varer ind og ud på lageret"),
    ("yellow", "Planlægge dagens kørsel sammen med lageret"),
    ("yellow", "Lære en ny kollega op i truckkørsel"),
    ("red", "Løfte tømmer og plader ved savene"),
    ("red", "Akkordarbejde i produktionen"),
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
    _mixer(schedule, KURT_MIXER)
    _checklist(schedule, "kurt")
    TaskItem.objects.bulk_create(
        [TaskItem(case=case, position=i, text=text, colour=colour) for i, (colour, text) in enumerate(KURT_TASKS)]
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
        phases=[{"week_hours": 10, "weeks": 2}, {"week_hours": 15, "weeks": 2}],
    )
    _mixer(schedule, BODIL_MIXER)
    _checklist(schedule, "bodil")
    services.tasks_copy_examples(actor=coordinator, case=case, profession="administrative", language="da")
    TimelineEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        actor=coordinator,
        audience=Audience.ALL,
        params={"schedule": "created", "number": version.number},
    )
