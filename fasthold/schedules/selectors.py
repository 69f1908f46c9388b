"""Reads for the schedule pages, in a fixed number of queries however many weeks, days and tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from fasthold.cases.models import Case
from fasthold.plans.models import PlanVersion, VersionStatus
from fasthold.schedules import extent, layout
from fasthold.schedules.generator import Schedule, ScheduleError
from fasthold.schedules.models import (
    COLOUR_ORDER,
    DIAL_MAX,
    AccommodationItem,
    ActualWeek,
    ChecklistKey,
    DialName,
    ReturnSchedule,
    TaskColour,
    TaskItem,
)


@dataclass
class Versions:
    draft: PlanVersion | None
    current: PlanVersion | None
    has_plan: bool

    def focus(self, *, prefer_draft: bool) -> PlanVersion | None:
        return (self.draft if prefer_draft and self.draft else None) or self.current


def plan_versions(case: Case) -> Versions:
    versions = list(
        PlanVersion.objects.filter(plan__case=case, status__in=[VersionStatus.DRAFT, VersionStatus.CURRENT])
    )
    by_status = {v.status: v for v in versions}
    has_plan = bool(versions) or PlanVersion.objects.filter(plan__case=case).exists()
    return Versions(by_status.get(VersionStatus.DRAFT), by_status.get(VersionStatus.CURRENT), has_plan)


def schedule_for(version: PlanVersion | None) -> ReturnSchedule | None:
    if version is None:
        return None
    return ReturnSchedule.objects.filter(plan_version=version).first()


def built(schedule: ReturnSchedule, overrides=None) -> Schedule:
    """The generator's output with the single-day adjustments applied."""
    if overrides is None:
        overrides = list(schedule.overrides.all())
    return layout.apply_overrides(schedule.generate(), {o.date: (float(o.hours), o.kind) for o in overrides})


@dataclass
class Phase:
    setting: object
    dials: list
    colours: list[str]


@dataclass
class ScheduleView:
    schedule: ReturnSchedule
    generated: Schedule | None
    error: str = ""
    overrides: dict = field(default_factory=dict)
    rows: list = field(default_factory=list)  # (week, cells): the calendar
    comparisons: list = field(default_factory=list)  # (comparison, ActualWeek or None)
    chart: layout.Chart | None = None
    phases: list[Phase] = field(default_factory=list)
    checklist: list[AccommodationItem] = field(default_factory=list)
    short_weeks: int = 0


def schedule_view(schedule: ReturnSchedule, *, actuals: dict[date, ActualWeek] | None = None) -> ScheduleView:
    overrides = {o.date: o for o in schedule.overrides.all()}
    try:
        generated = layout.apply_overrides(
            schedule.generate(), {d: (float(o.hours), o.kind) for d, o in overrides.items()}
        )
    except ScheduleError as error:  # stored parameters the generator no longer accepts
        return ScheduleView(schedule, None, error=str(error))
    actuals = actuals or {}
    comparisons = layout.compare(generated, {d: float(a.hours) for d, a in actuals.items()})
    view = ScheduleView(
        schedule,
        generated,
        overrides=overrides,
        rows=[(c.week, layout.week_cells(c.week)) for c in comparisons],
        comparisons=[(c, actuals.get(c.monday)) for c in comparisons],
        chart=layout.weekly_chart(generated),
        short_weeks=sum(1 for c in comparisons if c.short),
    )
    for setting in schedule.mixer_settings.prefetch_related("dials"):
        dials = sorted(setting.dials.all(), key=lambda d: d.order)
        for d in dials:
            d.percent = round(100 * d.level / DIAL_MAX)
            d.blocks = "■" * d.level + "□" * (DIAL_MAX - d.level)
        view.phases.append(Phase(setting, dials, [c for c in COLOUR_ORDER if c in setting.colours]))
    items = {i.key: i for i in schedule.checklist.all()}
    view.checklist = [items.get(key) or AccommodationItem(schedule=schedule, key=key) for key in ChecklistKey.values]
    return view


def actual_weeks(case: Case) -> dict[date, ActualWeek]:
    return {a.week_start: a for a in ActualWeek.objects.filter(case=case).select_related("entered_by")}


def tasks_by_colour(case: Case) -> list[tuple[str, str, list[TaskItem]]]:
    tasks = list(case.task_items.all())
    return [(c.value, c.label, [t for t in tasks if t.colour == c]) for c in COLOUR_ORDER]


@dataclass
class Summary:
    """The schedule's summary for the retention plan PDF."""

    version: PlanVersion
    schedule: ReturnSchedule
    weeks: list
    first_day: date
    last_day: date
    phases: list[Phase]


def summary(case: Case) -> Summary | None:
    """The current plan version's schedule, week by week, with its mixer phases."""
    version = PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()
    schedule = schedule_for(version)
    if schedule is None:
        return None
    view = schedule_view(schedule)
    if view.generated is None or not view.generated.weeks:
        return None
    weeks = view.generated.weeks
    return Summary(version, schedule, list(weeks), weeks[0].days[0].date, weeks[-1].days[-1].date, view.phases)


def absence_extent(case: Case, *, today: date | None = None) -> extent.Extent | None:
    """The extent of absence this week from the current plan's graded schedule (hours worked when
    recorded, else planned), or None when no schedule covers this week."""
    return absence_extents([case], today=today).get(case.pk)


def absence_extents(cases, *, today: date | None = None) -> dict[int, extent.Extent | None]:
    """absence_extent for many cases in a constant number of queries (a list of employees)."""
    today = today or timezone.localdate()
    week = extent.monday(today)
    ids = [case.pk for case in cases]
    schedules = ReturnSchedule.objects.filter(
        case__in=ids, plan_version__status=VersionStatus.CURRENT
    ).prefetch_related("overrides")
    actual: dict[int, dict] = {}
    for a in ActualWeek.objects.filter(case__in=ids, week_start__gte=week, week_start__lt=week + timedelta(days=7)):
        actual.setdefault(a.case_id, {})[extent.monday(a.week_start)] = a.hours
    result: dict[int, extent.Extent | None] = dict.fromkeys(ids)
    for schedule in schedules:
        if result[schedule.case_id] is not None:
            continue
        try:
            weeks = built(schedule).weeks
        except ScheduleError:
            continue
        result[schedule.case_id] = extent.current_extent(
            today=today,
            normal_hours=float(schedule.normal_week_hours),
            planned={extent.monday(w.start): w.total_hours for w in weeks},
            actual=actual.get(schedule.case_id, {}),
        )
    return result


__all__ = ["DialName", "TaskColour", "plan_versions", "schedule_for", "schedule_view", "summary"]
