"""Date arithmetic for rule offsets: calendar steps, months, working days and public holidays."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, partial

import holidays

from .model import RuleError

# --------------------------------------------------------------------------- calendar arithmetic


@cache
def _holiday_set(country: str, year: int) -> frozenset[date]:
    # The holidays package is slow per lookup; a frozenset per (country, year) is not.
    return frozenset(holidays.country_holidays(country, years=year).keys())


def is_working_day(day: date, country: str = "DK") -> bool:
    return day.weekday() < 5 and day not in _holiday_set(country, day.year)


def add_working_days(day: date, n: int, country: str = "DK") -> date:
    """The n-th working day after ``day``; n == 0 rolls ``day`` forward to a working day."""
    if n < 0:
        raise RuleError("working-day offsets must not be negative")
    if n == 0:
        while not is_working_day(day, country):
            day += timedelta(days=1)
        return day
    while n:
        day += timedelta(days=1)
        if is_working_day(day, country):
            n -= 1
    return day


def previous_working_day(day: date, country: str = "DK") -> date:
    """``day`` itself when it is a working day, else the last working day before it."""
    while not is_working_day(day, country):
        day -= timedelta(days=1)
    return day


def add_months(day: date, n: int) -> date:
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def end_of_month(day: date) -> date:
    # A month-length table was measured no faster than calendar.monthrange (1,350 uncached
    # calendars: 80-88 ms either way), so the standard library does it.
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True, slots=True)
class Step:
    kind: str
    n: int = 0

    def apply(self, day: date, country: str) -> date:
        kind, n = self.kind, self.n
        if kind == "day":
            return day + timedelta(days=n - 1)
        if kind == "end_of_week":
            return day + timedelta(days=7 * n - 1)
        if kind == "days":
            return day + timedelta(days=n)
        if kind == "weeks":
            return day + timedelta(days=7 * n)
        if kind == "months":
            return add_months(day, n)
        if kind == "end_of_calendar_month":
            return end_of_month(day)
        if kind == "working_days":
            return add_working_days(day, n, country)
        raise RuleError(f"unknown offset kind {kind!r}")  # unreachable after validation


Offset = tuple[Step, ...]


def apply_offset(day: date, offset: Offset, country: str = "DK") -> date:
    for step in offset:
        day = step.apply(day, country)
    return day


_ADDITIVE = {"day": (1, -1), "end_of_week": (7, -1), "days": (1, 0), "weeks": (7, 0)}


def _compile(offset: Offset, country: str) -> Callable[[date], date]:
    """One function for a step chain: runs of plain calendar steps fold into one timedelta.

    Same result as ``apply_offset``; it exists because most rules are a single addition
    and ``compute`` runs for every open case.
    """
    parts: list[Callable[[date], date]] = []
    total = 0
    for step in offset:
        if step.kind in _ADDITIVE:
            factor, shift = _ADDITIVE[step.kind]
            total += factor * step.n + shift
            continue
        if total:
            parts.append(partial(_plus, timedelta(days=total)))
            total = 0
        parts.append(partial(_step, step, country))
    if total or not parts:
        parts.append(partial(_plus, timedelta(days=total)))
    if len(parts) == 1:
        return parts[0]
    return partial(_chain, tuple(parts))


def _plus(delta: timedelta, day: date) -> date:
    return day + delta


def _step(step: Step, country: str, day: date) -> date:
    return step.apply(day, country)


def _chain(parts: tuple[Callable[[date], date], ...], day: date) -> date:
    for part in parts:
        day = part(day)
    return day
