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
* A warning (``flag_from``) never comes after its due date: the engine clamps it, for every rule.
* A ``standing`` rule (a right, or a duty with no statutory date) has no due date; its offset, if
  any, is the day from which it can be used, and ``when`` says in words when it applies.
* A rule with a ``counter`` (the DK § 24 limit) counts its offsets from the day the limit of paid
  weeks within the window is passed, reading earlier absences, a full return and a relapse.
* A due date on a weekend or holiday stands (no source moves it later); a rule marked
  ``non_working_day: earlier`` also gives the last working day before it to act by.

Facts that are unknown (``None``) never make a rule inapplicable: a duty is shown until
we know it does not apply. Exemptions (``unless``) and variants apply only when every
fact they name is known and matches.
"""

from .computing import check_events, check_facts, compute, compute_for, limit_day
from .dates import (
    Offset,
    Step,
    add_months,
    add_working_days,
    apply_offset,
    end_of_month,
    is_working_day,
    previous_working_day,
)
from .model import (
    CONDITION_KEYS,
    CONFIDENCE,
    EMPLOYER_PAYS,
    EVENTS,
    FIRST_SICK_DAY,
    KINDS,
    NO_CONDITIONS,
    NO_FACTS,
    NON_WORKING_DAY,
    OFFSET_KINDS,
    RESPONSIBLE,
    TRIGGERS,
    CaseFacts,
    Conditions,
    Counter,
    LeftOut,
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
    has_file_path,
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
    "EMPLOYER_PAYS",
    "EVENTS",
    "KINDS",
    "NON_WORKING_DAY",
    "FIRST_SICK_DAY",
    "NO_CONDITIONS",
    "NO_FACTS",
    "OFFSET_KINDS",
    "PACK_DIR",
    "RESPONSIBLE",
    "TRIGGERS",
    "CaseFacts",
    "Conditions",
    "Counter",
    "LeftOut",
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
    "check_facts",
    "compute",
    "compute_for",
    "end_of_month",
    "has_file_path",
    "is_working_day",
    "jurisdictions",
    "law_pack_for",
    "limit_day",
    "load_pack",
    "packs_for",
    "parse_pack",
    "previous_working_day",
    "resolve_pack",
    "validate_pack_data",
]
