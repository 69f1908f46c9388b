"""`fasthold schedule`: a graded return schedule from the command line, as JSON or a short table."""

import re
from datetime import date

from fasthold.commands import BadInput, CliCommand
from fasthold.schedules.generator import (
    HOLIDAY_OPTIONS,
    Phase,
    Schedule,
    ScheduleError,
    generate_schedule,
    parse_weekdays,
    schedule_from_phases,
)

PHASE = re.compile(r"(?P<hours>\d+(?:\.\d+)?)\s*@(?P<days>[a-z,\s]*):\s*(?P<weeks>\d+)", re.IGNORECASE)
# Options that only mean something when the hours escalate, not with explicit phases.
ESCALATION_ONLY = (
    "start_hours",
    "step_hours",
    "step_weeks",
    "rest_days",
    "max_consecutive_days",
    "rest_days_end",
    "rest_day_start_hours",
    "target_week_hours",
    "end_date",
)


class Command(CliCommand):
    help = "Print a graded return schedule: escalating hours per day, or explicit phases."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--start-date", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--start-hours", type=float, help="hours per working day in week 1")
        parser.add_argument("--step-hours", type=float, help="hours added per day at each step")
        parser.add_argument("--step-weeks", type=int, help="weeks per step (default 1)")
        parser.add_argument("--max-day-hours", type=float, help="most hours in a day")
        parser.add_argument("--workdays", default="mon,tue,wed,thu,fri", help="e.g. mon,tue,wed,thu,fri")
        parser.add_argument("--rest-days", help="restitution days among the workdays, e.g. wed")
        parser.add_argument("--normal-week-hours", type=float, default=37.0)
        parser.add_argument("--holidays", choices=HOLIDAY_OPTIONS, default="dk")
        parser.add_argument("--max-consecutive-days", type=int)
        parser.add_argument("--rest-days-end", choices=("never", "at-max"), help="default never")
        parser.add_argument("--rest-day-start-hours", type=float, help="hours when a rest day turns into work")
        parser.add_argument("--target-week-hours", type=float, help="end with the first week at these hours")
        parser.add_argument("--end-date", help="last day, YYYY-MM-DD")
        parser.add_argument("--quantum", type=float, default=0.5, help="round hours to this (default 0.5)")
        parser.add_argument("--phases", help='weekly hours@days:weeks, e.g. "10@mon,tue,thu,fri:2;15@mon,tue:2"')
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args, **options) -> None:
        try:
            schedule = _phased(options) if options["phases"] is not None else _escalating(options)
        except ScheduleError as error:
            raise BadInput(str(error)) from None
        if options["json"]:
            self.write_json(schedule.to_dict())
        else:
            self.stdout.write(_table(schedule))


def _escalating(options: dict) -> Schedule:
    for name in ("start_hours", "step_hours", "max_day_hours"):
        if options[name] is None:
            raise BadInput(f"--{name.replace('_', '-')} is required without --phases")
    rest_days_end = (options["rest_days_end"] or "never").replace("-", "_")
    end_date = options["end_date"]
    return generate_schedule(
        _date("--start-date", options["start_date"]),
        workdays=parse_weekdays(options["workdays"]),
        start_hours=options["start_hours"],
        step_hours=options["step_hours"],
        max_day_hours=options["max_day_hours"],
        step_weeks=1 if options["step_weeks"] is None else options["step_weeks"],
        rest_days=parse_weekdays(options["rest_days"] or ""),
        normal_week_hours=options["normal_week_hours"],
        max_consecutive_days=options["max_consecutive_days"],
        rest_days_end=rest_days_end,
        rest_day_start_hours=options["rest_day_start_hours"],
        target_week_hours=options["target_week_hours"],
        end_date=None if end_date is None else _date("--end-date", end_date),
        holidays=options["holidays"],
        quantum=options["quantum"],
    )


def _phased(options: dict) -> Schedule:
    for name in ESCALATION_ONLY:
        if options[name] is not None:
            raise BadInput(f"--{name.replace('_', '-')} cannot be combined with --phases")
    return schedule_from_phases(
        _date("--start-date", options["start_date"]),
        parse_phases(options["phases"]),
        workdays=parse_weekdays(options["workdays"]),
        normal_week_hours=options["normal_week_hours"],
        max_day_hours=options["max_day_hours"],
        holidays=options["holidays"],
        quantum=options["quantum"],
    )


def parse_phases(text: str) -> tuple[Phase, ...]:
    """'10@mon,tue,thu,fri:2;15@mon,tue,thu,fri:2' -> two phases (weekly hours @ days : weeks)."""
    phases = []
    for number, part in enumerate(filter(None, (part.strip() for part in text.split(";"))), start=1):
        match = PHASE.fullmatch(part)
        if match is None:
            raise BadInput(f"phase {number} must look like 10@mon,tue:2")
        phases.append(Phase(float(match["hours"]), parse_weekdays(match["days"]), int(match["weeks"])))
    return tuple(phases)


def _date(flag: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{flag} must be a date like 2026-01-05") from None


def _table(schedule: Schedule) -> str:
    """One line per week, readable in a terminal; rest days show as R like the seed's table."""
    marks = {"rest": "R", "holiday": "H", "off": "-"}
    lines = []
    for week in schedule.weeks:
        days = " ".join(f"{day.weekday} {marks.get(day.kind) or f'{day.hours:g}'}" for day in week.days)
        flag = "  (< 4 sick hours)" if week.below_partial_minimum else ""
        lines.append(
            f"week {week.number:>2} {week.start}  {days}  = {week.total_hours:g} h, "
            f"{week.share_of_normal:.1%}, sick {week.sick_hours:g} h{flag}"
        )
    return "\n".join(lines)
