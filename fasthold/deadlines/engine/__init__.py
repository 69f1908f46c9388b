"""The deadline engine: a case's legal and good-practice calendar from versioned rule packs.

Pure module: no Django, no database, no clock. The rules live in JSON files under
``rulepacks/`` (one per jurisdiction and period of law); this module only knows how to
read them, check them and count dates. Packs are parsed and their offsets compiled once;
``compute`` does a handful of date additions per milestone and caches its immutable
results, because calendars are recomputed for every open case (100,000 cases must fit
in well under 2 s).

Counting conventions (see ``legal-timelines.md`` and the README of the rule packs):

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

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, Callable, NamedTuple

import holidays

PACK_DIR = Path(__file__).with_name("rulepacks")

RESPONSIBLE = ("employer", "employee", "jobcentre", "gp", "coordinator")
FIRST_SICK_DAY = "first_sick_day"
# Events a case can record; a rule triggered by one has no due date until it happens.
EVENTS = (
    "retention_plan_requested",
    "fast_track_requested",
    "first_follow_up_held",
    "partial_return_started",
    "full_return",
)
TRIGGERS = (FIRST_SICK_DAY, *EVENTS)
OFFSET_KINDS = (
    "day",
    "days",
    "weeks",
    "months",
    "end_of_week",
    "end_of_calendar_month",
    "working_days",
)
CONFIDENCE = ("high", "medium-high", "medium", "low", "unconfirmed", "assumption", "practice")
CONDITION_KEYS = (
    "employed",
    "expected_weeks_over",
    "expected_weeks_at_most",
    "benefit_category",
    "work_injury",
    "cause_group",
    "unless",
)
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class RuleError(ValueError):
    """Bad input to the engine or a broken rule pack; the message is one readable line."""


# --------------------------------------------------------------------------- facts and results


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules may depend on. ``None`` means not known (yet)."""

    employed: bool | None = None
    expected_weeks: int | None = None  # expected weeks until full return, counted from day 1
    benefit_category: int | None = None  # DK visitation category (1, 2; 3 only before 2025)
    work_injury: bool | None = None
    cause_group: str | None = None  # e.g. "mental"


NO_FACTS = CaseFacts()


@dataclass(frozen=True, slots=True)
class Outcome:
    """A possible result of a milestone, e.g. an extension ground at the DK benefit review."""

    key: str
    title_da: str
    title_en: str
    legal_ref: str
    max_weeks: int | None
    unconfirmed: bool


class Milestone(NamedTuple):
    """One computed deadline, with where it comes from.

    Only the per-case values are stored; everything else is read from the rule, because
    building a wide object per milestone dominated the cost of ``compute``.
    """

    rule: Rule
    due: date | None  # None: waits for its trigger event, or not applicable
    applicable: bool = True
    reason: str | None = None  # why not applicable (English)
    reason_da: str | None = None
    flag_from: date | None = None  # from when to show it as coming up
    occurrences: tuple[date, ...] = ()  # suggested or periodic dates of a recurring milestone

    key = property(lambda self: self.rule.key)
    title_da = property(lambda self: self.rule.title_da)
    title_en = property(lambda self: self.rule.title_en)
    responsible = property(lambda self: self.rule.responsible)
    trigger = property(lambda self: self.rule.trigger)
    legal_ref = property(lambda self: self.rule.legal_ref)
    source = property(lambda self: self.rule.source)
    unconfirmed = property(lambda self: self.rule.unconfirmed)
    confidence = property(lambda self: self.rule.confidence)
    outcomes = property(lambda self: self.rule.outcomes)
    note = property(lambda self: self.rule.note)
    pack_id = property(lambda self: self.rule.pack_id)
    pack_version = property(lambda self: self.rule.pack_version)
    required_count = property(lambda self: self.rule.recurrence.count if self.rule.recurrence else None)

    def title(self, lang: str = "da") -> str:
        return self.title_en if lang == "en" else self.title_da

    def as_dict(self, lang: str = "da") -> dict[str, Any]:
        """JSON-ready form (ISO dates), shared by the CLI and anyone else who serialises."""
        return {
            "key": self.key,
            "title": self.title(lang),
            "title_da": self.title_da,
            "title_en": self.title_en,
            "due": self.due.isoformat() if self.due else None,
            "responsible": self.responsible,
            "trigger": self.trigger,
            "legal_ref": self.legal_ref,
            "source": self.source,
            "unconfirmed": self.unconfirmed,
            "confidence": self.confidence,
            "applicable": self.applicable,
            "reason": (self.reason if lang == "en" else self.reason_da) if not self.applicable else None,
            "flag_from": self.flag_from.isoformat() if self.flag_from else None,
            "occurrences": [d.isoformat() for d in self.occurrences],
            "required_count": self.required_count,
            "outcomes": [
                {
                    "key": o.key,
                    "title": o.title_en if lang == "en" else o.title_da,
                    "legal_ref": o.legal_ref,
                    "max_weeks": o.max_weeks,
                    "unconfirmed": o.unconfirmed,
                }
                for o in self.outcomes
            ],
            "pack": self.pack_id,
            "pack_version": self.pack_version,
            "note": self.note,
        }


