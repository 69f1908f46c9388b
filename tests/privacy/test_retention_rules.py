"""The pure rules of the storage period: month arithmetic and when a case is due."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from fasthold.privacy import retention

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2200, 12, 31))
periods = st.integers(min_value=retention.MIN_RETENTION_MONTHS, max_value=retention.MAX_RETENTION_MONTHS)


def test_month_ends_are_clamped():
    assert retention.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert retention.add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert retention.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert retention.add_months(dt.date(2025, 3, 15), -14) == dt.date(2024, 1, 15)
    assert retention.erasure_due(dt.date(2026, 6, 1), retention.DEFAULT_RETENTION_MONTHS) == dt.date(2031, 6, 1)


@settings(deadline=None)  # pure and quick; a busy test machine is not a failure
@given(days, periods)
def test_due_date_is_the_period_later(closed_on, months):
    due = retention.erasure_due(closed_on, months)
    assert (due.year - closed_on.year) * 12 + due.month - closed_on.month == months
    assert due.day <= closed_on.day
    assert not retention.is_due(closed_on, months, due - dt.timedelta(days=1))
    assert retention.is_due(closed_on, months, due)


@settings(deadline=None)
@given(days, periods, st.integers(min_value=0, max_value=4000))
def test_due_stays_due_and_the_cheap_filter_never_hides_a_due_case(closed_on, months, later):
    today = closed_on + dt.timedelta(days=later)
    if retention.is_due(closed_on, months, today):
        assert retention.is_due(closed_on, months, today + dt.timedelta(days=1))
        assert closed_on <= retention.latest_closure_possibly_due(today)


def test_no_closure_date_is_never_due():
    assert not retention.is_due(None, 12, dt.date(2200, 1, 1))
