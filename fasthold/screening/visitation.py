"""Visitation rules as data: evaluate a program's criteria for a case, allocate an arm, plan sessions.

Pure Python (no Django): the rules decide who gets an effort, so they must be testable and
reproducible on their own. A random allocation is `random.Random(seed)`, and the seed is stored,
so anyone can re-run the draw and get the same arm.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

INCLUSION = "inclusion"
EXCLUSION = "exclusion"
SOMATIC_CHECK = "somatic_check"
KINDS = (INCLUSION, EXCLUSION, SOMATIC_CHECK)

COMPUTED = "computed"
ANSWERED = "answered"

# The facts a computed criterion may read. The parameter is text so criteria stay plain data.
WEEKS_MAX = "weeks_since_first_sick_day_max"  # parameter: whole number of weeks
EMPLOYED_NOT_DISMISSED = "employment_status_employed_not_dismissed"  # no parameter
CAUSE_GROUP_IS = "cause_group_is"  # parameter: mental, physical or other
CAUSE_CATEGORY_IS = "cause_category_is"  # parameter: a cause category value
COMPUTED_KEYS = (WEEKS_MAX, EMPLOYED_NOT_DISMISSED, CAUSE_GROUP_IS, CAUSE_CATEGORY_IS)

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
INCOMPLETE = "incomplete"


class VisitationError(ValueError):
    """A criterion or arm definition that cannot be evaluated."""


@dataclass(frozen=True)
class CriterionSpec:
    id: str
    kind: str
    source: str
    computed_key: str = ""
    parameter: str = ""


@dataclass(frozen=True)
class CaseFacts:
    weeks_since_first_sick_day: int
    employment_status: str  # "employed", "notice_or_dismissed", "unemployed" or ""
    cause_group: str
    cause_category: str


@dataclass(frozen=True)
class CriterionOutcome:
    id: str
    value: bool | None  # the fact or the answer; None = not answered yet
    passes: bool | None  # None while value is None


@dataclass(frozen=True)
class Evaluation:
    outcomes: tuple[CriterionOutcome, ...]
    result: str  # ELIGIBLE, NOT_ELIGIBLE or INCOMPLETE
    failing: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def eligible(self) -> bool | None:
        return {ELIGIBLE: True, NOT_ELIGIBLE: False}.get(self.result)


def validate_criterion(spec: CriterionSpec) -> None:
    if spec.kind not in KINDS:
        raise VisitationError(f"criterion {spec.id}: unknown kind {spec.kind!r}")
    if spec.source == ANSWERED:
        return
    if spec.source != COMPUTED:
        raise VisitationError(f"criterion {spec.id}: source must be computed or answered")
    if spec.computed_key not in COMPUTED_KEYS:
        raise VisitationError(f"criterion {spec.id}: unknown computed key {spec.computed_key!r}")
    if spec.computed_key == WEEKS_MAX and not spec.parameter.strip().isdigit():
        raise VisitationError(f"criterion {spec.id}: the number of weeks must be a whole number")
    if spec.computed_key in (CAUSE_GROUP_IS, CAUSE_CATEGORY_IS) and not spec.parameter.strip():
        raise VisitationError(f"criterion {spec.id}: name the cause")


def compute(spec: CriterionSpec, facts: CaseFacts) -> bool:
    """The value of a computed criterion: is the stated fact true for this case?"""
    validate_criterion(spec)
    if spec.computed_key == WEEKS_MAX:
        return facts.weeks_since_first_sick_day <= int(spec.parameter)
    if spec.computed_key == EMPLOYED_NOT_DISMISSED:
        return facts.employment_status == "employed"
    if spec.computed_key == CAUSE_GROUP_IS:
        return facts.cause_group == spec.parameter.strip()
    return facts.cause_category == spec.parameter.strip()


def passes(kind: str, value: bool | None) -> bool | None:
    """An inclusion or somatic check passes when true; an exclusion passes when false."""
    if value is None:
        return None
    return (not value) if kind == EXCLUSION else value


def evaluate(criteria: Sequence[CriterionSpec], facts: CaseFacts, answers: Mapping[str, bool | None]) -> Evaluation:
    """Every criterion with its value; any failing criterion makes the case not eligible,
    otherwise any unanswered one leaves the result incomplete."""
    outcomes = []
    for spec in criteria:
        value = compute(spec, facts) if spec.source == COMPUTED else answers.get(spec.id)
        if value is not None and not isinstance(value, bool):
            raise VisitationError(f"criterion {spec.id}: the answer must be yes, no or not answered")
        outcomes.append(CriterionOutcome(spec.id, value, passes(spec.kind, value)))
    failing = tuple(o.id for o in outcomes if o.passes is False)
    missing = tuple(o.id for o in outcomes if o.passes is None)
    result = NOT_ELIGIBLE if failing else INCOMPLETE if missing else ELIGIBLE
    return Evaluation(tuple(outcomes), result, failing, missing)


def new_seed() -> int:
    """A fresh seed for a random allocation; stored with the allocation so the draw can be re-run."""
    return secrets.randbelow(2**31)


def allocate(arms: Sequence[str], seed: int) -> str:
    """Draw one arm with equal probability. The same arms in the same order and seed give the same arm."""
    if not arms:
        raise VisitationError("the program has no arms to allocate to")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise VisitationError("the seed must be a non-negative whole number")
    return random.Random(seed).choice(list(arms))


@dataclass(frozen=True)
class SessionRow:
    title: str
    kind: str
    count: int
    interval_days: int
    offset_days: int = 0
    duration_minutes: int | None = None


@dataclass(frozen=True)
class PlannedDate:
    date: dt.date
    title: str
    kind: str
    number: int  # 1-based number within its row
    of: int
    duration_minutes: int | None


def plan_sessions(rows: Sequence[SessionRow], start: dt.date) -> list[PlannedDate]:
    """Each row's sessions at start + offset + i * interval, all rows in parallel, sorted by date."""
    planned = []
    for order, row in enumerate(rows):
        if row.count < 0 or row.interval_days < 0 or row.offset_days < 0:
            raise VisitationError(f"session plan {row.title!r}: counts and days cannot be negative")
        if row.count > 1 and row.interval_days == 0:
            raise VisitationError(f"session plan {row.title!r}: several sessions need an interval")
        for i in range(row.count):
            day = start + dt.timedelta(days=row.offset_days + i * row.interval_days)
            planned.append(
                (day, order, i, PlannedDate(day, row.title, row.kind, i + 1, row.count, row.duration_minutes))
            )
    return [p for *_, p in sorted(planned, key=lambda t: t[:3])]