# --------------------------------------------------------------------------- calendar arithmetic


@lru_cache(maxsize=None)
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


def add_months(day: date, n: int) -> date:
    month0 = day.month - 1 + n
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def end_of_month(day: date) -> date:
    # A table instead of calendar.monthrange: this runs for every case's benefit review.
    month, year = day.month, day.year
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return day.replace(day=29)
    return day.replace(day=_MONTH_DAYS[month - 1])


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


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class Conditions:
    employed: bool | None = None
    expected_weeks_over: int | None = None
    expected_weeks_at_most: int | None = None
    benefit_category: frozenset[int] | None = None
    work_injury: bool | None = None
    cause_group: frozenset[str] | None = None
    unless: Conditions | None = None
    unless_reason_en: str = ""
    unless_reason_da: str = ""

    def failure(self, f: CaseFacts) -> tuple[str, str] | None:
        """(reason_en, reason_da) when known facts rule the milestone out; unknown facts pass."""
        if self.employed is not None and f.employed is not None and f.employed != self.employed:
            if self.employed:
                return ("applies only to people in employment", "gælder kun for sygemeldte i ansættelse")
            return ("applies only to people without employment", "gælder kun for sygemeldte uden ansættelse")
        n = self.expected_weeks_over
        if n is not None and f.expected_weeks is not None and f.expected_weeks <= n:
            return (
                f"expected back within {n} weeks of the first sick day",
                f"forventes tilbage inden for {n} uger fra første sygedag",
            )
        n = self.expected_weeks_at_most
        if n is not None and f.expected_weeks is not None and f.expected_weeks > n:
            return (
                f"not expected back within {n} weeks of the first sick day",
                f"forventes ikke tilbage inden for {n} uger fra første sygedag",
            )
        cats = self.benefit_category
        if cats is not None and f.benefit_category is not None and f.benefit_category not in cats:
            allowed = ", ".join(str(c) for c in sorted(cats))
            return (
                f"applies only to benefit category {allowed}",
                f"gælder kun for visitationskategori {allowed}",
            )
        if self.work_injury is not None and f.work_injury is not None and f.work_injury != self.work_injury:
            if self.work_injury:
                return ("applies only to work injuries", "gælder kun ved arbejdsskade")
            return ("does not apply to work injuries", "gælder ikke ved arbejdsskade")
        groups = self.cause_group
        if groups is not None and f.cause_group is not None and f.cause_group not in groups:
            allowed = ", ".join(sorted(groups))
            return (f"applies only to cause group {allowed}", f"gælder kun for årsagsgruppe {allowed}")
        if self.unless is not None and self.unless.holds_known(f):
            return (self.unless_reason_en, self.unless_reason_da)
        return None

    def holds_known(self, f: CaseFacts) -> bool:
        """True only when every fact named here is known and matches (for exemptions)."""
        if self.employed is not None and f.employed != self.employed:
            return False
        if self.expected_weeks_over is not None and (
            f.expected_weeks is None or f.expected_weeks <= self.expected_weeks_over
        ):
            return False
        if self.expected_weeks_at_most is not None and (
            f.expected_weeks is None or f.expected_weeks > self.expected_weeks_at_most
        ):
            return False
        if self.benefit_category is not None and f.benefit_category not in self.benefit_category:
            return False
        if self.work_injury is not None and f.work_injury != self.work_injury:
            return False
        if self.cause_group is not None and f.cause_group not in self.cause_group:
            return False
        return True


