"""The employer's business case: what keeping a sick-listed employee costs, against dismissing.

Pure module: standard library only, no Django, no database. The page, the CLI and the
tests all call it, so the table is computed in exactly one place.

Four scenarios over the same period: the employee stays *in job*, is
*part-time sick*, is *full-time sick*, or is *dismissed and replaced*. Each has the rows

* ``gross_salary``          – the salary the employer pays the (sick) employee
* ``refund``                – sickness-benefit refund the employer receives (dagpengerefusion)
* ``net_salary_cost``       = gross_salary − refund
* ``temp``                  – cost of a temp covering the missing work
* ``recruitment``           – cost of recruiting a replacement
* ``new_employee_salary``   – salary of the replacement
* ``extra_costs``           = temp + recruitment + new_employee_salary
* ``employer_total``        = net_salary_cost + extra_costs
* ``extra_cost_of_sick_listing`` = employer_total − the in-job employer_total

All amounts are whole kroner. There are two ways in:

1. **Explicit amounts** (:class:`ExplicitAmounts`, :func:`calculate`): the nine numbers of
   the table, one per cell that is an input. Its defaults are the worked example (3 months at
   30,000 kr), so ``calculate(ExplicitAmounts())`` reproduces that example cell by cell.
2. **Derived** (:class:`Assumptions`, :func:`calculate_derived`): a handful of facts –
   monthly salary, period, weekly refund rate, part-time absence share, employer period,
   temp cost share, recruitment cost, weeks until a new hire is productive – from which
   the explicit amounts are computed (:func:`derive_amounts`). Every assumption is a
   named field with a default and help text (:func:`describe_assumptions`), and the
   result carries the assumptions it was computed from, so a page can show and edit them.

How the derived defaults reproduce the seed
-------------------------------------------
The seed states only its results, so its assumptions have to be backed out:

* Months are counted as 30 days (the seed's "3 months" is a 90-day quarter), weeks as 7.
* Gross salary 90,000 = 3 months × 30,000. The employer pays the full salary whether the
  employee works, is sick, or is under notice (a salaried employee keeps the salary while
  sick; the employer gets the sickness benefit as a refund). In the dismissal scenario
  the notice period is assumed to cover the whole period, as in the seed.
* Refund 52,500 (full-time sick, and dismissed while sick): 90 days − the 30-day employer
  period leaves 60 refund days, and 52,500 / 60 = 875 kr a day = **6,125 kr a week**.
  That rate reproduces the seed exactly. The real refund is capped at the maximum sickness
  benefit rate, which changes every year and is not held here: no source of this module
  gives it, so the help text names no figure. The other reading – the 3 months come
  *after* the employer period, i.e. 13 refund weeks – needs 52,500 / 13 ≈ 4,038 kr a week.
  In this module's 30-day months that reading is
  ``employer_period_days=0`` with 52,500 × 7 / 90 ≈ 4,083 kr a week (``weekly_refund_rate=4083``
  gives 52,496 kr: under that reading the seed's 52,500 is rounded).
* Refund 27,000 (part-time sick) is **not** derivable: at a 50 % absence share it would be
  half of 52,500 = 26,250, and 27,000 / 52,500 = 18/35 ≈ 0.514 is not a share anyone
  would assume. The seed's 27,000 looks rounded (up by 750 kr). With the defaults the
  derived part-time column is refund 26,250, net 63,750, total 108,750 and extra cost
  18,750 instead of the seed's 27,000 / 63,000 / 108,000 / 18,000.
* Temp 90,000 (full-time) = the whole salary, so the temp costs **1.0 × salary**; temp
  45,000 (part-time) = 0.5 absence share × 90,000.
* Dismiss and hire: temp 30,000 = one month until the replacement is in place; the
  replacement is paid the same salary for the remaining two months (60,000). One month is
  30/7 ≈ 4.29 weeks; the default ``new_hire_weeks`` is a round **4 weeks**, which splits
  the same 90,000 as temp 28,000 + new salary 62,000. Because the temp costs 1.0 × salary
  and the replacement earns the same salary, the split does not change the totals:
  extra costs 126,000, employer total 163,500, extra cost 73,500 – as in the seed.
  (Pass ``new_hire_weeks=Fraction(30, 7)`` for the seed's exact split.)
* Recruitment 36,000 is a flat amount (1.2 months' salary); it is kept as an amount.

So with the defaults the derived mode matches the seed exactly in the in-job, full-time
and dismiss columns' totals, and is off by 750 kr in the part-time column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

SCENARIOS: tuple[str, ...] = ("in_job", "part_time_sick", "full_time_sick", "dismiss_and_hire")
ROWS: tuple[str, ...] = (
    "gross_salary",
    "refund",
    "net_salary_cost",
    "temp",
    "recruitment",
    "new_employee_salary",
    "extra_costs",
    "employer_total",
    "extra_cost_of_sick_listing",
)

# The seed counts its "3 months" as 90 days; a 30-day month keeps the employer period
# (counted in calendar days) and the refund on the same footing.
DAYS_PER_MONTH = 30
DAYS_PER_WEEK = 7
# A temp from an agency often costs more than the salary, so the temp "share" may exceed 1;
# above three times the salary it is almost certainly a typing error.
MAX_TEMP_COST_SHARE = 3

Number = int | Decimal | Fraction | float


class BusinessCaseError(ValueError):
    """Input the calculator cannot use; the message is meant for the user, in English."""


# --- Small helpers -----------------------------------------------------------------------


def _exact(value: Any, name: str) -> Fraction:
    """The value as an exact fraction, so 6,125 × 60 / 7 is 52,500 and not 52,499.99…"""
    # bool is an int subclass; True as an amount is always a bug in the caller.
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, Fraction, float)):
        raise BusinessCaseError(f"{name} must be a number, got {value!r}.")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BusinessCaseError(f"{name} must be a finite number, got {value!r}.")
        # Through str, so 0.1 means one tenth and not the binary float next to it.
        value = Decimal(str(value))
    if isinstance(value, Decimal) and not value.is_finite():
        raise BusinessCaseError(f"{name} must be a finite number, got {value!r}.")
    return Fraction(value)


def _non_negative(value: Any, name: str) -> Fraction:
    exact = _exact(value, name)
    if exact < 0:
        raise BusinessCaseError(f"{name} must not be negative, got {value}.")
    return exact


def _kroner(value: Any, name: str) -> int:
    """A non-negative whole number of kroner."""
    exact = _non_negative(value, name)
    if exact.denominator != 1:
        raise BusinessCaseError(f"{name} must be a whole number of kroner, got {value}.")
    return int(exact)


def _round_kroner(value: Fraction) -> int:
    """Round half up to whole kroner (all amounts here are non-negative)."""
    return math.floor(value + Fraction(1, 2))


def _plain(value: Any) -> int | float:
    """A JSON-friendly number: an int when whole, else a float (for display only)."""
    exact = _exact(value, "value")
    return int(exact) if exact.denominator == 1 else float(exact)


# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioResult:
    """One column of the table, in kroner. Build it with :meth:`compute` so the identities hold."""

    gross_salary: int
    refund: int
    net_salary_cost: int
    temp: int
    recruitment: int
    new_employee_salary: int
    extra_costs: int
    employer_total: int
    extra_cost_of_sick_listing: int

    @classmethod
    def compute(
        cls,
        *,
        gross_salary: int,
        refund: int,
        temp: int = 0,
        recruitment: int = 0,
        new_employee_salary: int = 0,
        baseline_total: int | None = None,
    ) -> ScenarioResult:
        """The column from its five input cells; ``baseline_total`` is the in-job total (None: this is it)."""
        net = gross_salary - refund
        extra = temp + recruitment + new_employee_salary
        total = net + extra
        return cls(
            gross_salary=gross_salary,
            refund=refund,
            net_salary_cost=net,
            temp=temp,
            recruitment=recruitment,
            new_employee_salary=new_employee_salary,
            extra_costs=extra,
            employer_total=total,
            extra_cost_of_sick_listing=total - (total if baseline_total is None else baseline_total),
        )

    def as_dict(self) -> dict[str, int]:
        return {row: getattr(self, row) for row in ROWS}


# --- Mode 1: explicit amounts ------------------------------------------------------------


@dataclass(frozen=True)
class ExplicitAmounts:
    """The input cells of the table. The defaults are the worked example (3 months at 30,000 kr).

    The gross salary is the same in every scenario: the employer pays the employee's salary
    throughout (working, sick, or under notice). In job there is no refund and no temp;
    recruitment and a new employee only arise when dismissing.
    """

    gross: int = 90_000
    refund_part: int = 27_000
    refund_full: int = 52_500
    refund_dismiss: int = 52_500
    temp_part: int = 45_000
    temp_full: int = 90_000
    temp_dismiss: int = 30_000
    recruitment: int = 36_000
    new_salary: int = 60_000

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            # Exactly int: a Decimal or float here would leak into the integer outputs.
            if isinstance(value, bool) or not isinstance(value, int):
                raise BusinessCaseError(f"{f.name} must be a whole number of kroner, got {value!r}.")
            if value < 0:
                raise BusinessCaseError(f"{f.name} must not be negative, got {value}.")
        for name in ("refund_part", "refund_full", "refund_dismiss"):
            refund = getattr(self, name)
            if refund > self.gross:
                # The refund reimburses salary paid; it cannot exceed it (and a negative
                # net salary cost would make the table meaningless).
                raise BusinessCaseError(
                    f"{name} ({refund}) cannot exceed the gross salary ({self.gross}): "
                    "the refund only reimburses salary the employer has paid."
                )

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --- Mode 2: derived from a few facts ----------------------------------------------------


def _assumption(default: Any, unit: str, label: str, help_text: str) -> Any:
    return field(default=default, metadata={"unit": unit, "label": label, "help": help_text})


@dataclass(frozen=True)
class Assumptions:
    """The facts the derived mode starts from. Defaults are backed out of the worked example (see module doc).

    Numbers may be int, Decimal, Fraction or float; amounts in kroner must be whole.
    """

    monthly_salary: int = _assumption(
        30_000,
        "kr/month",
        "Monthly gross salary",
        "The employee's gross monthly salary. The replacement is assumed to earn the same.",
    )
    period_months: Number = _assumption(
        3,
        "months",
        "Period",
        "The period compared, in months of 30 days. In the dismissal scenario the notice "
        "period is assumed to cover it, so the old salary is paid throughout.",
    )
    weekly_refund_rate: int = _assumption(
        6_125,
        "kr/week",
        "Weekly sickness-benefit refund",
        "Sickness benefit refunded to the employer per week of full-time absence (the "
        "maximum rate unless the salary is lower). 6,125 reproduces the worked example's 52,500. "
        "The maximum rate changes every year and Fasthold does not hold it: look up the current rate "
        "for a real estimate.",
    )
    part_time_absence_share: Number = _assumption(
        Decimal("0.5"),
        "share 0–1",
        "Absence when part-time sick",
        "The share of working hours the employee is absent in the part-time scenario; it "
        "scales both the refund and the temp.",
    )
    employer_period_days: int = _assumption(
        30,
        "days",
        "Employer period without refund",
        "Calendar days at the start of the absence for which the employer gets no refund "
        "(arbejdsgiverperioden, 30 days). 0 models a §56 agreement (chronic illness), where "
        "the refund starts from the first day.",
    )
    temp_cost_share: Number = _assumption(
        Decimal("1"),
        "× salary",
        "Temp cost",
        "What a temp costs per period of full-time cover, as a share of the employee's "
        f"salary (may exceed 1 for an agency temp, at most {MAX_TEMP_COST_SHARE}).",
    )
    recruitment_cost: int = _assumption(
        36_000,
        "kr",
        "Recruitment cost",
        "The cost of recruiting a replacement: advertising, interviews, the manager's time.",
    )
    new_hire_weeks: Number = _assumption(
        4,
        "weeks",
        "Weeks until a new hire is productive",
        "Weeks from the dismissal until a replacement is in place; a temp covers them, and "
        "the replacement is paid for the rest of the period.",
    )

    def __post_init__(self) -> None:
        for name in ("monthly_salary", "weekly_refund_rate", "recruitment_cost"):
            _kroner(getattr(self, name), name)
        months = _non_negative(self.period_months, "period_months")
        if months == 0:
            raise BusinessCaseError("period_months must be more than 0.")
        employer_days = _non_negative(self.employer_period_days, "employer_period_days")
        if employer_days.denominator != 1:
            raise BusinessCaseError(
                f"employer_period_days must be a whole number of days, got {self.employer_period_days}."
            )
        if months * DAYS_PER_MONTH < employer_days:
            raise BusinessCaseError(
                f"The period ({_plain(months * DAYS_PER_MONTH)} days) is shorter than the employer "
                f"period ({int(employer_days)} days): there would be nothing to refund. "
                "Lengthen the period or shorten the employer period."
            )
        share = _exact(self.part_time_absence_share, "part_time_absence_share")
        if not 0 <= share <= 1:
            raise BusinessCaseError(
                f"part_time_absence_share must be between 0 and 1, got {self.part_time_absence_share}."
            )
        temp_share = _exact(self.temp_cost_share, "temp_cost_share")
        if not 0 <= temp_share <= MAX_TEMP_COST_SHARE:
            raise BusinessCaseError(
                f"temp_cost_share must be between 0 and {MAX_TEMP_COST_SHARE}, got {self.temp_cost_share}."
            )
        _non_negative(self.new_hire_weeks, "new_hire_weeks")

    def as_dict(self) -> dict[str, int | float]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class AssumptionInfo:
    """One assumption as a page shows it: the field name doubles as the form field's name."""

    name: str
    value: int | float
    default: int | float
    unit: str
    label: str
    help: str


