"""Graded return schedules: hours per day, week by week, with rest days and public holidays.

Pure (no Django), so the CLI, the views and the property tests share the same rules. Decisions:
- Calendar weeks, Monday to Sunday. Week 1 holds the start date; its earlier days are left out, yet
  it counts as a full step. Each day of the period appears once: work, rest (working weekday without
  work), holiday (public holiday, any weekday) or off (not a working weekday).
- Sick hours = normal - planned for every week, partial first week and holiday weeks included: the
  employee is still sick-listed then; how holidays count for the benefit is the municipality's call.
- Hours are multiples of the quantum, rounded half up; the maximum day hours are rounded down to it.
  A working weekday whose hours round to nothing is a rest day.
- Generated schedules escalate every ``step_weeks`` weeks: working days up to the maximum, then (with
  ``rest_days_end="at_max"``) rest days become working days at ``rest_day_start_hours`` and escalate
  likewise; the consecutive-days limit ends with them. The schedule ends with the first week at the
  goal (full regime or ``target_week_hours``), or holds the goal until the end date if one is given.
- Phases spread a week's hours over its phase days that are not holidays (a holiday moves its hours
  to the other days); days before the start reduce the first week pro rata. Odd quanta go to the
  earliest days, so a week sums to its phase hours rounded down to the quantum unless capped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation

import holidays as holiday_calendars

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MONDAY_TO_FRIDAY = WEEKDAYS[:5]
MAX_WEEKS = 104
# Partial sickness benefit needs at least this many hours of absence a week.
PARTIAL_MINIMUM_SICK_HOURS = Decimal(4)
HOLIDAY_OPTIONS = ("dk", "none")
REST_DAYS_END_OPTIONS = ("never", "at_max")


class ScheduleError(ValueError):
    """Input that cannot give a sensible schedule."""


@dataclass(frozen=True)
class Day:
    date: date
    weekday: str
    hours: float
    kind: str  # work | rest | holiday | off

    def to_dict(self) -> dict:
        return {"date": self.date.isoformat(), "weekday": self.weekday, "hours": self.hours, "kind": self.kind}


@dataclass(frozen=True)
class Week:
    number: int
    start: date
    days: tuple[Day, ...]
    total_hours: float
    share_of_normal: float
    sick_hours: float
    below_partial_minimum: bool

    def to_dict(self) -> dict:
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        return fields | {"start": self.start.isoformat(), "days": [day.to_dict() for day in self.days]}


@dataclass(frozen=True)
class Schedule:
    weeks: tuple[Week, ...]
    normal_week_hours: float

    @property
    def days(self) -> tuple[Day, ...]:
        return tuple(day for week in self.weeks for day in week.days)

    def to_dict(self) -> dict:
        return {"weeks": [week.to_dict() for week in self.weeks]}


@dataclass(frozen=True)
class Phase:
    week_hours: float
    days: tuple[str, ...]
    weeks: int


@dataclass(frozen=True)
class _Rules:
    workdays: tuple[str, ...]
    rest_days: tuple[str, ...]
    step: Decimal
    max_day: Decimal
    quantum: Decimal
    max_consecutive: int | None
    rest_days_end: str
    rest_start: Decimal
    target: Decimal | None


@dataclass(frozen=True)
class _Level:
    main: Decimal
    rest: Decimal | None  # None while the rest days are kept


def parse_weekdays(text: str) -> tuple[str, ...]:
    """'mon,tue,thu' -> ('mon', 'tue', 'thu'); an empty text gives no days."""
    return _weekdays([part.strip().lower() for part in text.split(",") if part.strip()])


def generate_schedule(
    start: date,
    *,
    workdays: Iterable[str],
    start_hours: float,
    step_hours: float,
    max_day_hours: float,
    step_weeks: int = 1,
    rest_days: Iterable[str] = (),
    normal_week_hours: float = 37,
    max_consecutive_days: int | None = None,
    rest_days_end: str = "never",
    rest_day_start_hours: float | None = None,
    target_week_hours: float | None = None,
    end_date: date | None = None,
    holidays: str = "dk",
    quantum: float = 0.5,
) -> Schedule:
    """A schedule that escalates the hours per working day step by step (the seed's table)."""
    # Validation reads the same names as the signature, so it takes them all at once.
    rules, first = _generated_rules(locals())
    normal = _number("normal weekly hours", normal_week_hours, positive=True)
    if rules.target is not None and rules.target > normal:
        raise ScheduleError("target weekly hours exceed the normal weekly hours")
    _check_reachable(first, rules, bounded=end_date is not None)
    is_holiday = _holiday_check(holidays)
    weeks, level, run = [], first, 0
    for number, dates in _calendar_weeks(start, end_date):
        days, run = _generated_days(dates, level, rules, is_holiday, run)
        weeks.append(_week(number, days, normal))
        goal = _goal_reached(level, rules)
        if goal and end_date is None:
            break
        if not goal and number % step_weeks == 0:
            level = _escalate(level, rules)
    if any(Decimal(str(week.total_hours)) > normal for week in weeks):
        raise ScheduleError("planned hours exceed the normal weekly hours")
    return Schedule(tuple(weeks), float(normal))


def schedule_from_phases(
    start: date,
    phases: Iterable[Phase],
    *,
    workdays: Iterable[str] = MONDAY_TO_FRIDAY,
    normal_week_hours: float = 37,
    max_day_hours: float | None = None,
    holidays: str = "dk",
    quantum: float = 0.5,
) -> Schedule:
    """A schedule of explicit phases, e.g. Bodil's 10 h a week for 2 weeks, then 15 h for 2 weeks."""
    phases = tuple(phases)
    working = _weekdays(workdays, required=True)
    normal = _number("normal weekly hours", normal_week_hours, positive=True)
    step = _number("rounding quantum", quantum, positive=True)
    cap = None if max_day_hours is None else _floor(_number("maximum day hours", max_day_hours, positive=True), step)
    _check_phases(phases, working, normal)
    plan = [phase for phase in phases for _ in range(phase.weeks)]
    is_holiday = _holiday_check(holidays)
    weeks = []
    # The plan goes first: zip stops at it before asking the calendar for a week beyond the cap.
    for phase, (number, dates) in zip(plan, _calendar_weeks(start, None)):
        days = _phase_days(dates, phase, working, is_holiday, step, cap)
        weeks.append(_week(number, days, normal))
    return Schedule(tuple(weeks), float(normal))


def _generated_rules(given: dict) -> tuple[_Rules, _Level]:
    workdays = _weekdays(given["workdays"], required=True)
    rest_days = _weekdays(given["rest_days"])
    if stray := [day for day in rest_days if day not in workdays]:
        raise ScheduleError(f"rest day {stray[0]} is not a working day")
    if len(rest_days) >= len(workdays):
        raise ScheduleError("there must be fewer rest days than working days")
    quantum = _number("rounding quantum", given["quantum"], positive=True)
    start_hours = _number("start hours", given["start_hours"], positive=True)
    max_day = _number("maximum day hours", given["max_day_hours"], positive=True)
    if start_hours > max_day:
        raise ScheduleError("start hours are above the maximum day hours")
    rest_start = given["rest_day_start_hours"]
    rest_start = max_day if rest_start is None else _number("rest day start hours", rest_start, positive=True)
    if rest_start > max_day:
        raise ScheduleError("rest day start hours are above the maximum day hours")
    max_day = _floor(max_day, quantum)
    if max_day <= 0:
        raise ScheduleError("maximum day hours are below the rounding quantum")
    if given["rest_days_end"] not in REST_DAYS_END_OPTIONS:
        raise ScheduleError("rest days end must be never or at_max")
    _whole("step weeks", given["step_weeks"])
    if (consecutive := given["max_consecutive_days"]) is not None:
        _whole("maximum consecutive days", consecutive)
    target = given["target_week_hours"]
    if given["end_date"] is not None and given["end_date"] < given["start"]:
        raise ScheduleError("the end date is before the start date")
    step = _number("step hours", given["step_hours"])
    target = None if target is None else _number("target weekly hours", target, positive=True)
    rules = _Rules(
        workdays,
        rest_days,
        step,
        max_day,
        quantum,
        consecutive,
        given["rest_days_end"],
        min(rest_start, max_day),
        target,
    )
    return rules, _Level(main=min(start_hours, max_day), rest=None)


def _check_reachable(level: _Level, rules: _Rules, *, bounded: bool) -> None:
    """Walk the escalation without dates, so a goal that is never reached fails at once."""
    if bounded and rules.target is None:
        return
    for _ in range(MAX_WEEKS):
        if _goal_reached(level, rules):
            return
        following = _escalate(level, rules)
        if following == level:
            if rules.target is not None:
                raise ScheduleError("the target weekly hours are never reached")
            raise ScheduleError("the hours never reach the maximum; step hours must be above zero")
        level = following
    if not bounded:
        raise ScheduleError(f"the schedule would be longer than {MAX_WEEKS} weeks")


def _escalate(level: _Level, rules: _Rules) -> _Level:
    if level.main < rules.max_day:
        return replace(level, main=min(level.main + rules.step, rules.max_day))
    if rules.rest_days_end == "at_max" and rules.rest_days and level.rest is None:
        return replace(level, rest=rules.rest_start)
    if level.rest is not None and level.rest < rules.max_day:
        return replace(level, rest=min(level.rest + rules.step, rules.max_day))
    return level


def _goal_reached(level: _Level, rules: _Rules) -> bool:
    if rules.target is not None:
        return _nominal_week_hours(level, rules) >= rules.target
    rest_done = rules.rest_days_end == "never" or not rules.rest_days or level.rest == rules.max_day
    return level.main >= rules.max_day and rest_done


def _nominal_week_hours(level: _Level, rules: _Rules) -> Decimal:
    # The goal is judged on a full week without holidays; date.min is a Monday.
    dates = [date.min + timedelta(days=offset) for offset in range(7)]
    days, _ = _generated_days(dates, level, rules, lambda _: False, 0)
    return sum((Decimal(str(day.hours)) for day in days), Decimal(0))


def _generated_days(
    dates: list[date], level: _Level, rules: _Rules, is_holiday: Callable[[date], bool], run: int
) -> tuple[list[Day], int]:
    """The days of one week and the run of consecutive working days it ends with."""
    days = []
    restitution = level.rest is None
    for day in dates:
        weekday = WEEKDAYS[day.weekday()]
        hours, kind = Decimal(0), "work"
        if is_holiday(day):
            kind = "holiday"
        elif weekday not in rules.workdays:
            kind = "off"
        elif restitution and (weekday in rules.rest_days or run == rules.max_consecutive):
            kind = "rest"
        else:
            raw = level.rest if weekday in rules.rest_days else level.main
            hours = min(_round(raw, rules.quantum), rules.max_day)
            # Start hours below half a quantum round to nothing; a working day needs hours.
            kind = "work" if hours else "rest"
        run = run + 1 if kind == "work" else 0
        days.append(Day(day, weekday, float(hours), kind))
    return days, run


def _check_phases(phases: tuple[Phase, ...], workdays: tuple[str, ...], normal: Decimal) -> None:
    if not phases:
        raise ScheduleError("no phases")
    for phase in phases:
        if _number("phase weekly hours", phase.week_hours, positive=True) > normal:
            raise ScheduleError("phase weekly hours exceed the normal weekly hours")
        _whole("phase weeks", phase.weeks)
        if not phase.days:
            raise ScheduleError("a phase has no days")
        for day in _weekdays(phase.days):
            if day not in workdays:
                raise ScheduleError(f"phase day {day} is not a working day")
    if sum(phase.weeks for phase in phases) > MAX_WEEKS:
        raise ScheduleError(f"the schedule would be longer than {MAX_WEEKS} weeks")


def _phase_days(
    dates: list[date],
    phase: Phase,
    workdays: tuple[str, ...],
    is_holiday: Callable[[date], bool],
    quantum: Decimal,
    cap: Decimal | None,
) -> list[Day]:
    in_period = [day for day in dates if WEEKDAYS[day.weekday()] in phase.days]
    share = Decimal(str(phase.week_hours)) * len(in_period) / len(set(phase.days))
    workable = [day for day in in_period if not is_holiday(day)]
    hours = dict(zip(workable, _spread(share, len(workable), quantum, cap)))
    days = []
    for day in dates:
        weekday = WEEKDAYS[day.weekday()]
        if is_holiday(day):
            kind = "holiday"
        elif hours.get(day):
            kind = "work"
        else:
            kind = "rest" if weekday in workdays else "off"
        days.append(Day(day, weekday, float(hours.get(day, 0)), kind))
    return days


def _spread(total: Decimal, count: int, quantum: Decimal, cap: Decimal | None) -> list[Decimal]:
    """Split into quanta as evenly as possible; the earliest days take the odd quanta.

    The total is rounded down, so a week never holds more than its phase agreed."""
    if count == 0:
        return []
    base, extra = divmod(int(_floor(total, quantum) / quantum), count)
    shares = [(base + (1 if index < extra else 0)) * quantum for index in range(count)]
    return shares if cap is None else [min(share, cap) for share in shares]


def _week(number: int, days: list[Day], normal: Decimal) -> Week:
    total = sum((Decimal(str(day.hours)) for day in days), Decimal(0))
    sick = normal - total
    share = float((total / normal).quantize(Decimal("0.001"), ROUND_HALF_UP))
    return Week(number, days[0].date, tuple(days), float(total), share, float(sick), sick < PARTIAL_MINIMUM_SICK_HOURS)


def _calendar_weeks(start: date, end: date | None) -> Iterator[tuple[int, list[date]]]:
    """Calendar weeks from the start date's week, clipped to the period; capped at MAX_WEEKS."""
    monday = start - timedelta(days=start.weekday())
    if end is not None and (end - monday).days // 7 >= MAX_WEEKS:
        raise ScheduleError(f"the schedule would be longer than {MAX_WEEKS} weeks")
    for number in range(1, MAX_WEEKS + 1):
        try:
            week = [monday + timedelta(days=offset) for offset in range(7)]
        except OverflowError:
            raise ScheduleError("the schedule runs past the end of the calendar") from None
        dates = [day for day in week if day >= start and (end is None or day <= end)]
        if not dates:
            return
        yield number, dates
        monday += timedelta(days=7)
    raise ScheduleError(f"the schedule would be longer than {MAX_WEEKS} weeks")


def _holiday_check(option: str) -> Callable[[date], bool]:
    if option == "none":
        return lambda _: False
    if option == "dk":
        calendar = holiday_calendars.country_holidays("DK")
        return lambda day: day in calendar
    raise ScheduleError("holidays must be dk or none")


def _weekdays(values: Iterable[str], *, required: bool = False) -> tuple[str, ...]:
    """Known weekday names, in calendar order, each once."""
    chosen = set(values)
    if unknown := sorted(chosen - set(WEEKDAYS)):
        raise ScheduleError(f"unknown weekday: {unknown[0]}")
    if required and not chosen:
        raise ScheduleError("no working days")
    return tuple(day for day in WEEKDAYS if day in chosen)


def _number(label: str, value: float | int | Decimal, *, positive: bool = False) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ScheduleError(f"{label} must be a number")
    if number < 0:
        raise ScheduleError(f"{label} must not be negative")
    if positive and number == 0:
        raise ScheduleError(f"{label} must be above zero")
    return number


def _whole(label: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ScheduleError(f"{label} must be a whole number of at least 1")


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return (value / quantum).to_integral_value(ROUND_HALF_UP) * quantum


def _floor(value: Decimal, quantum: Decimal) -> Decimal:
    return (value / quantum).to_integral_value(ROUND_FLOOR) * quantum
