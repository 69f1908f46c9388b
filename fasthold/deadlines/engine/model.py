"""The engine's vocabulary: facts, rules, packs and results, and the one error it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:  # only for annotations; dates imports RuleError from here
    from .dates import Offset

RESPONSIBLE = ("employer", "employee", "jobcentre", "gp", "coordinator")
FIRST_SICK_DAY = "first_sick_day"
# Events a case can record; a rule triggered by one has no due date until it happens.
EVENTS = (
    "retention_plan_requested",
    "fast_track_requested",
    "first_follow_up_held",
    "partial_return_started",
    "full_return",
    "retention_plan_made",  # § 7 b, stk. 3: the plan goes to the first follow-up after it is made
    "municipality_notice_sent",  # § 40, stk. 5: the municipality's notice letter after the report
    "doctor_certificate_requested",  # LÆ 285 requested by the municipality (bek. 1710/2024 § 11)
    "section_56_approved",  # § 56 agreement approved (valid 2 years)
    "relapse",  # the absence starts again in the same case after a full return
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
# A rule's kind: a dated deadline, or a right / duty with no statutory date ("standing": any time,
# or at an undated moment such as "the next follow-up conversation"). A standing rule has no due
# date; its optional offset is the day from which it can be used.
KINDS = ("deadline", "standing")
# What a due date on a weekend or public holiday means, per rule (documented in each pack):
# "keep": the date stands (the law's date; nothing in the sources moves it);
# "earlier": the date stands, and the last working day before it is shown as the day to act by
# (a meeting or an office's decision cannot happen on a day off). No source moves a deadline later,
# so the engine never does.
NON_WORKING_DAY = ("keep", "earlier")
EMPLOYER_PAYS = ("wages", "benefit", "none")  # § 40: what the employer pays in the employer period
CONFIDENCE = ("high", "medium-high", "medium", "low", "unconfirmed", "assumption", "practice")
CONDITION_KEYS = (
    "employed",
    "expected_weeks_over",
    "expected_weeks_at_most",
    "benefit_category",
    "work_injury",
    "cause_group",
    "employer_pays",
    "absence_hours_at_least",
    "unless",
)


class RuleError(ValueError):
    """Bad input to the engine or a broken rule pack; the message is one readable line."""


# --------------------------------------------------------------------------- facts and results


# The cause groups' names in a reason (English, Danish): the stored values are codes, never shown as such.
CAUSE_GROUP_NAMES = {"mental": ("mental", "psykisk"), "physical": ("physical", "fysisk"), "other": ("other", "anden")}


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What the rules may depend on. ``None`` means not known (yet)."""

    employed: bool | None = None
    expected_weeks: int | None = None  # expected weeks until full return, counted from day 1
    benefit_category: int | None = None  # DK visitation category (1, 2; 3 only before 2025)
    work_injury: bool | None = None
    cause_group: str | None = None  # e.g. "mental"
    employer_pays: str | None = None  # "wages", "benefit" (sygedagpenge) or "none" (§ 40, stk. 1-3)
    # Partial absence: the hours a week the person is absent; None for a full absence.
    absence_hours_per_week: float | None = None
    # Earlier absences with sickness benefit (or wages with refund), as (first day, last day) pairs
    # before the first sick day: the days that count towards the § 24 limit, employer periods left out.
    earlier_absences: tuple[tuple[date, date], ...] = ()


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
    kind = property(lambda self: self.rule.kind)
    standing = property(lambda self: self.rule.kind == "standing")

    @property
    def act_by(self) -> date | None:
        """The last working day on or before the due date, for rules that need one; else the due date."""
        return self.rule.act_by(self.due)

    def title(self, lang: str = "da") -> str:
        return self.title_en if lang == "en" else self.title_da

    def as_dict(self, lang: str = "da") -> dict[str, Any]:
        """JSON-ready form (ISO dates), shared by the CLI and anyone else who serialises."""
        return {
            "key": self.key,
            "title": self.title(lang),
            "title_da": self.title_da,
            "title_en": self.title_en,
            "kind": self.kind,
            "due": self.due.isoformat() if self.due else None,
            "due_weekday": self.due.strftime("%A") if self.due else None,
            "act_by": self.act_by.isoformat() if self.act_by else None,
            "when": (self.rule.when_en if lang == "en" else self.rule.when_da) or None,
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


# --------------------------------------------------------------------------- conditions


@dataclass(frozen=True, slots=True)
class Conditions:
    employed: bool | None = None
    expected_weeks_over: int | None = None
    expected_weeks_at_most: int | None = None
    benefit_category: frozenset[int] | None = None
    work_injury: bool | None = None
    cause_group: frozenset[str] | None = None
    employer_pays: frozenset[str] | None = None
    absence_hours_at_least: float | None = None
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
            names = [CAUSE_GROUP_NAMES.get(g, (g, g)) for g in sorted(groups)]
            return (
                f"applies only to cause group {', '.join(en for en, _da in names)}",
                f"gælder kun for årsagsgruppe {', '.join(da for _en, da in names)}",
            )
        pays = self.employer_pays
        if pays is not None and f.employer_pays is not None and f.employer_pays not in pays:
            return (
                "does not apply to what the employer pays in the employer period",
                "gælder ikke for det, arbejdsgiveren betaler i arbejdsgiverperioden",
            )
        n = self.absence_hours_at_least
        if n is not None and f.absence_hours_per_week is not None and f.absence_hours_per_week < n:
            return (
                f"a partial absence under {n:g} hours a week gives no sickness benefit",
                f"delvist fravær under {n:g} timer om ugen giver ikke ret til sygedagpenge",
            )
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
        if self.employer_pays is not None and f.employer_pays not in self.employer_pays:
            return False
        if self.absence_hours_at_least is not None and (
            f.absence_hours_per_week is None or f.absence_hours_per_week < self.absence_hours_at_least
        ):
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
class Counter:
    """The § 24 kind of limit: the day on which more than `paid_weeks_over` weeks of benefit have been
    paid within the `window_months` calendar months before it. The rule's offset and flag_from are then
    counted from that day (the limit day) instead of from the trigger."""

    paid_weeks_over: int
    window_months: int
    not_counted_first_days: int = 0  # the employer period, not counted (§ 24; Cabi)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A duty the pack deliberately does not compute, with why (shown on the pack's page)."""

    key: str
    title_da: str
    title_en: str
    why_da: str
    why_en: str
    legal_ref: str
    source: str


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
    kind: str = "deadline"
    when_da: str = ""  # for a standing rule: when it applies, in words ("at any time in the absence")
    when_en: str = ""
    non_working_day: str = "keep"
    holiday_country: str = "DK"
    counter: Counter | None = None
    # Compiled forms of offset / flag_from / variants (see _compile); not part of equality.
    due_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    flag_fn: Callable[[date], date] | None = field(default=None, compare=False, repr=False)
    variant_fns: tuple[tuple[Conditions, Callable[[date], date]], ...] = field(default=(), compare=False, repr=False)
    variant_flag_fns: tuple[Callable[[date], date] | None, ...] = field(default=(), compare=False, repr=False)

    def act_by(self, due: date | None) -> date | None:
        """The day to act by: the due date, or for a rule that needs a working day the last one before it."""
        if due is None or self.non_working_day != "earlier":
            return due
        from .dates import previous_working_day  # dates imports this module

        return previous_working_day(due, self.holiday_country)


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
    left_out: tuple[LeftOut, ...] = ()
    non_working_days_da: str = ""  # the pack's rule for due dates on days off, in words
    non_working_days_en: str = ""
    sources: tuple[str, ...] = ()
    plan: tuple[tuple[Any, ...], ...] = field(default=(), compare=False, repr=False)
    event_rules: tuple[int, ...] = field(default=(), compare=False, repr=False)  # indexes reading events

    def __hash__(self) -> int:
        # Packs are cached singletons; hashing by id keeps compute's cache key cheap.
        return hash((self.id, self.version))

    def covers(self, first_sick_day: date) -> bool:
        return self.applies_from <= first_sick_day and (
            self.applies_until is None or first_sick_day <= self.applies_until
        )
