"""Computing a case's milestones from a pack, its first sick day, its facts and its events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from .model import EVENTS, NO_FACTS, CaseFacts, Milestone, Pack, Recurrence, RuleError
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
    for when, variant_fn in variant_fns:
        if when.holds_known(facts):
            due_fn = variant_fn
            break
    due = due_fn(start)
    flag = flag_fn(start) if flag_fn is not None else None
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
