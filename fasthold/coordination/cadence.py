"""When the next contact is due under a contact agreement. Pure: no Django, a function of its inputs.

The rules, and where they come from:

- No contact logged yet: the first contact is due FIRST_CONTACT_DAYS after the first sick day.
  The Marselisborg report (2020, the interviews) finds that the first contact is usually made the
  same day and at the latest 1-2 days after; the guidance's phase "When it happens"
  (fasthold.guidance.phases) and the good-practice rule pack's `first_contact` (first sick day + 2
  days) say the same. An agreement does not replace the first contact: it says how often to talk
  *after* it.
- After a contact, the next one is due one cadence later. With an agreement, its cadence; without
  one, DEFAULT_CADENCE_DAYS: the return-to-work advice is contact at least every third week (the
  rule pack's `regular_contact`, every 21 days).
- A start period (for mental-health absence the agreement may start lighter: at least 14 days at home
  first, but not much more; for other absences contact may be more frequent in the first days): for
  the first `start_weeks` weeks after the first sick day the start cadence applies; after a contact
  inside that period the next one is due at the earlier of one start cadence later and one regular
  cadence after the period ends, so the regular cadence takes over on time whether the start was
  lighter or closer.
- Contacts dated before the first sick day do not count: the agreement is about the absence.
- Overdue means today is past the due date; on the due date itself the contact is due, not late.
"""

import datetime as dt
from dataclasses import dataclass

FIRST_CONTACT_DAYS = 2
DEFAULT_CADENCE_DAYS = 21

MIN_CADENCE_DAYS = 1
# Contact rarer than about once a quarter is no longer regular contact (the advice is every third
# week); longer is almost certainly a typing error (weeks typed as days, a year).
MAX_CADENCE_DAYS = 90
MAX_START_WEEKS = 26  # the start of an absence, not all of it: half a year at most


@dataclass(frozen=True)
class Cadence:
    """How often contact is agreed: every `every_days` days; optionally every `start_every_days`
    days during the first `start_weeks` weeks after the first sick day."""

    every_days: int
    start_weeks: int | None = None
    start_every_days: int | None = None

    @property
    def has_start(self) -> bool:
        return bool(self.start_weeks) and bool(self.start_every_days)


@dataclass(frozen=True)
class NextContact:
    due: dt.date
    overdue: bool
    days_overdue: int


def cadence_errors(cadence: Cadence) -> list[str]:
    """Codes of what is wrong with a cadence; empty when it can be used."""
    errors = []
    if not MIN_CADENCE_DAYS <= cadence.every_days <= MAX_CADENCE_DAYS:
        errors.append("cadence_range")
    if (cadence.start_weeks is None) != (cadence.start_every_days is None):
        errors.append("start_incomplete")
    elif cadence.start_weeks is not None:
        if not 1 <= cadence.start_weeks <= MAX_START_WEEKS:
            errors.append("start_weeks_range")
        if not MIN_CADENCE_DAYS <= cadence.start_every_days <= MAX_CADENCE_DAYS:
            errors.append("start_cadence_range")
    return errors


def start_period_end(first_sick_day: dt.date, cadence: Cadence) -> dt.date | None:
    """The first day after the start period, or None without one."""
    if not cadence.has_start:
        return None
    return first_sick_day + dt.timedelta(weeks=cadence.start_weeks)


def due_date(first_sick_day: dt.date, cadence: Cadence | None, last_contact: dt.date | None) -> dt.date:
    """The date the next contact is due."""
    if last_contact is None or last_contact < first_sick_day:
        return first_sick_day + dt.timedelta(days=FIRST_CONTACT_DAYS)
    if cadence is None:
        return last_contact + dt.timedelta(days=DEFAULT_CADENCE_DAYS)
    regular = last_contact + dt.timedelta(days=cadence.every_days)
    end = start_period_end(first_sick_day, cadence)
    if end is None or last_contact >= end:
        return regular
    return min(last_contact + dt.timedelta(days=cadence.start_every_days), end + dt.timedelta(days=cadence.every_days))


def next_contact(
    *, first_sick_day: dt.date, cadence: Cadence | None, last_contact: dt.date | None, today: dt.date
) -> NextContact:
    due = due_date(first_sick_day, cadence, last_contact)
    late = (today - due).days
    return NextContact(due=due, overdue=late > 0, days_overdue=max(0, late))
