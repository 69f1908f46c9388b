"""Pure helpers around a generated schedule (no Django): single-day adjustments on top of it, the weekly
chart's geometry, and planned against actual hours."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from fasthold.schedules.generator import PARTIAL_MINIMUM_SICK_HOURS, WEEKDAYS, Day, Schedule, Week


def apply_overrides(schedule: Schedule, overrides: dict[date, tuple[float, str]]) -> Schedule:
    """The schedule with some days replaced by (hours, kind); weekly figures recomputed.

    A date outside the schedule is ignored: it was adjusted before the period changed."""
    if not overrides:
        return schedule
    normal = Decimal(str(schedule.normal_week_hours))
    weeks = []
    for week in schedule.weeks:
        if not any(day.date in overrides for day in week.days):
            weeks.append(week)
            continue
        days = []
        for day in week.days:
            if day.date in overrides:
                hours, kind = overrides[day.date]
                days.append(Day(day.date, day.weekday, float(hours) if kind == "work" else 0.0, kind))
            else:
                days.append(day)
        weeks.append(week_of(week.number, days, normal))
    return replace(schedule, weeks=tuple(weeks))


def week_of(number: int, days: list[Day], normal: Decimal) -> Week:
    total = sum((Decimal(str(day.hours)) for day in days), Decimal(0))
    sick = normal - total
    share = float((total / normal).quantize(Decimal("0.001"), ROUND_HALF_UP))
    return Week(number, days[0].date, tuple(days), float(total), share, float(sick), sick < PARTIAL_MINIMUM_SICK_HOURS)


@dataclass(frozen=True)
class Cell:
    weekday: str
    day: Day | None  # None: the day lies outside the period (before the start, after the end)


def week_cells(week: Week) -> list[Cell]:
    """Seven cells, Monday to Sunday, for a calendar row."""
    by_weekday = {day.weekday: day for day in week.days}
    return [Cell(weekday, by_weekday.get(weekday)) for weekday in WEEKDAYS]


def calendar_rows(schedule: Schedule | None) -> list[tuple[Week, list[Cell]]]:
    """Each week with its seven cells: the calendar of the edit page and of the PDF."""
    return [(week, week_cells(week)) for week in schedule.weeks] if schedule else []


@dataclass(frozen=True)
class Bar:
    label: str
    hours: float
    x: float
    y: float
    width: float
    height: float
    flagged: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    normal_y: float
    normal_hours: float
    baseline: float
    ticks: list[tuple[float, str]]


def weekly_chart(schedule: Schedule, *, bar_width: int = 34, gap: int = 10, plot_height: int = 160) -> Chart:
    """Bars of weekly totals against a dashed line at normal hours. Values are printed as text."""
    top, left, bottom = 20, 40, 40
    normal = schedule.normal_week_hours or 1
    scale = plot_height / normal
    baseline = top + plot_height
    bars = []
    for i, week in enumerate(schedule.weeks):
        h = week.total_hours * scale
        bars.append(
            Bar(
                str(week.number),
                week.total_hours,
                left + gap + i * (bar_width + gap),
                baseline - h,
                bar_width,
                h,
                week.below_partial_minimum,
            )
        )
    ticks = [(baseline - value * scale, f"{value:g}") for value in (0, normal / 2, normal)]
    width = left + gap + len(bars) * (bar_width + gap) + 10
    return Chart(max(width, 200), top + plot_height + bottom, bars, baseline - normal * scale, normal, baseline, ticks)


@dataclass(frozen=True)
class Comparison:
    week: Week
    monday: date
    actual: float | None
    difference: float | None
    short: bool  # fewer hours than planned: a signal to talk, not a failure


def compare(schedule: Schedule, actual_by_week: dict[date, float]) -> list[Comparison]:
    """Planned against actual per week; weeks are matched on their Monday."""
    rows = []
    for week in schedule.weeks:
        monday = date.fromordinal(week.start.toordinal() - week.start.weekday())
        actual = actual_by_week.get(monday)
        difference = None if actual is None else round(actual - week.total_hours, 2)
        rows.append(Comparison(week, monday, actual, difference, difference is not None and difference < 0))
    return rows