NO_CONDITIONS = Conditions()


# --------------------------------------------------------------------------- rules and packs


@dataclass(frozen=True, slots=True)
class Recurrence:
    # Either "at least `count` times by the due date" ...
    count: int | None = None
    first: Offset = ()  # the first suggested occurrence, from the trigger
    # ... or "every `every` from the due date until `until_event` or `horizon`".
    every: Offset = ()
    until_event: str | None = None
    horizon: Offset = ()  # counted from the first sick day
    # Compiled forms (see _compile).
    first_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    every_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    horizon_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Rule:
    key: str
    title_da: str
    title_en: str
    responsible: str
    trigger: str
    offset: Offset
    conditions: Conditions
    variants: tuple[tuple[Conditions, Offset], ...]
    recurrence: Recurrence | None
    flag_from: Offset | None  # counted from the trigger
    legal_ref: str
    source: str
    confidence: str
    unconfirmed: bool
    outcomes: tuple[Outcome, ...]
    note: str
    legal_phrase: str = ""  # the statute's own words, where quoted
    alternative_reading: str = ""  # the reading the engine did not choose, where disputed
    pack_id: str = ""
    pack_version: str = ""
    # Compiled forms of offset / flag_from / variants (see _compile); not part of equality.
    due_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    flag_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    variant_fns: tuple[tuple[Conditions, Callable[[date], date]], ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Pack:
    id: str
    jurisdiction: str
    version: str
    title_da: str
    title_en: str
    applies_from: date
    applies_until: date | None
    optional: bool  # good-practice packs an organisation may switch off
    assumption: bool  # the pack rests on law whose details are not confirmed
    holiday_country: str
    benefit_categories: frozenset[int] | None
    rules: tuple[Rule, ...]
    note: str = ""
    plan: tuple[tuple[Any, ...], ...] = field(default=(), compare=False, repr=False)
    event_rules: tuple[int, ...] = field(default=(), compare=False, repr=False)  # indexes reading events

    def __hash__(self) -> int:
        # Packs are cached singletons; hashing by id keeps compute's cache key cheap.
        return hash((self.id, self.version))

    def covers(self, first_sick_day: date) -> bool:
        return self.applies_from <= first_sick_day and (
            self.applies_until is None or first_sick_day <= self.applies_until
        )


# --------------------------------------------------------------------------- schema check and parsing


def _check_title(obj: Any, where: str, errors: list[str]) -> None:
    if not isinstance(obj, dict) or set(obj) != {"da", "en"} or not all(
        isinstance(v, str) and v.strip() for v in obj.values()
    ):
        errors.append(f"{where}: title must be {{da, en}} with non-empty strings")


def _check_offset(obj: Any, where: str, errors: list[str]) -> None:
    steps = obj if isinstance(obj, list) else [obj]
    if not steps:
        errors.append(f"{where}: empty offset")
    for step in steps:
        if not isinstance(step, dict) or step.get("kind") not in OFFSET_KINDS:
            errors.append(f"{where}: offset step needs kind in {', '.join(OFFSET_KINDS)}")
            continue
        if set(step) - {"kind", "n"}:
            errors.append(f"{where}: unknown offset fields {sorted(set(step) - {'kind', 'n'})}")
        n = step.get("n")
        if step["kind"] == "end_of_calendar_month":
            if n is not None:
                errors.append(f"{where}: end_of_calendar_month takes no n")
        elif not isinstance(n, int) or isinstance(n, bool):
            errors.append(f"{where}: offset {step['kind']} needs an integer n")
        elif step["kind"] in ("day", "end_of_week") and n < 1:
            errors.append(f"{where}: {step['kind']} counts from 1")
        elif step["kind"] == "working_days" and n < 0:
            errors.append(f"{where}: working_days must not be negative")


def _check_conditions(obj: Any, where: str, errors: list[str], nested: bool = False) -> None:
    if not isinstance(obj, dict):
        errors.append(f"{where}: conditions must be an object")
        return
    allowed = set(CONDITION_KEYS) - ({"unless"} if nested else set())
    if nested:
        allowed |= {"reason"}
    for k in set(obj) - allowed:
        errors.append(f"{where}: unknown condition {k!r}")
    for k in ("employed", "work_injury"):
        if k in obj and not isinstance(obj[k], bool):
            errors.append(f"{where}: {k} must be true or false")
    for k in ("expected_weeks_over", "expected_weeks_at_most"):
        if k in obj and (not isinstance(obj[k], int) or isinstance(obj[k], bool) or obj[k] < 0):
            errors.append(f"{where}: {k} must be a non-negative integer")
    if "benefit_category" in obj and not (
        isinstance(obj["benefit_category"], list)
        and obj["benefit_category"]
        and all(isinstance(c, int) and not isinstance(c, bool) for c in obj["benefit_category"])
    ):
        errors.append(f"{where}: benefit_category must be a non-empty list of integers")
    if "cause_group" in obj and not (
        isinstance(obj["cause_group"], list)
        and obj["cause_group"]
        and all(isinstance(c, str) for c in obj["cause_group"])
    ):
        errors.append(f"{where}: cause_group must be a non-empty list of strings")
    if "unless" in obj:
        _check_conditions(obj["unless"], f"{where}.unless", errors, nested=True)
        if isinstance(obj["unless"], dict):
            _check_title(obj["unless"].get("reason"), f"{where}.unless.reason", errors)
    if nested and len(set(obj) - {"reason"}) == 0:
        errors.append(f"{where}: an exemption must name at least one fact")


def _parse_date(value: Any, where: str, errors: list[str]) -> date | None:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors.append(f"{where}: not an ISO date: {value!r}")
        return None


_MILESTONE_FIELDS = {
    "key", "title", "responsible", "trigger", "offset", "conditions", "variants", "recurrence",
    "flag_from", "legal_ref", "legal_phrase", "alternative_reading", "source", "confidence",
    "unconfirmed", "outcomes", "note",
}
_PACK_FIELDS = {
    "id", "jurisdiction", "version", "title", "applies_from", "applies_until", "optional",
    "assumption", "holiday_country", "benefit_categories", "milestones", "note", "sources",
}


def validate_pack_data(data: Any) -> list[str]:
    """Every problem found in a pack's data, as readable lines; [] when the pack is valid."""
    errors: list[str] = []
    if not isinstance(data, dict):
        return ["pack: must be a JSON object"]
    for k in sorted(set(data) - _PACK_FIELDS):
        errors.append(f"pack: unknown field {k!r}")
    for k in ("id", "jurisdiction", "version", "title", "applies_from", "milestones"):
        if k not in data:
            errors.append(f"pack: missing {k!r}")
    if errors:
        return errors
    if not isinstance(data["id"], str) or not _ID_RE.match(data["id"]):
        errors.append("pack: id must be lower-case letters, digits and hyphens")
    for k in ("jurisdiction", "version"):
        if not isinstance(data[k], str) or not data[k]:
            errors.append(f"pack: {k} must be a non-empty string")
    _check_title(data["title"], "pack", errors)
    start = _parse_date(data["applies_from"], "pack.applies_from", errors)
    if data.get("applies_until") is not None:
        end = _parse_date(data["applies_until"], "pack.applies_until", errors)
        if start and end and end < start:
            errors.append("pack: applies_until is before applies_from")
    for k in ("optional", "assumption"):
        if k in data and not isinstance(data[k], bool):
            errors.append(f"pack: {k} must be true or false")
    country = data.get("holiday_country", "DK")
    try:
        holidays.country_holidays(country, years=2025)
    except (NotImplementedError, KeyError, TypeError):
        errors.append(f"pack: unknown holiday_country {country!r}")
    if "benefit_categories" in data and not (
        isinstance(data["benefit_categories"], list)
        and all(isinstance(c, int) and not isinstance(c, bool) for c in data["benefit_categories"])
    ):
        errors.append("pack: benefit_categories must be a list of integers")
    milestones = data["milestones"]
    if not isinstance(milestones, list) or not milestones:
        errors.append("pack: milestones must be a non-empty list")
        return errors
    seen: set[str] = set()
    for i, m in enumerate(milestones):
        where = f"milestone[{i}]"
        if not isinstance(m, dict):
            errors.append(f"{where}: must be an object")
            continue
        key = m.get("key")
        if not isinstance(key, str) or not _KEY_RE.match(key):
            errors.append(f"{where}: key must be snake_case")
        else:
            where = f"milestone {key}"
            if key in seen:
                errors.append(f"{where}: duplicate key")
            seen.add(key)
        for k in sorted(set(m) - _MILESTONE_FIELDS):
            errors.append(f"{where}: unknown field {k!r}")
        for k in ("title", "responsible", "trigger", "offset", "legal_ref", "source", "confidence"):
            if k not in m:
                errors.append(f"{where}: missing {k!r}")
        if "title" in m:
            _check_title(m["title"], where, errors)
        if "responsible" in m and m["responsible"] not in RESPONSIBLE:
            errors.append(f"{where}: responsible must be one of {', '.join(RESPONSIBLE)}")
        if "trigger" in m and m["trigger"] not in TRIGGERS:
            errors.append(f"{where}: unknown trigger {m['trigger']!r}")
        if "offset" in m:
            _check_offset(m["offset"], f"{where}.offset", errors)
        if "flag_from" in m:
            _check_offset(m["flag_from"], f"{where}.flag_from", errors)
        if "conditions" in m:
            _check_conditions(m["conditions"], f"{where}.conditions", errors)
        for j, v in enumerate(m.get("variants", [])):
            if not isinstance(v, dict) or set(v) - {"when", "offset", "note"} or not {"when", "offset"} <= set(v):
                errors.append(f"{where}.variants[{j}]: needs when and offset (and an optional note)")
                continue
            _check_conditions(v["when"], f"{where}.variants[{j}].when", errors, nested=True)
            _check_offset(v["offset"], f"{where}.variants[{j}].offset", errors)
        if "recurrence" in m:
            r = m["recurrence"]
            rw = f"{where}.recurrence"
            if not isinstance(r, dict):
                errors.append(f"{rw}: must be an object")
            elif "count" in r:
                if set(r) - {"count", "first"}:
                    errors.append(f"{rw}: a counted recurrence takes count and first")
                if not isinstance(r["count"], int) or r["count"] < 1:
                    errors.append(f"{rw}: count must be a positive integer")
                if "first" in r:
                    _check_offset(r["first"], f"{rw}.first", errors)
            elif "every" in r:
                if set(r) - {"every", "until_event", "horizon"} or "horizon" not in r:
                    errors.append(f"{rw}: a periodic recurrence takes every, horizon and until_event")
                _check_offset(r["every"], f"{rw}.every", errors)
                if "horizon" in r:
                    _check_offset(r["horizon"], f"{rw}.horizon", errors)
                if r.get("until_event") not in (None, *EVENTS):
                    errors.append(f"{rw}: unknown until_event {r.get('until_event')!r}")
            else:
                errors.append(f"{rw}: needs count or every")
        for k in ("legal_ref", "source"):
            if k in m and (not isinstance(m[k], str) or not m[k].strip()):
                errors.append(f"{where}: {k} must be a non-empty string")
        conf = m.get("confidence")
        if "confidence" in m and conf not in CONFIDENCE:
            errors.append(f"{where}: confidence must be one of {', '.join(CONFIDENCE)}")
        unconfirmed = m.get("unconfirmed", False)
        if not isinstance(unconfirmed, bool):
            errors.append(f"{where}: unconfirmed must be true or false")
        elif conf in CONFIDENCE and conf != "high" and not unconfirmed:
            # Anything the research does not rate High must be visibly flagged in the product.
            errors.append(f"{where}: confidence {conf!r} requires \"unconfirmed\": true")
        for j, o in enumerate(m.get("outcomes", [])):
            ow = f"{where}.outcomes[{j}]"
            if not isinstance(o, dict) or set(o) - {"key", "title", "legal_ref", "max_weeks", "unconfirmed"}:
                errors.append(f"{ow}: unknown fields")
                continue
            if not isinstance(o.get("key"), str) or not _KEY_RE.match(o["key"]):
                errors.append(f"{ow}: key must be snake_case")
            _check_title(o.get("title"), ow, errors)
            if not isinstance(o.get("legal_ref"), str):
                errors.append(f"{ow}: legal_ref must be a string")
            mw = o.get("max_weeks")
            if mw is not None and (not isinstance(mw, int) or mw < 1):
                errors.append(f"{ow}: max_weeks must be a positive integer or null")
        for k in ("note", "legal_phrase", "alternative_reading"):
            if k in m and not isinstance(m[k], str):
                errors.append(f"{where}: {k} must be a string")
    return errors


def _offset(obj: Any) -> Offset:
    steps = obj if isinstance(obj, list) else [obj]
    return tuple(Step(s["kind"], s.get("n", 0)) for s in steps)


def _conditions(obj: Mapping[str, Any] | None) -> Conditions:
    if not obj:
        return NO_CONDITIONS
    unless = obj.get("unless")
    return Conditions(
        employed=obj.get("employed"),
        expected_weeks_over=obj.get("expected_weeks_over"),
        expected_weeks_at_most=obj.get("expected_weeks_at_most"),
        benefit_category=frozenset(obj["benefit_category"]) if "benefit_category" in obj else None,
        work_injury=obj.get("work_injury"),
        cause_group=frozenset(obj["cause_group"]) if "cause_group" in obj else None,
        unless=_conditions(unless) if unless else None,
        unless_reason_en=unless["reason"]["en"] if unless else "",
        unless_reason_da=unless["reason"]["da"] if unless else "",
    )


def _rule(m: Mapping[str, Any], pack_id: str, pack_version: str, country: str) -> Rule:
    rec = m.get("recurrence")
    recurrence = None
    if rec is not None:
        recurrence = Recurrence(
            count=rec.get("count"),
            first=_offset(rec["first"]) if "first" in rec else (),
            every=_offset(rec["every"]) if "every" in rec else (),
            until_event=rec.get("until_event"),
            horizon=_offset(rec["horizon"]) if "horizon" in rec else (),
            first_fn=_compile(_offset(rec["first"]), country) if "first" in rec else None,
            every_fn=_compile(_offset(rec["every"]), country) if "every" in rec else None,
            horizon_fn=_compile(_offset(rec["horizon"]), country) if "horizon" in rec else None,
        )
    return Rule(
        key=m["key"],
        title_da=m["title"]["da"],
        title_en=m["title"]["en"],
        responsible=m["responsible"],
        trigger=m["trigger"],
        offset=_offset(m["offset"]),
        conditions=_conditions(m.get("conditions")),
        variants=tuple((_conditions(v["when"]), _offset(v["offset"])) for v in m.get("variants", [])),
        recurrence=recurrence,
        flag_from=_offset(m["flag_from"]) if "flag_from" in m else None,
        legal_ref=m["legal_ref"],
        source=m["source"],
        confidence=m["confidence"],
        unconfirmed=m.get("unconfirmed", False),
        outcomes=tuple(
            Outcome(
                key=o["key"],
                title_da=o["title"]["da"],
                title_en=o["title"]["en"],
                legal_ref=o["legal_ref"],
                max_weeks=o.get("max_weeks"),
                unconfirmed=o.get("unconfirmed", False),
            )
            for o in m.get("outcomes", [])
        ),
        note=m.get("note", ""),
        legal_phrase=m.get("legal_phrase", ""),
        alternative_reading=m.get("alternative_reading", ""),
        pack_id=pack_id,
        pack_version=pack_version,
        due_fn=_compile(_offset(m["offset"]), country),
        flag_fn=_compile(_offset(m["flag_from"]), country) if "flag_from" in m else None,
        variant_fns=tuple(
            (_conditions(v["when"]), _compile(_offset(v["offset"]), country)) for v in m.get("variants", [])
        ),
    )


def parse_pack(data: Any) -> Pack:
    """Check and compile a pack's data; RuleError lists what is wrong."""
    errors = validate_pack_data(data)
    if errors:
        name = data.get("id", "?") if isinstance(data, dict) else "?"
        raise RuleError(f"rule pack {name} is invalid: " + "; ".join(errors))
    until = data.get("applies_until")
    cats = data.get("benefit_categories")
    pack = Pack(
        id=data["id"],
        jurisdiction=data["jurisdiction"],
        version=data["version"],
        title_da=data["title"]["da"],
        title_en=data["title"]["en"],
        applies_from=date.fromisoformat(data["applies_from"]),
        applies_until=date.fromisoformat(until) if until else None,
        optional=data.get("optional", False),
        assumption=data.get("assumption", False),
        holiday_country=data.get("holiday_country", "DK"),
        benefit_categories=frozenset(cats) if cats is not None else None,
        rules=tuple(
            _rule(m, data["id"], data["version"], data.get("holiday_country", "DK")) for m in data["milestones"]
        ),
        note=data.get("note", ""),
    )
    # Derived once; the pack stays immutable.
    object.__setattr__(pack, "plan", _plan(pack))
    object.__setattr__(pack, "event_rules", tuple(
        i for i, rule in enumerate(pack.rules)
        if rule.trigger != FIRST_SICK_DAY or (rule.recurrence is not None and rule.recurrence.until_event)
    ))
    return pack


# --------------------------------------------------------------------------- loading and selection


@lru_cache(maxsize=1)
def available_packs() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in PACK_DIR.glob("*.json")))


