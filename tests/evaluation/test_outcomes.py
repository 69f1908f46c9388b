"""Sustained return, recurrence and follow-up dates (pure), and the dataset a program's analysis reads."""

import datetime as dt

from fasthold.evaluation import outcomes

MON = dt.date(2026, 1, 5)  # a Monday (ISO week 2026-W02)


def weeks(*statuses, start=MON):
    return [(start + dt.timedelta(weeks=i), s) for i, s in enumerate(statuses)]


def test_sustained_return_is_the_first_of_four_weeks_without_benefit():
    data = weeks("sickness", "sickness", "none", "none", "none", "none", "none")
    assert outcomes.sustained_return(data) == MON + dt.timedelta(weeks=2)


def test_three_weeks_then_sickness_again_is_not_sustained():
    data = weeks("sickness", "none", "none", "none", "sickness", "none", "none", "none", "none")
    assert outcomes.sustained_return(data) == MON + dt.timedelta(weeks=5)
    assert outcomes.sustained_return(weeks("none", "none", "none", "sickness")) is None


def test_a_missing_week_breaks_the_run_and_the_run_length_is_a_parameter():
    data = [
        (MON, "none"),
        (MON + dt.timedelta(weeks=1), "none"),
        (MON + dt.timedelta(weeks=3), "none"),
        (MON + dt.timedelta(weeks=4), "none"),
    ]
    assert outcomes.sustained_return(data) is None
    assert outcomes.sustained_return(data, run=2) == MON
    # Order of the input does not matter.
    assert outcomes.sustained_return(list(reversed(weeks("none", "none", "none", "none")))) == MON


def test_other_benefits_are_not_self_support():
    assert outcomes.sustained_return(weeks("flexjob", "flexjob", "flexjob", "flexjob", "flexjob")) is None


def test_recurrence_is_sickness_benefit_within_a_year_after_the_return():
    data = weeks(*(["none"] * 10 + ["unemployment", "sickness"]))
    assert outcomes.recurrence(data, MON) == MON + dt.timedelta(weeks=11)
    late = [(MON + dt.timedelta(weeks=60), "sickness")]
    assert outcomes.recurrence(late, MON) is None


def test_follow_up_dates_keep_to_the_month_end():
    assert outcomes.follow_up_dates(dt.date(2026, 11, 30)) == [
        (3, dt.date(2027, 2, 28)),
        (6, dt.date(2027, 5, 30)),
        (12, dt.date(2027, 11, 30)),
    ]
    assert outcomes.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_iso_weeks():
    assert outcomes.iso_monday(2026, 2) == MON
    assert outcomes.iso_monday(2026, 53) == dt.date(2026, 12, 28)  # 2026 has 53 ISO weeks
    try:
        outcomes.iso_monday(2025, 53)
    except ValueError:
        pass
    else:
        raise AssertionError("2025 has no week 53")


def test_components_count():
    c = outcomes.components(
        first_sick_day=MON,
        first_contact=MON + dt.timedelta(days=14),
        has_agreement=False,
        contacts=3,
        joint_meeting=False,
        employer_participates=False,
        has_schedule=True,
        health_professional=False,
    )
    assert (c.early_contact, c.coordination, c.workplace, c.gradual, c.interdisciplinary, c.count) == (
        True,
        True,
        False,
        True,
        False,
        3,
    )
    late = outcomes.components(
        first_sick_day=MON,
        first_contact=MON + dt.timedelta(days=15),
        has_agreement=False,
        contacts=0,
        joint_meeting=True,
        employer_participates=False,
        has_schedule=False,
        health_professional=True,
    )
    assert (late.early_contact, late.workplace, late.count) == (False, True, 2)
