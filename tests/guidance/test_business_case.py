"""The business-case calculator: the worked example's table, the derived mode, the identities, bad input."""

from __future__ import annotations

import ast
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fasthold.guidance import business_case as bc
from fasthold.guidance.business_case import (
    ROWS,
    SCENARIOS,
    Assumptions,
    BusinessCaseError,
    ExplicitAmounts,
    calculate,
    calculate_derived,
    derive_amounts,
    describe_assumptions,
)

# The worked example's table, row by row (in job, part-time, full-time, dismiss).
SEED_TABLE: dict[str, tuple[int, int, int, int]] = {
    "gross_salary": (90_000, 90_000, 90_000, 90_000),
    "refund": (0, 27_000, 52_500, 52_500),
    "net_salary_cost": (90_000, 63_000, 37_500, 37_500),
    "temp": (0, 45_000, 90_000, 30_000),
    "recruitment": (0, 0, 0, 36_000),
    "new_employee_salary": (0, 0, 0, 60_000),
    "extra_costs": (0, 45_000, 90_000, 126_000),
    "employer_total": (90_000, 108_000, 127_500, 163_500),
    "extra_cost_of_sick_listing": (0, 18_000, 37_500, 73_500),
}


def _column(result: bc.BusinessCase, scenario: str) -> dict[str, int]:
    return result.scenarios[scenario].as_dict()


# --- The seed ------------------------------------------------------------------------------


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("index,scenario", list(enumerate(SCENARIOS)))
def test_seed_table_cell_by_cell(row: str, index: int, scenario: str) -> None:
    assert getattr(calculate().scenarios[scenario], row) == SEED_TABLE[row][index]


def test_seed_defaults_are_the_explicit_amounts_of_the_seed() -> None:
    explicit = ExplicitAmounts(
        gross=90_000,
        refund_part=27_000,
        refund_full=52_500,
        refund_dismiss=52_500,
        temp_part=45_000,
        temp_full=90_000,
        temp_dismiss=30_000,
        recruitment=36_000,
        new_salary=60_000,
    )
    assert explicit == ExplicitAmounts()
    assert calculate(explicit) == calculate()


def test_to_dict_has_the_cli_shape_and_integers_only() -> None:
    data = calculate().to_dict()
    assert list(data) == ["scenarios"]  # no assumptions in explicit mode
    assert list(data["scenarios"]) == list(SCENARIOS)
    for column in data["scenarios"].values():
        assert list(column) == list(ROWS)
        assert all(type(value) is int for value in column.values())


def test_explicit_result_carries_its_amounts_and_no_assumptions() -> None:
    amounts = ExplicitAmounts(gross=100_000)
    result = calculate(amounts)
    assert result.amounts is amounts
    assert result.assumptions is None


def test_own_numbers_change_only_what_they_should() -> None:
    result = calculate(ExplicitAmounts(gross=120_000, recruitment=50_000))
    assert _column(result, "in_job")["employer_total"] == 120_000
    # 120,000 − 52,500 + 30,000 + 50,000 + 60,000
    assert _column(result, "dismiss_and_hire")["employer_total"] == 207_500
    assert _column(result, "dismiss_and_hire")["extra_cost_of_sick_listing"] == 87_500
    assert _column(result, "full_time_sick")["recruitment"] == 0


# --- Derived mode --------------------------------------------------------------------------


def test_derived_defaults_reproduce_the_seed_except_where_the_seed_is_rounded() -> None:
    result = calculate_derived()
    assert _column(result, "in_job") == {row: SEED_TABLE[row][0] for row in ROWS}
    assert _column(result, "full_time_sick") == {row: SEED_TABLE[row][2] for row in ROWS}
    # Part-time: 0.5 × 52,500 = 26,250; the seed's 27,000 is 750 kr rounded up.
    assert _column(result, "part_time_sick") == {
        "gross_salary": 90_000,
        "refund": 26_250,
        "net_salary_cost": 63_750,
        "temp": 45_000,
        "recruitment": 0,
        "new_employee_salary": 0,
        "extra_costs": 45_000,
        "employer_total": 108_750,
        "extra_cost_of_sick_listing": 18_750,
    }
    # Dismiss: 4 weeks (28 days) of temp instead of the seed's month; the same totals.
    dismiss = _column(result, "dismiss_and_hire")
    assert (dismiss["temp"], dismiss["new_employee_salary"]) == (28_000, 62_000)
    for row in (
        "gross_salary",
        "refund",
        "net_salary_cost",
        "recruitment",
        "extra_costs",
        "employer_total",
        "extra_cost_of_sick_listing",
    ):
        assert dismiss[row] == SEED_TABLE[row][3], row


def test_derived_with_one_month_hire_reproduces_the_seed_dismiss_column_exactly() -> None:
    result = calculate_derived(Assumptions(new_hire_weeks=Fraction(30, 7)))
    assert _column(result, "dismiss_and_hire") == {row: SEED_TABLE[row][3] for row in ROWS}