@lru_cache(maxsize=None)
def load_pack(pack_id: str) -> Pack:
    """The pack with this id, parsed once per process."""
    if not isinstance(pack_id, str) or not _ID_RE.match(pack_id) or pack_id not in available_packs():
        raise RuleError(f"unknown rule pack {pack_id!r} (available: {', '.join(available_packs())})")
    path = PACK_DIR / f"{pack_id}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise RuleError(f"rule pack {pack_id} is not valid JSON: {exc}") from exc
    pack = parse_pack(data)
    if pack.id != pack_id:
        raise RuleError(f"rule pack file {path.name} declares id {pack.id!r}")
    return pack


def jurisdictions() -> tuple[str, ...]:
    return tuple(sorted({load_pack(p).jurisdiction for p in available_packs()}))


def packs_for(jurisdiction: str, first_sick_day: date, include_optional: bool = True) -> list[Pack]:
    """Packs of a jurisdiction in force for this first sick day: the law pack first."""
    found = [
        pack
        for pack in map(load_pack, available_packs())
        if pack.jurisdiction == jurisdiction and pack.covers(first_sick_day) and (include_optional or not pack.optional)
    ]
    # Law before good practice; among laws the newest version first.
    found.sort(key=lambda p: (p.optional, -p.applies_from.toordinal(), p.id))
    return found


