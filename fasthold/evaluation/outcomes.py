"""Outcomes of return to work as numbers: no Django here.

Sustained return follows the convention of Danish register studies: the first of a run of consecutive
weeks without any benefit (four by default; studies state their choice, so it is a parameter).
Recurrence is a new benefit week within a year after that return.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

SUSTAINED_RUN_WEEKS = 4
RECURRENCE_WEEKS = 52
FOLLOW_UP_MONTHS = (3, 6, 12)
# The weekly statuses of a register import: no benefit, or the kind of benefit paid that week.
NO_BENEFIT = "none"
BENEFIT_STATUSES = ("sickness", "unemployment", "flexjob", "education", "other")
STATUSES = (NO_BENEFIT, *BENEFIT_STATUSES)


def iso_monday(year: int, week: int) -> dt.date:
    """The Monday of an ISO week; ValueError for a week that does not exist (week 53 of most years)."""
    return dt.date.fromisocalendar(year, week, 1)


def sustained_return(weeks: Iterable[tuple[dt.date, str]], run: int = SUSTAINED_RUN_WEEKS) -> dt.date | None:
    """The Monday starting the first run of `run` consecutive weeks without benefit, or None.

    `weeks` are (Monday, status); a week missing from the data breaks a run (nothing is assumed about it)."""
    start, length, previous = None, 0, None
    for monday, status in sorted(weeks):
        if status == NO_BENEFIT:
            if length and (monday - previous).days == 7:
                length += 1
            else:
                start, length = monday, 1
            if length >= run:
                return start
        else:
            length = 0
        previous = monday
    return None


def recurrence(
    weeks: Iterable[tuple[dt.date, str]], returned_on: dt.date, within_weeks: int = RECURRENCE_WEEKS
) -> dt.date | None:
    """The first week of sickness benefit after a sustained return, within `within_weeks`, or None."""
    limit = returned_on + dt.timedelta(weeks=within_weeks)
    for monday, status in sorted(weeks):
        if returned_on < monday <= limit and status == "sickness":
            return monday
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_dates(closed_on: dt.date) -> list[tuple[int, dt.date]]:
    """(months, due date) of the checks after closure."""
    return [(m, add_months(closed_on, m)) for m in FOLLOW_UP_MONTHS]


@dataclass(frozen=True)
class Components:
    """Which of the five components research finds decisive a case received (descriptive only)."""

    early_contact: bool  # the first contact within 2 weeks of the first sick day
    coordination: bool  # a contact agreement, or three or more contacts logged
    workplace: bool  # a joint meeting with the workplace, or the employer taking part
    gradual: bool  # a graded return schedule
    interdisciplinary: bool  # a health professional taking part

    @property
    def count(self) -> int:
        return sum((self.early_contact, self.coordination, self.workplace, self.gradual, self.interdisciplinary))


EARLY_CONTACT_DAYS = 14


def components(
    *,
    first_sick_day: dt.date,
    first_contact: dt.date | None,
    has_agreement: bool,
    contacts: int,
    joint_meeting: bool,
    employer_participates: bool,
    has_schedule: bool,
    health_professional: bool,
) -> Components:
    return Components(
        early_contact=first_contact is not None and (first_contact - first_sick_day).days <= EARLY_CONTACT_DAYS,
        coordination=has_agreement or contacts >= 3,
        workplace=joint_meeting or employer_participates,
        gradual=has_schedule,
        interdisciplinary=health_professional,
    )