def test_the_seed_refund_is_60_refund_days_at_6125_a_week() -> None:
    # 90 days − 30-day employer period = 60 days; 6,125 / 7 = 875 kr a day; 60 × 875 = 52,500.
    assert derive_amounts(Assumptions()).refund_full == 52_500
    assert derive_amounts(Assumptions(weekly_refund_rate=7_000)).refund_full == 60_000


def test_the_other_reading_of_the_seed_refund_is_rounded() -> None:
    # No employer period inside the 3 months: ≈4,083 kr a week over 90 days gives 52,496.
    amounts = derive_amounts(Assumptions(employer_period_days=0, weekly_refund_rate=4_083))
    assert amounts.refund_full == 52_496


def test_refund_never_exceeds_the_salary_paid() -> None:
    # 10,000 kr a month ≈ 333 kr a day is less than 875 kr a day of sickness benefit.
    amounts = derive_amounts(Assumptions(monthly_salary=10_000))
    assert amounts.refund_full == 20_000  # 60 refund days × 10,000 / 30
    assert amounts.refund_full <= amounts.gross


def test_section_56_agreement_refunds_from_the_first_day() -> None:
    assert derive_amounts(Assumptions(employer_period_days=0)).refund_full == 78_750  # 90 × 875


def test_period_equal_to_the_employer_period_has_no_refund() -> None:
    amounts = derive_amounts(Assumptions(period_months=1))
    assert (amounts.gross, amounts.refund_full, amounts.refund_part) == (30_000, 0, 0)


def test_six_months_part_time_at_40_percent() -> None:
    result = calculate_derived(Assumptions(period_months=6, part_time_absence_share=Decimal("0.4")))
    part = _column(result, "part_time_sick")
    # 180 − 30 = 150 refund days × 875 × 0.4 = 52,500; temp 0.4 × 180,000 = 72,000.
    assert (part["gross_salary"], part["refund"], part["temp"]) == (180_000, 52_500, 72_000)
    assert part["extra_cost_of_sick_listing"] == 19_500


def test_agency_temp_costs_more_than_the_salary() -> None:
    amounts = derive_amounts(Assumptions(temp_cost_share=Decimal("1.25")))
    assert (amounts.temp_full, amounts.temp_part, amounts.temp_dismiss) == (112_500, 56_250, 35_000)


def test_hire_slower_than_the_period_means_temp_throughout() -> None:
    amounts = derive_amounts(Assumptions(new_hire_weeks=20))
    assert (amounts.temp_dismiss, amounts.new_salary) == (90_000, 0)


def test_amounts_round_half_up_to_whole_kroner() -> None:
    # 1 kr a week for 60 days = 8.571… kr → 9; 0.5 share → 4.285… → 4.
    amounts = derive_amounts(Assumptions(weekly_refund_rate=1))
    assert (amounts.refund_full, amounts.refund_part) == (9, 4)


def test_derived_result_carries_its_assumptions() -> None:
    assumptions = Assumptions(monthly_salary=40_000)
    result = calculate_derived(assumptions)
    assert result.assumptions is assumptions
    data = result.to_dict()
    assert list(data) == ["scenarios", "assumptions"]
    assert data["assumptions"] == {
        "monthly_salary": 40_000,
        "period_months": 3,
        "weekly_refund_rate": 6_125,
        "part_time_absence_share": 0.5,
        "employer_period_days": 30,
        "temp_cost_share": 1,
        "recruitment_cost": 36_000,
        "new_hire_weeks": 4,
    }


def test_every_assumption_is_described_for_the_page() -> None:
    infos = describe_assumptions(Assumptions(period_months=6))
    assert [i.name for i in infos] == list(Assumptions().as_dict())
    by_name = {i.name: i for i in infos}
    assert (by_name["period_months"].value, by_name["period_months"].default) == (6, 3)
    for info in infos:
        assert info.label and info.help and info.unit, info.name
    assert describe_assumptions() == describe_assumptions(Assumptions())


# --- Identities for arbitrary inputs -------------------------------------------------------

kroner = st.integers(min_value=0, max_value=10**9)


@st.composite
def explicit_amounts(draw: st.DrawFn) -> ExplicitAmounts:
    gross = draw(kroner)
    refund = st.integers(min_value=0, max_value=gross)  # a refund never exceeds the salary
    return ExplicitAmounts(
        gross=gross,
        refund_part=draw(refund),
        refund_full=draw(refund),
        refund_dismiss=draw(refund),
        temp_part=draw(kroner),
        temp_full=draw(kroner),
        temp_dismiss=draw(kroner),
        recruitment=draw(kroner),
        new_salary=draw(kroner),
    )