def describe_assumptions(assumptions: Assumptions | None = None) -> tuple[AssumptionInfo, ...]:
    """Every assumption with its value, default, unit and explanation, in field order."""
    assumptions = Assumptions() if assumptions is None else assumptions
    return tuple(
        AssumptionInfo(
            name=f.name,
            value=_plain(getattr(assumptions, f.name)),
            default=_plain(f.default),
            unit=f.metadata["unit"],
            label=f.metadata["label"],
            help=f.metadata["help"],
        )
        for f in fields(Assumptions)
    )


def derive_amounts(assumptions: Assumptions) -> ExplicitAmounts:
    """The table's input cells from the assumptions, rounded half up to whole kroner."""
    a = assumptions
    salary = Fraction(a.monthly_salary)
    period_days = _exact(a.period_months, "period_months") * DAYS_PER_MONTH
    refund_days = period_days - a.employer_period_days
    daily_salary = salary / DAYS_PER_MONTH
    daily_rate = Fraction(a.weekly_refund_rate) / DAYS_PER_WEEK
    share = _exact(a.part_time_absence_share, "part_time_absence_share")
    temp_share = _exact(a.temp_cost_share, "temp_cost_share")

    gross = daily_salary * period_days
    # The refund is the lower of the sickness benefit and the salary paid for the absent
    # time: an employer is never refunded more than it paid.
    full_refund = min(daily_rate, daily_salary) * refund_days
    # The employer period runs in calendar days whatever the hours, so the part-time
    # refund is the same refund days at the absent share of the hours.
    part_refund = full_refund * share
    # Cover starts on the first day of absence: the employer period needs a temp too.
    full_temp = gross * temp_share
    part_temp = full_temp * share
    # A hire slower than the period means the temp covers all of it and nobody new is paid.
    vacancy_days = min(_exact(a.new_hire_weeks, "new_hire_weeks") * DAYS_PER_WEEK, period_days)
    dismiss_temp = daily_salary * temp_share * vacancy_days
    new_salary = daily_salary * (period_days - vacancy_days)

    return ExplicitAmounts(
        gross=_round_kroner(gross),
        refund_part=_round_kroner(part_refund),
        refund_full=_round_kroner(full_refund),
        refund_dismiss=_round_kroner(full_refund),
        temp_part=_round_kroner(part_temp),
        temp_full=_round_kroner(full_temp),
        temp_dismiss=_round_kroner(dismiss_temp),
        recruitment=a.recruitment_cost,
        new_salary=_round_kroner(new_salary),
    )