def law_pack_for(jurisdiction: str, first_sick_day: date) -> Pack:
    """The one law pack of a jurisdiction that applies to a case with this first sick day."""
    if jurisdiction not in jurisdictions():
        raise RuleError(f"unknown jurisdiction or pack {jurisdiction!r} (available: {', '.join(available_packs())})")
    found = packs_for(jurisdiction, first_sick_day, include_optional=False)
    if not found:
        raise RuleError(f"no {jurisdiction} rule pack applies to a first sick day of {first_sick_day.isoformat()}")
    return found[0]


def resolve_pack(name: str, first_sick_day: date) -> Pack:
    """A jurisdiction code ("dk") picks the version in force; a pack id must cover the day."""
    if name in available_packs():
        pack = load_pack(name)
        if not pack.covers(first_sick_day):
            raise RuleError(
                f"rule pack {name} applies to first sick days from {pack.applies_from.isoformat()}"
                + (f" to {pack.applies_until.isoformat()}" if pack.applies_until else "")
            )
        return pack
    return law_pack_for(name, first_sick_day)


# --------------------------------------------------------------------------- computing


def check_events(first_sick_day: date, events: Mapping[str, date]) -> None:
    for key, day in events.items():
        if key not in EVENTS:
            raise RuleError(f"unknown event {key!r} (known: {', '.join(EVENTS)})")
        if type(day) is not date:  # a datetime would not compare with the first sick day
            raise RuleError(f"event {key} needs a date")
        if day < first_sick_day:
            raise RuleError(f"event {key} on {day.isoformat()} is before the first sick day {first_sick_day.isoformat()}")


def _occurrences(rec: Recurrence, start: date, due: date, first_sick_day: date,
                 events: Mapping[str, date]) -> tuple[date, ...]:
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


def _plan(pack: Pack) -> tuple[tuple[Any, ...], ...]:
    # Per rule, what compute needs, unpacked once instead of read attribute by attribute.
    return tuple(
        (
            rule,
            None if rule.conditions is NO_CONDITIONS else rule.conditions,
            None if rule.trigger == FIRST_SICK_DAY else rule.trigger,
            rule.due_fn,
            rule.flag_fn,
            rule.variant_fns,
            rule.recurrence,
        )
        for rule in pack.rules
    )


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