def _check_identities(result: bc.BusinessCase) -> None:
    baseline = result.in_job.employer_total
    for name, s in result.scenarios.items():
        assert s.net_salary_cost == s.gross_salary - s.refund, name
        assert s.extra_costs == s.temp + s.recruitment + s.new_employee_salary, name
        assert s.employer_total == s.net_salary_cost + s.extra_costs, name
        assert s.extra_cost_of_sick_listing == s.employer_total - baseline, name
        assert all(type(v) is int for v in s.as_dict().values()), name
    assert result.in_job.extra_cost_of_sick_listing == 0
    assert result.in_job.refund == result.in_job.extra_costs == 0


@given(explicit_amounts())
def test_identities_hold_for_any_explicit_amounts(amounts: ExplicitAmounts) -> None:
    result = calculate(amounts)
    _check_identities(result)
    assert result.part_time_sick.refund == amounts.refund_part
    assert result.dismiss_and_hire.new_employee_salary == amounts.new_salary


shares = st.fractions(min_value=0, max_value=1, max_denominator=1000)


@st.composite
def assumptions(draw: st.DrawFn) -> Assumptions:
    months = draw(st.integers(min_value=1, max_value=24))
    return Assumptions(
        monthly_salary=draw(st.integers(min_value=0, max_value=500_000)),
        period_months=months,
        weekly_refund_rate=draw(st.integers(min_value=0, max_value=20_000)),
        part_time_absence_share=draw(shares),
        employer_period_days=draw(st.integers(min_value=0, max_value=months * 30)),
        temp_cost_share=draw(st.fractions(min_value=0, max_value=3, max_denominator=100)),
        recruitment_cost=draw(kroner),
        new_hire_weeks=draw(st.integers(min_value=0, max_value=200)),
    )


@given(assumptions())
def test_identities_and_bounds_hold_for_any_assumptions(a: Assumptions) -> None:
    result = calculate_derived(a)
    _check_identities(result)
    for s in result.scenarios.values():
        assert 0 <= s.refund <= s.gross_salary
    # Part-time is never worse than full-time on refund or temp (its share is at most 1).
    assert result.part_time_sick.refund <= result.full_time_sick.refund
    assert result.part_time_sick.temp <= result.full_time_sick.temp


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"gross": -1}, "gross must not be negative"),
        ({"temp_part": -5}, "temp_part must not be negative"),
        ({"recruitment": 1.5}, "recruitment must be a whole number of kroner"),
        ({"new_salary": "60000"}, "new_salary must be a whole number of kroner"),
        ({"gross": True}, "gross must be a whole number of kroner"),
        ({"refund_full": 90_001}, "refund_full (90001) cannot exceed the gross salary (90000)"),
    ],
)
def test_bad_explicit_amounts(kwargs: dict, message: str) -> None:
    with pytest.raises(BusinessCaseError) as raised:
        ExplicitAmounts(**kwargs)
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"monthly_salary": -30_000}, "monthly_salary must not be negative"),
        ({"monthly_salary": 30_000.5}, "monthly_salary must be a whole number of kroner"),
        ({"weekly_refund_rate": "6125"}, "weekly_refund_rate must be a number"),
        ({"recruitment_cost": -1}, "recruitment_cost must not be negative"),
        ({"period_months": 0}, "period_months must be more than 0"),
        ({"period_months": -3}, "period_months must not be negative"),
        ({"period_months": Decimal("NaN")}, "period_months must be a finite number"),
        ({"period_months": float("inf")}, "period_months must be a finite number"),
        ({"employer_period_days": -1}, "employer_period_days must not be negative"),
        ({"employer_period_days": Decimal("2.5")}, "employer_period_days must be a whole number of days"),
        ({"period_months": Decimal("0.5")}, "The period (15 days) is shorter than the employer period (30 days)"),
        ({"employer_period_days": 91}, "The period (90 days) is shorter than the employer period (91 days)"),
        ({"part_time_absence_share": Decimal("1.01")}, "part_time_absence_share must be between 0 and 1"),
        ({"part_time_absence_share": -0.1}, "part_time_absence_share must be between 0 and 1"),
        ({"temp_cost_share": -1}, "temp_cost_share must be between 0 and 3"),
        ({"temp_cost_share": 4}, "temp_cost_share must be between 0 and 3"),
        ({"new_hire_weeks": -2}, "new_hire_weeks must not be negative"),
    ],
)
def test_bad_assumptions(kwargs: dict, message: str) -> None:
    with pytest.raises(BusinessCaseError) as raised:
        Assumptions(**kwargs)
    assert message in str(raised.value)


def test_results_are_frozen() -> None:
    result = calculate()
    with pytest.raises(AttributeError):
        result.in_job.gross_salary = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        Assumptions().monthly_salary = 1  # type: ignore[misc]


def test_module_is_pure() -> None:
    # The page, the CLI and the tests share this module; Django must not creep in.
    tree = ast.parse(Path(bc.__file__).read_text())
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "math", "collections", "dataclasses", "decimal", "fractions", "typing"}
