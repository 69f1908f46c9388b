"""The deadline engine: a case's legal and good-practice calendar from versioned rule packs.

Pure package: no Django, no database, no clock. The rules live in JSON files under
``rulepacks/`` (one per jurisdiction and period of law); this package only knows how to
read them, check them and count dates: ``dates`` (calendar steps, working days, holidays),
``packs`` (reading, schema check, compiling, choosing the pack in force), ``computing``
(a case's milestones), ``model`` (the types they share). Import from here. Packs are parsed and their offsets compiled once;
``compute`` does a handful of date additions per milestone and caches its immutable
results, because calendars are recomputed for every open case (100,000 cases must fit
in well under 2 s).

Counting conventions:

* The trigger date is *day 1* of its own count. ``day N`` is trigger + (N - 1) days.
* ``end_of_week N`` is day 7·N (trigger + 7·N - 1). The statutes' "senest N uger efter
  første sygedag" is read this way: it is the earlier of the two possible readings, so a
  reminder is never late. The later reading (trigger + 7·N) is kept in the pack as
  ``alternative_reading``.
* ``days N`` / ``weeks N`` / ``months N`` are plain calendar additions: trigger + N days,
  + 7·N days, or the same day N months later (clamped to the month's last day). Used for
  rules counted from an event ("2 uger efter anmodningen": the request day is day 0).
* ``end_of_calendar_month`` moves to the last day of the current month.
* ``working_days N`` is the N-th working day after the date (weekends and the pack's
  public holidays skipped, Danish by default); N = 0 rolls forward to a working day.
* Offsets are chains of these steps, applied left to right.

Facts that are unknown (``None``) never make a rule inapplicable: a duty is shown until
we know it does not apply. Exemptions (``unless``) and variants apply only when every
fact they name is known and matches.
"""

from .computing import check_events, compute, compute_for
from .dates import Offset, Step, add_months, add_working_days, apply_offset, end_of_month, is_working_day
from .model import (
    CONDITION_KEYS,
    CONFIDENCE,
    EVENTS,
    FIRST_SICK_DAY,
    NO_CONDITIONS,
    NO_FACTS,
    OFFSET_KINDS,
    RESPONSIBLE,
    TRIGGERS,
    CaseFacts,
    Conditions,
    Milestone,
    Outcome,
    Pack,
    Recurrence,
    Rule,
    RuleError,
)
from .packs import (
    PACK_DIR,
    available_packs,
    jurisdictions,
    law_pack_for,
    load_pack,
    packs_for,
    parse_pack,
    resolve_pack,
    validate_pack_data,
)

__all__ = [
    "CONDITION_KEYS",
    "CONFIDENCE",
    "EVENTS",
    "FIRST_SICK_DAY",
    "NO_CONDITIONS",
    "NO_FACTS",
    "OFFSET_KINDS",
    "PACK_DIR",
    "RESPONSIBLE",
    "TRIGGERS",
    "CaseFacts",
    "Conditions",
    "Milestone",
    "Offset",
    "Outcome",
    "Pack",
    "Recurrence",
    "Rule",
    "RuleError",
    "Step",
    "add_months",
    "add_working_days",
    "apply_offset",
    "available_packs",
    "check_events",
    "compute",
    "compute_for",
    "end_of_month",
    "is_working_day",
    "jurisdictions",
    "law_pack_for",
    "load_pack",
    "packs_for",
    "parse_pack",
    "resolve_pack",
    "validate_pack_data",
]