# --- The calculation ---------------------------------------------------------------------


@dataclass(frozen=True)
class BusinessCase:
    """The four scenarios, the amounts they came from and, in derived mode, the assumptions."""

    in_job: ScenarioResult
    part_time_sick: ScenarioResult
    full_time_sick: ScenarioResult
    dismiss_and_hire: ScenarioResult
    amounts: ExplicitAmounts
    assumptions: Assumptions | None = None

    @property
    def scenarios(self) -> Mapping[str, ScenarioResult]:
        return {name: getattr(self, name) for name in SCENARIOS}

    def to_dict(self) -> dict[str, Any]:
        """``{"scenarios": {...}}`` – the CLI's contract – plus ``assumptions`` in derived mode."""
        data: dict[str, Any] = {"scenarios": {name: s.as_dict() for name, s in self.scenarios.items()}}
        if self.assumptions is not None:
            data["assumptions"] = self.assumptions.as_dict()
        return data


def calculate(amounts: ExplicitAmounts | None = None) -> BusinessCase:
    """The table from explicit amounts; with none, the worked example's."""
    amounts = ExplicitAmounts() if amounts is None else amounts
    in_job = ScenarioResult.compute(gross_salary=amounts.gross, refund=0)

    def against_in_job(refund, temp, **costs) -> ScenarioResult:
        return ScenarioResult.compute(
            gross_salary=amounts.gross, refund=refund, temp=temp, baseline_total=in_job.employer_total, **costs
        )

    return BusinessCase(
        in_job=in_job,
        part_time_sick=against_in_job(amounts.refund_part, amounts.temp_part),
        full_time_sick=against_in_job(amounts.refund_full, amounts.temp_full),
        dismiss_and_hire=against_in_job(
            amounts.refund_dismiss,
            amounts.temp_dismiss,
            recruitment=amounts.recruitment,
            new_employee_salary=amounts.new_salary,
        ),
        amounts=amounts,
    )


def calculate_derived(assumptions: Assumptions | None = None) -> BusinessCase:
    """The table from the assumptions (default: those backed out of the worked example), carrying them along."""
    assumptions = Assumptions() if assumptions is None else assumptions
    return replace(calculate(derive_amounts(assumptions)), assumptions=assumptions)
