"""Demo schedules as the jobcentre guide tells the stories: Kurt's internship, 15 hours a week for the
first four weeks (the guide says only that the hours are stepped up after that, so the schedule stops
there and the step up is agreed at the follow-up meeting), with two weeks of actual hours; Bodil's partial
return, 10 hours a week for 2 weeks, then 15 for 2 weeks. The guide names no days off, so neither has a
restitution day. The mixer, the checklist and the tasks hold what the guide says; a dial it says nothing
about has a level and no note."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from fasthold.cases.demo import bodil_partial_return_start, kurt_internship_start
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
)


def _schedule(version, actor, **data) -> ReturnSchedule:
    """Both demo schedules: phases over a Danish 37-hour week, Monday to Friday, without restitution days."""
    values = services._stored(
        {
            "mode": ScheduleMode.PHASES,
            "holidays": "dk",
            "quantum": Decimal("0.5"),
            "normal_week_hours": Decimal(37),
            "workdays": ["mon", "tue", "wed", "thu", "fri"],
            "rest_days": [],
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
        "last_week": None,
        "colours": ["green"],
        "dials": (
            (1, "15 timer om ugen de første 4 uger, derefter optrapning"),
            (1, "Kører truck i stedet for at løfte træ op til maskinerne"),
            (1, "Praktik i en anden funktion: truckfører"),
            (1, ""),
            (1, ""),
            (1, ""),
        ),
    },
)
BODIL_MIXER = (
    {
        "first_week": 1,
        "last_week": 2,
        "colours": ["green"],
        "dials": (
            (0, "10 timer om ugen"),
            (2, ""),
            (1, "De normale opgaver kommer tilbage efter planen med lederen"),
            (0, ""),
            (1, ""),
            (0, ""),
        ),
    },
    {
        "first_week": 3,
        "last_week": 4,
        "colours": ["green", "yellow"],
        "dials": (
            (1, "15 timer om ugen"),
            (2, ""),
            (2, "De normale opgaver kommer tilbage efter planen med lederen"),
            (1, ""),
            (1, ""),
            (1, ""),
        ),
    },
)

# The demo schedules' checklists: (whose, item, answer, note).
CHECKLISTS = (
    ("kurt", "slow_start_hours", "yes", "15 timer om ugen de første fire uger"),
    ("kurt", "task_amount", "yes", "Kun truckkørsel i praktikken"),
    ("kurt", "reassignment", "yes", "Truckfører i stedet for at løfte træ op til maskinerne"),
    ("kurt", "no_presentations", "not_relevant", ""),
    ("bodil", "slow_start_hours", "yes", "10 timer om ugen de første to uger, derefter 15"),
    ("bodil", "task_amount", "yes", "De normale opgaver kommer tilbage efter en plan, Bodil og lederen laver"),
)

# Kurt's tasks by colour, in order: the internship's task, and the job he cannot manage now.
KURT_TASKS = (
    ("green", "Køre truck"),
    ("red", "Løfte træ op til maskinerne"),
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
    start = kurt_internship_start(case)
    schedule = _schedule(version, coordinator, start_date=start, phases=[{"week_hours": 15, "weeks": 4}])
    # The two weeks before this one, worked as planned.
    ActualWeek.objects.bulk_create(
        [
            ActualWeek(case=case, week_start=start, hours=Decimal(15), entered_by=world.users["kurt"]),
            ActualWeek(
                case=case, week_start=start + dt.timedelta(weeks=1), hours=Decimal(15), entered_by=world.users["leder"]
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
    schedule = _schedule(
        version,
        coordinator,
        start_date=bodil_partial_return_start(case),
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
