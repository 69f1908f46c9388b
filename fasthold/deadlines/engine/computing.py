"""Computing a case's milestones from a pack, its first sick day, its facts and its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .dates import add_months
from .model import EVENTS, NO_FACTS, CaseFacts, Counter, Milestone, Pack, Recurrence, RuleError
from .packs import law_pack_for, packs_for

# --------------------------------------------------------------------------- computing


def check_events(first_sick_day: date, events: Mapping[str, date]) -> None:
    for key, day in events.items():
        if key not in EVENTS:
            raise RuleError(f"unknown event {key!r} (known: {', '.join(EVENTS)})")
        if type(day) is not date:  # a datetime would not compare with the first sick day
            raise RuleError(f"event {key} needs a date")
        if day < first_sick_day:
            raise RuleError(
                f"event {key} on {day.isoformat()} is before the first sick day {first_sick_day.isoformat()}"
            )
    relapse = events.get("relapse")
    if relapse is not None:
        back = events.get("full_return")
        if back is None or relapse <= back:
            raise RuleError("event relapse needs a full_return before it (a relapse follows a return to work)")


def check_facts(first_sick_day: date, facts: CaseFacts) -> None:
    hours = facts.absence_hours_per_week
    if hours is not None and not (0 < hours <= 168):
        raise RuleError("absence hours per week must be more than 0 and at most 168")
    previous: date | None = None
    for period in facts.earlier_absences:
        if len(period) != 2 or not all(type(d) is date for d in period):
            raise RuleError("an earlier absence is a (first day, last day) pair of dates")
        start, end = period
        if end < start:
            raise RuleError(f"earlier absence {start.isoformat()}..{end.isoformat()} ends before it starts")
        if end >= first_sick_day:
            raise RuleError(
                f"earlier absence {start.isoformat()}..{end.isoformat()} must end before the first sick day"
            )
        if previous is not None and start <= previous:
            raise RuleError("earlier absences must be in order and must not overlap")
        previous = end


# How far the § 24 counter looks ahead before it gives up (a limit not reached in 3 years).
_COUNTER_HORIZON_DAYS = 3 * 366


def limit_day(counter: Counter, first_sick_day: date, facts: CaseFacts, events: Mapping[str, date]) -> date | None:
    """The day on which more than ``counter.paid_weeks_over`` weeks have been paid within the
    ``counter.window_months`` calendar months up to and including it; None if never (within 3 years).

    Paid days: the earlier absences (as given: already without their employer periods), and this
    absence from the day after its first ``not_counted_first_days`` days, stopping at a full return and
    starting again at a relapse in the same case (no new employer period: an assumption, see the pack).
    A week of reduced benefit (partial absence) counts as a whole week, so partial absence counts in full
    (§ 24, stk. 1: "herunder nedsatte sygedagpenge"). Holidays (§ 24, stk. 3) are not left out here.
    """
    start = first_sick_day + timedelta(days=counter.not_counted_first_days)
    back, relapse = events.get("full_return"), events.get("relapse")
    if not facts.earlier_absences and relapse is None:
        # One stretch of paid days from `start`: the limit is passed on its (limit + 1)-th day, well
        # inside any window of 9 months (the common case, without building the day table).
        passed = start + timedelta(days=7 * counter.paid_weeks_over)
        return passed if back is None or passed < back else None
    return _limit_day(counter, first_sick_day, facts.earlier_absences, back, relapse)


@lru_cache(maxsize=8192)
def _limit_day(
    counter: Counter,
    first_sick_day: date,
    earlier: tuple[tuple[date, date], ...],
    back: date | None,
    relapse: date | None,
) -> date | None:
    limit = 7 * counter.paid_weeks_over  # more than this many paid days
    start = first_sick_day + timedelta(days=counter.not_counted_first_days)
    stop = first_sick_day + timedelta(days=_COUNTER_HORIZON_DAYS)
    # Paid periods, in order: earlier ones, then this absence (split by a return and a relapse).
    periods: list[tuple[date, date]] = [p for p in earlier if p[1] >= start - timedelta(days=400)]
    if back is None:
        periods.append((start, stop))
    else:
        if back > start:
            periods.append((start, back - timedelta(days=1)))
        if relapse is not None:
            periods.append((max(relapse, start), stop))
    if not periods:
        return None
    origin = periods[0][0]
    size = (stop - origin).days + 1
    paid = bytearray(size)
    for a, b in periods:
        lo, hi = max((a - origin).days, 0), min((b - origin).days, size - 1)
        if lo <= hi:
            paid[lo : hi + 1] = b"\x01" * (hi - lo + 1)
    prefix = [0] * (size + 1)
    total = 0
    for i, v in enumerate(paid):
        total += v
        prefix[i + 1] = total
    first_index = max((start - origin).days, 0)
    for i in range(first_index, size):
        if not paid[i] or prefix[i + 1] <= limit:
            continue
        day = origin + timedelta(days=i)
        window_start = add_months(day, -counter.window_months) + timedelta(days=1)
        lo = max((window_start - origin).days, 0)
        if prefix[i + 1] - prefix[lo] > limit:
            return day
    return None


def _occurrences(
    rec: Recurrence, start: date, due: date, first_sick_day: date, events: Mapping[str, date]
) -> tuple[date, ...]:
    if rec.count is not None:
        # Suggested dates only: the law asks for "at least N by the due date", so spread
        # them evenly from the first one to the due date (a product choice, not law).
        first = rec.first_fn(start) if rec.first_fn is not None else due
        if rec.count == 1 or first >= due:
            return (first,)
        span = (due - first).days
        return tuple(first + timedelta(days=span * i // (rec.count - 1)) for i in range(rec.count))
    end = rec.horizon_fn(first_sick_day)
    stop = events.get(rec.until_event) if rec.until_event else None
    if stop is not None and stop < end:
        end = stop - timedelta(days=1)  # occurrences stop before the end event
    every = rec.every_fn
    out: list[date] = []
    day = due
    while day <= end:
        out.append(day)
        nxt = every(day)
        if nxt <= day:  # a non-advancing interval would loop forever
            break
        day = nxt
    return tuple(out)


_new_milestone = tuple.__new__  # positional construction skips NamedTuple's keyword handling


def compute(
    first_sick_day: date,
    pack: Pack,
    facts: CaseFacts = NO_FACTS,
    events: Mapping[str, date] | None = None,
) -> list[Milestone]:
    """The pack's milestones for one case, in pack order.

    The event-free calendar is cached by (pack, first sick day, facts): milestones are
    immutable and open cases share first sick days and facts, so recomputing every
    calendar mostly hits the cache; only rules that read an event are recomputed per case.
    Each call returns a new list.
    """
    if type(first_sick_day) is not date:
        raise RuleError("the first sick day must be a date")
    if facts.absence_hours_per_week is not None or facts.earlier_absences:
        check_facts(first_sick_day, facts)
    base = _compute_base(first_sick_day, pack, facts)
    if not events:
        return list(base)
    check_events(first_sick_day, events)
    # Only the rules that read an event change; the rest comes from the cached base.
    result = list(base)
    for index in pack.event_rules:
        result[index] = _evaluate(pack.plan[index], first_sick_day, facts, events)
    return result


@lru_cache(maxsize=65536)
def _compute_base(first_sick_day: date, pack: Pack, facts: CaseFacts) -> tuple[Milestone, ...]:
    # The calendar without events, cached: open cases share first sick days and facts.
    if not pack.covers(first_sick_day):
        raise RuleError(f"rule pack {pack.id} does not apply to a first sick day of {first_sick_day.isoformat()}")
    if (
        facts.benefit_category is not None
        and pack.benefit_categories is not None
        and facts.benefit_category not in pack.benefit_categories
    ):
        raise RuleError(f"benefit category {facts.benefit_category} does not exist in rule pack {pack.id}")
    return tuple(_evaluate(entry, first_sick_day, facts, _NO_EVENTS) for entry in pack.plan)


_NO_EVENTS: Mapping[str, date] = {}


def _evaluate(entry: tuple[Any, ...], first_sick_day: date, facts: CaseFacts, events: Mapping[str, date]) -> Milestone:
    rule, conditions, trigger, due_fn, flag_fn, variant_fns, rec = entry
    new = _new_milestone
    if conditions is not None:
        failed = conditions.failure(facts)
        if failed is not None:
            return new(Milestone, (rule, None, False, failed[0], failed[1], None, ()))
    start = first_sick_day if trigger is None else events.get(trigger)
    if start is None:  # waits for its event
        return new(Milestone, (rule, None, True, None, None, None, ()))
    if rule.kind == "standing":
        # A right or duty without a date: no due date; the offset, if any, is the day it can be used from.
        since = due_fn(start) if due_fn is not None else start
        return new(Milestone, (rule, None, True, None, None, since, ()))
    for (when, variant_fn), variant_flag_fn in variant_fns:
        if when.holds_known(facts):
            due_fn = variant_fn
            if variant_flag_fn is not None:
                flag_fn = variant_flag_fn
            break
    if rule.counter is not None:
        # Offsets are counted from the day the limit is passed.
        reached = limit_day(rule.counter, first_sick_day, facts, events)
        if reached is None:
            why = (
                "the limit is not reached: the person returned to work before it",
                "grænsen nås ikke: personen vendte tilbage til arbejdet før den",
            )
            return new(Milestone, (rule, None, False, why[0], why[1], None, ()))
        start = reached
    due = due_fn(start)
    flag = flag_fn(start) if flag_fn is not None else None
    if flag is not None and flag > due:
        # The invariant: a warning never comes after its due date, whatever a pack says.
        flag = due
    if rec is None:
        return new(Milestone, (rule, due, True, None, None, flag, ()))
    occ = _occurrences(rec, start, due, first_sick_day, events)
    if not occ:
        # A periodic duty whose end event came before its first date never falls due.
        ended = events.get(rec.until_event) if rec.until_event else None
        if ended:
            why = (f"ended by {rec.until_event} on {ended}", f"afsluttet ved {rec.until_event} den {ended}")
        else:
            why = ("outside its horizon", "uden for perioden")
        return new(Milestone, (rule, None, False, why[0], why[1], None, ()))
    return new(Milestone, (rule, due, True, None, None, flag, occ))


def compute_for(
    jurisdiction: str,
    first_sick_day: date,
    facts: CaseFacts = NO_FACTS,
    events: Mapping[str, date] | None = None,
    include_optional: Iterable[str] | bool = True,
) -> list[Milestone]:
    """Convenience: the law pack in force plus (optionally) the good-practice packs."""
    out = compute(first_sick_day, law_pack_for(jurisdiction, first_sick_day), facts, events)
    for pack in packs_for(jurisdiction, first_sick_day):
        if pack.optional and (include_optional is True or (include_optional and pack.id in include_optional)):
            out.extend(compute(first_sick_day, pack, facts, events))
    return out
