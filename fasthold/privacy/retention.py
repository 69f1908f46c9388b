"""When a closed case is due for erasure. Pure: no Django, a function of its inputs."""

import calendar
import datetime as dt

# Five years after closure unless the organisation sets its own period. A default only: each
# municipality or clinic sets the period from its own records management rules. Five years leaves
# room for complaints, reopening a case and repayment claims (the general limitation period for
# claims in Danish law is three years, forældelsesloven § 3), and it is a common choice for closed
# social-benefit case files; a longer period needs a reason the organisation can write down.
DEFAULT_RETENTION_MONTHS = 60
# Bounds for the settings page: under a year would erase cases while complaints can still come;
# over twenty years is no longer "storage limitation" (GDPR art. 5(1)(e)) in any sense.
MIN_RETENTION_MONTHS = 12
MAX_RETENTION_MONTHS = 240


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def erasure_due(closed_on: dt.date, months: int) -> dt.date:
    """The first day the case may be erased: closure plus the retention period."""
    return add_months(closed_on, months)


def is_due(closed_on: dt.date | None, months: int, today: dt.date) -> bool:
    return closed_on is not None and erasure_due(closed_on, months) <= today


def latest_closure_possibly_due(today: dt.date) -> dt.date:
    """No case closed after this day can be due today under any allowed period: a cheap first filter.

    Three days of slack, because a month-end closure is clamped (31 Jan + 1 month = 28 Feb)."""
    return add_months(today, -MIN_RETENTION_MONTHS) + dt.timedelta(days=3)
