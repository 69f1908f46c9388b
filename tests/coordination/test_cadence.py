"""The pure cadence rules: when the next contact is due, and when it is overdue."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fasthold.coordination import cadence
from fasthold.coordination.cadence import Cadence, due_date, next_contact

D = dt.date
SICK = D(2026, 3, 2)  # a Monday


def test_no_contact_no_agreement_first_contact_two_days_after_the_first_sick_day():
    assert due_date(SICK, None, None) == D(2026, 3, 4)
    # An agreement does not replace the first contact.
    assert due_date(SICK, Cadence(7), None) == D(2026, 3, 4)


def test_without_agreement_after_a_contact_every_third_week():
    assert due_date(SICK, None, D(2026, 3, 3)) == D(2026, 3, 24)


def test_with_agreement_one_cadence_after_the_last_contact():
    assert due_date(SICK, Cadence(14), D(2026, 3, 10)) == D(2026, 3, 24)


def test_lighter_start_then_weekly():
    lighter = Cadence(7, start_weeks=2, start_every_days=14)  # period ends 16 March
    # Contact on day 1: next at the earlier of +14 (17 March) and end of the period +7 (23 March).
    assert due_date(SICK, lighter, D(2026, 3, 3)) == D(2026, 3, 17)
    # Contact on day 10: +14 would be 26 March; the weekly rhythm after the period wins (23 March).
    assert due_date(SICK, lighter, D(2026, 3, 12)) == D(2026, 3, 23)
    # After the period: weekly.
    assert due_date(SICK, lighter, D(2026, 3, 20)) == D(2026, 3, 27)


def test_closer_start_then_every_third_week():
    closer = Cadence(21, start_weeks=1, start_every_days=2)
    assert due_date(SICK, closer, D(2026, 3, 4)) == D(2026, 3, 6)
    assert due_date(SICK, closer, D(2026, 3, 10)) == D(2026, 3, 31)


def test_contacts_before_the_first_sick_day_do_not_count():
    assert due_date(SICK, Cadence(7), D(2026, 2, 20)) == D(2026, 3, 4)


def test_overdue_the_day_after_the_due_date_not_on_it():
    on_day = next_contact(first_sick_day=SICK, cadence=None, last_contact=None, today=D(2026, 3, 4))
    assert (on_day.overdue, on_day.days_overdue) == (False, 0)
    late = next_contact(first_sick_day=SICK, cadence=None, last_contact=None, today=D(2026, 3, 9))
    assert (late.due, late.overdue, late.days_overdue) == (D(2026, 3, 4), True, 5)


def test_cadence_errors():
    assert cadence.cadence_errors(Cadence(14)) == []
    assert cadence.cadence_errors(Cadence(0)) == ["cadence_range"]
    assert cadence.cadence_errors(Cadence(365)) == ["cadence_range"]
    assert cadence.cadence_errors(Cadence(7, 2, None)) == ["start_incomplete"]
    assert cadence.cadence_errors(Cadence(7, None, 14)) == ["start_incomplete"]
    assert cadence.cadence_errors(Cadence(7, 0, 14)) == ["start_weeks_range"]
    assert cadence.cadence_errors(Cadence(7, 2, 500)) == ["start_cadence_range"]
    assert cadence.cadence_errors(Cadence(7, 2, 14)) == []


def test_module_is_pure():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(cadence))
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    assert not any(m and m.startswith("django") for m in modules)


days = st.integers(min_value=cadence.MIN_CADENCE_DAYS, max_value=cadence.MAX_CADENCE_DAYS)
cadences = st.one_of(
    st.none(),
    st.builds(Cadence, days),
    st.builds(Cadence, days, st.integers(1, cadence.MAX_START_WEEKS), days),
)
sick_days = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))
offsets = st.integers(min_value=0, max_value=400)


@given(sick_days, cadences, offsets)
def test_the_next_contact_is_after_the_last_and_within_the_longest_cadence(first, rule, offset):
    last = first + dt.timedelta(days=offset)
    due = due_date(first, rule, last)
    assert due > last
    longest = cadence.DEFAULT_CADENCE_DAYS if rule is None else max(rule.every_days, rule.start_every_days or 0)
    assert (due - last).days <= longest


@given(sick_days, cadences, offsets, offsets)
def test_a_later_contact_never_brings_the_due_date_forward(first, rule, a, b):
    early, late = sorted((a, b))
    assert due_date(first, rule, first + dt.timedelta(days=early)) <= due_date(
        first, rule, first + dt.timedelta(days=late)
    )


@given(sick_days, cadences, st.one_of(st.none(), offsets), st.integers(-400, 800))
def test_overdue_exactly_when_today_is_past_the_due_date(first, rule, offset, today_offset):
    last = None if offset is None else first + dt.timedelta(days=offset)
    today = first + dt.timedelta(days=today_offset)
    result = next_contact(first_sick_day=first, cadence=rule, last_contact=last, today=today)
    assert result.due == due_date(first, rule, last)
    assert result.overdue == (today > result.due)
    assert result.days_overdue == max(0, (today - result.due).days)


@given(sick_days, cadences, offsets)
def test_a_contact_today_is_never_overdue(first, rule, offset):
    today = first + dt.timedelta(days=offset)
    assert not next_contact(first_sick_day=first, cadence=rule, last_contact=today, today=today).overdue


@given(sick_days, days, offsets)
def test_without_a_start_period_the_cadence_is_exact(first, every, offset):
    last = first + dt.timedelta(days=offset)
    assert (due_date(first, Cadence(every), last) - last).days == every
