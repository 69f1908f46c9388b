"""The schedule generator: the seed's table, Bodil's phases, holidays, bad input and invariants."""

from datetime import date, timedelta

import holidays as holiday_calendars
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fasthold.schedules.generator import (
    MAX_WEEKS,
    MONDAY_TO_FRIDAY,
    WEEKDAYS,
    Phase,
    Schedule,
    ScheduleError,
    generate_schedule,
    parse_weekdays,
    schedule_from_phases,
)

DANISH_HOLIDAYS = holiday_calendars.country_holidays("DK")
BODIL_DAYS = ("mon", "tue", "thu", "fri")


def seed_schedule(**changes) -> Schedule:
    """The seed's table (000): 2 h on Mon, Tue, Thu, Fri, Wednesday for rest, +0.5 h a week, up to 7 h."""
    options = dict(workdays=MONDAY_TO_FRIDAY, start_hours=2, step_hours=0.5, max_day_hours=7, rest_days=["wed"])
    return generate_schedule(changes.pop("start", date(2026, 1, 5)), **(options | changes))


WORK_WEDNESDAY_REST = {
    "mon": "work",
    "tue": "work",
    "wed": "rest",
    "thu": "work",
    "fri": "work",
    "sat": "off",
    "sun": "off",
}
EASTER_2026_FIRST_WEEK = WORK_WEDNESDAY_REST | {"thu": "holiday", "fri": "holiday", "sun": "holiday"}


def hours_by_weekday(week) -> dict[str, float]:
    return {day.weekday: day.hours for day in week.days}


def kinds_by_weekday(week) -> dict[str, str]:
    return {day.weekday: day.kind for day in week.days}


class TestSeedTable:
    def test_reproduces_the_table_exactly(self):
        schedule = seed_schedule()
        assert len(schedule.weeks) == 11
        for number, week in enumerate(schedule.weeks, start=1):
            level = 2 + 0.5 * (number - 1)
            assert week.number == number
            assert week.start == date(2026, 1, 5) + timedelta(weeks=number - 1)
            assert hours_by_weekday(week) == {
                "mon": level,
                "tue": level,
                "wed": 0,
                "thu": level,
                "fri": level,
                "sat": 0,
                "sun": 0,
            }
            assert kinds_by_weekday(week) == WORK_WEDNESDAY_REST
            assert week.total_hours == 4 * level
            assert week.sick_hours == 37 - 4 * level
        assert [week.total_hours for week in schedule.weeks] == [8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28]

    def test_first_week_matches_the_cli_contract(self):
        week = seed_schedule().to_dict()["weeks"][0]
        assert week["number"] == 1
        assert week["start"] == "2026-01-05"
        assert week["days"][0] == {"date": "2026-01-05", "weekday": "mon", "hours": 2.0, "kind": "work"}
        assert (week["total_hours"], week["share_of_normal"], week["sick_hours"]) == (8.0, 0.216, 29.0)
        assert week["below_partial_minimum"] is False

    def test_share_of_normal_has_three_decimals(self):
        assert [week.share_of_normal for week in seed_schedule().weeks][-1] == round(28 / 37, 3)


class TestBodil:
    """Seed 001: partial return, 10 h a week for 2 weeks, then 15 h a week for 2 weeks."""

    phases = (Phase(10, BODIL_DAYS, 2), Phase(15, BODIL_DAYS, 2))

    def test_weekly_hours_follow_the_phases(self):
        schedule = schedule_from_phases(date(2026, 1, 19), self.phases)
        assert [week.total_hours for week in schedule.weeks] == [10, 10, 15, 15]
        assert [week.sick_hours for week in schedule.weeks] == [27, 27, 22, 22]
        for week in schedule.weeks[:2]:
            assert [day.hours for day in week.days] == [2.5, 2.5, 0, 2.5, 2.5, 0, 0]
            assert kinds_by_weekday(week)["wed"] == "rest"
        # 15 h over four days in half hours: the earliest days take the odd half hours.
        for week in schedule.weeks[2:]:
            assert [day.hours for day in week.days] == [4, 4, 0, 3.5, 3.5, 0, 0]

    def test_holidays_move_the_phase_hours_to_the_other_days(self):
        schedule = schedule_from_phases(date(2026, 3, 30), self.phases)
        easter = schedule.weeks[0]
        assert kinds_by_weekday(easter) == EASTER_2026_FIRST_WEEK
        assert hours_by_weekday(easter)["mon"] == 5
        assert [week.total_hours for week in schedule.weeks] == [10, 10, 15, 15]

    def test_a_start_midweek_reduces_the_first_week_pro_rata(self):
        schedule = schedule_from_phases(date(2026, 1, 22), self.phases)  # a Thursday
        first = schedule.weeks[0]
        assert [day.weekday for day in first.days] == ["thu", "fri", "sat", "sun"]
        assert first.total_hours == 5
        assert len(schedule.weeks) == 4

    def test_maximum_day_hours_cap_the_phase(self):
        schedule = schedule_from_phases(date(2026, 1, 19), [Phase(15, BODIL_DAYS, 1)], max_day_hours=3)
        assert schedule.weeks[0].total_hours == 12


class TestHolidays:
    def test_easter_2026_dates_come_from_the_holidays_package(self):
        easter = [date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 5), date(2026, 4, 6)]
        assert all(day in DANISH_HOLIDAYS for day in easter)
        assert date(2026, 4, 1) not in DANISH_HOLIDAYS and date(2026, 4, 7) not in DANISH_HOLIDAYS

    def test_easter_days_are_holidays_not_work(self):
        schedule = seed_schedule(start=date(2026, 3, 30))
        first, second = schedule.weeks[:2]
        assert kinds_by_weekday(first) == EASTER_2026_FIRST_WEEK
        assert first.total_hours == 4
        # The employee is still sick-listed on a holiday, so it counts as sick hours.
        assert first.sick_hours == 33
        assert kinds_by_weekday(second)["mon"] == "holiday"
        assert second.total_hours == 3 * 2.5
        assert len(schedule.weeks) == 11

    def test_holidays_can_be_switched_off(self):
        first = seed_schedule(start=date(2026, 3, 30), holidays="none").weeks[0]
        assert kinds_by_weekday(first)["thu"] == "work"
        assert first.total_hours == 8


class TestOptions:
    def test_a_start_midweek_leaves_out_the_earlier_days_but_counts_as_a_step(self):
        schedule = seed_schedule(start=date(2026, 1, 8))
        first, second = schedule.weeks[:2]
        assert first.start == date(2026, 1, 8)
        assert [day.weekday for day in first.days] == ["thu", "fri", "sat", "sun"]
        assert first.total_hours == 4
        assert second.start == date(2026, 1, 12)
        assert hours_by_weekday(second)["mon"] == 2.5

    def test_step_weeks_hold_each_level(self):
        schedule = seed_schedule(step_weeks=2)
        assert [hours_by_weekday(week)["mon"] for week in schedule.weeks[:5]] == [2, 2, 2.5, 2.5, 3]
        assert len(schedule.weeks) == 21

    def test_rest_days_end_at_the_maximum_and_may_start_lower(self):
        schedule = seed_schedule(step_hours=1, rest_days_end="at_max", rest_day_start_hours=3)
        wednesdays = [(week.days[2].kind, week.days[2].hours) for week in schedule.weeks]
        assert wednesdays[5:] == [("rest", 0), ("work", 3), ("work", 4), ("work", 5), ("work", 6), ("work", 7)]
        assert schedule.weeks[-1].total_hours == 35
        assert schedule.weeks[-1].below_partial_minimum is True

    def test_maximum_consecutive_days_insert_rest(self):
        schedule = generate_schedule(
            date(2026, 1, 5),
            workdays=MONDAY_TO_FRIDAY,
            start_hours=2,
            step_hours=1,
            max_day_hours=4,
            max_consecutive_days=2,
        )
        assert [day.kind for day in schedule.weeks[0].days[:5]] == ["work", "work", "rest", "work", "work"]

    def test_target_ends_the_schedule_early(self):
        schedule = seed_schedule(target_week_hours=20)
        assert [week.total_hours for week in schedule.weeks][-1] == 20
        assert len(schedule.weeks) == 7

    def test_an_end_date_holds_the_maximum_until_then(self):
        schedule = seed_schedule(end_date=date(2026, 4, 1))
        assert schedule.days[-1].date == date(2026, 4, 1)
        assert [week.total_hours for week in schedule.weeks][10:] == [28, 28, 14]

    def test_an_end_date_may_stop_before_the_maximum(self):
        schedule = seed_schedule(end_date=date(2026, 1, 18))
        assert [week.total_hours for week in schedule.weeks] == [8, 10]

    def test_rounding_to_the_quantum(self):
        schedule = seed_schedule(start_hours=2.2, step_hours=0.3)
        assert [hours_by_weekday(week)["mon"] for week in schedule.weeks[:4]] == [2, 2.5, 3, 3]

    def test_weeks_with_under_four_sick_hours_are_flagged(self):
        schedule = generate_schedule(
            date(2026, 1, 5), workdays=MONDAY_TO_FRIDAY, start_hours=6, step_hours=0.5, max_day_hours=7
        )
        assert [(week.sick_hours, week.below_partial_minimum) for week in schedule.weeks] == [
            (7, False),
            (4.5, False),
            (2, True),
        ]


BAD_INPUT = {
    "start hours above the maximum": dict(start_hours=8),
    "zero step": dict(step_hours=0),
    "target never reached": dict(target_week_hours=30),
    "target above normal": dict(target_week_hours=40, rest_days_end="at_max"),
    "no working days": dict(workdays=[]),
    "unknown weekday": dict(workdays=["mon", "funday"]),
    "rest day not a working day": dict(workdays=["mon", "tue"], rest_days=["wed"]),
    "as many rest days as working days": dict(workdays=["mon", "tue"], rest_days=["mon", "tue"]),
    "end before start": dict(end_date=date(2026, 1, 4)),
    "negative start hours": dict(start_hours=-1),
    "negative step": dict(step_hours=-0.5),
    "negative maximum": dict(max_day_hours=-7),
    "negative normal hours": dict(normal_week_hours=-37),
    "zero quantum": dict(quantum=0),
    "not a number": dict(start_hours=float("nan")),
    "zero step weeks": dict(step_weeks=0),
    "zero consecutive days": dict(max_consecutive_days=0),
    "unknown rest end": dict(rest_days_end="sometimes"),
    "rest day start above maximum": dict(rest_days_end="at_max", rest_day_start_hours=8),
    "unknown holidays": dict(holidays="se"),
    "above normal hours": dict(max_day_hours=10, start_hours=10, rest_days=[]),
    "too many weeks to the maximum": dict(step_hours=0.01),
    "end date too far": dict(end_date=date(2029, 1, 1)),
}


@pytest.mark.parametrize("changes", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_raises_a_short_message(changes):
    with pytest.raises(ScheduleError) as raised:
        seed_schedule(**changes)
    message = str(raised.value)
    assert message and "\n" not in message and len(message) < 80


BAD_PHASES = {
    "no phases": [],
    "zero hours": [Phase(0, BODIL_DAYS, 2)],
    "negative hours": [Phase(-10, BODIL_DAYS, 2)],
    "above normal": [Phase(40, BODIL_DAYS, 2)],
    "zero weeks": [Phase(10, BODIL_DAYS, 0)],
    "no days": [Phase(10, (), 2)],
    "day not a working day": [Phase(10, ("sat",), 2)],
    "too many weeks": [Phase(10, BODIL_DAYS, MAX_WEEKS + 1)],
}


@pytest.mark.parametrize("phases", BAD_PHASES.values(), ids=BAD_PHASES.keys())
def test_bad_phases_raise(phases):
    with pytest.raises(ScheduleError):
        schedule_from_phases(date(2026, 1, 19), phases)


def test_weekdays_parse_in_calendar_order():
    assert parse_weekdays(" Fri,mon, ,tue,mon") == ("mon", "tue", "fri")
    with pytest.raises(ScheduleError):
        parse_weekdays("mon,blursday")


def test_schedule_error_is_a_value_error():
    assert issubclass(ScheduleError, ValueError)


def test_a_schedule_past_the_end_of_the_calendar_is_refused_not_an_overflow():
    # Kurt's demo schedule (the guide's 15 hours a week for 4 weeks) started on the last day there is.
    with pytest.raises(ScheduleError, match="past the end of the calendar"):
        schedule_from_phases(date(9999, 12, 31), [Phase(15, MONDAY_TO_FRIDAY, 4)], holidays="none")
    with pytest.raises(ScheduleError, match="past the end of the calendar"):
        seed_schedule(start=date(9999, 12, 20), holidays="none")


# Property tests ---------------------------------------------------------------------------------

dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31))
quarter_hours = st.integers(min_value=1, max_value=40).map(lambda quarters: quarters / 4)


@st.composite
def escalations(draw) -> dict:
    workdays = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    rest_days = draw(st.lists(st.sampled_from(workdays), max_size=len(workdays) - 1, unique=True))
    max_day = draw(quarter_hours.filter(lambda hours: hours * len(workdays) <= 37))
    start_hours = draw(quarter_hours.filter(lambda hours: hours <= max_day))
    options = dict(
        workdays=workdays,
        rest_days=rest_days,
        start_hours=start_hours,
        max_day_hours=max_day,
        step_hours=draw(st.sampled_from([0.25, 0.5, 1, 1.5])),
        step_weeks=draw(st.integers(min_value=1, max_value=3)),
        max_consecutive_days=draw(st.none() | st.integers(min_value=1, max_value=6)),
        rest_days_end=draw(st.sampled_from(["never", "at_max"])),
        rest_day_start_hours=draw(st.none() | quarter_hours.filter(lambda hours: hours <= max_day)),
        holidays=draw(st.sampled_from(["dk", "none"])),
        quantum=draw(st.sampled_from([0.25, 0.5, 1])),
    )
    start = draw(dates)
    if draw(st.booleans()):
        options["end_date"] = start + timedelta(days=draw(st.integers(min_value=0, max_value=400)))
    return {"start": start, **options}


@st.composite
def phase_plans(draw) -> dict:
    workdays = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=7, unique=True))
    phase = st.builds(
        Phase,
        week_hours=st.integers(min_value=1, max_value=74).map(lambda halves: halves / 2),
        days=st.lists(st.sampled_from(workdays), min_size=1, unique=True).map(tuple),
        weeks=st.integers(min_value=1, max_value=6),
    )
    return {
        "start": draw(dates),
        "phases": draw(st.lists(phase, min_size=1, max_size=5)),
        "workdays": workdays,
        "max_day_hours": draw(st.none() | quarter_hours),
        "holidays": draw(st.sampled_from(["dk", "none"])),
    }


def escalation_or_reject(options: dict) -> Schedule:
    try:
        return generate_schedule(**options)
    except ScheduleError as error:
        # Slow escalations can need more than the cap (refused, never looped over), and a small
        # maximum can fall below a coarse quantum.
        assert "longer than" in str(error) or "below the rounding quantum" in str(error)
        assume(False)


def assert_calendar_invariants(schedule: Schedule, start: date, holidays: str) -> None:
    days = schedule.days
    assert days[0].date == start
    assert [day.date for day in days] == [start + timedelta(days=offset) for offset in range(len(days))]
    assert [week.number for week in schedule.weeks] == list(range(1, len(schedule.weeks) + 1))
    assert len(schedule.weeks) <= MAX_WEEKS
    for week in schedule.weeks:
        mondays = {day.date - timedelta(days=day.date.weekday()) for day in week.days}
        assert len(mondays) == 1 and week.start == week.days[0].date
        assert week.total_hours <= schedule.normal_week_hours
        assert week.total_hours == sum(day.hours for day in week.days)
    for day in days:
        assert day.weekday == WEEKDAYS[day.date.weekday()]
        assert (day.kind == "work") == (day.hours > 0)
        if holidays == "dk" and day.date in DANISH_HOLIDAYS:
            assert day.kind == "holiday" and day.hours == 0


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])


@PROPERTY_SETTINGS
@given(escalations())
def test_generated_schedules_keep_the_calendar_invariants(options):
    schedule = escalation_or_reject(options)
    assert_calendar_invariants(schedule, options["start"], options["holidays"])
    if "end_date" in options:
        assert schedule.days[-1].date == options["end_date"]
    else:
        assert schedule.days[-1].date.weekday() == 6


@PROPERTY_SETTINGS
@given(escalations())
def test_generated_hours_never_decrease(options):
    # Per weekday, since holidays, a midweek start and restarted rest days lower a week's total.
    schedule = escalation_or_reject(options)
    for weekday in WEEKDAYS:
        hours = [day.hours for day in schedule.days if day.weekday == weekday and day.kind == "work"]
        assert hours == sorted(hours)


@PROPERTY_SETTINGS
@given(phase_plans())
def test_phase_schedules_keep_the_calendar_invariants(plan):
    schedule = schedule_from_phases(**plan)
    assert_calendar_invariants(schedule, plan["start"], plan["holidays"])
    assert len(schedule.weeks) == sum(phase.weeks for phase in plan["phases"])


@PROPERTY_SETTINGS
@given(phase_plans())
def test_full_phase_weeks_sum_to_the_phase_hours(plan):
    schedule = schedule_from_phases(**plan)
    weekly = [phase for phase in plan["phases"] for _ in range(phase.weeks)]
    for week, phase in zip(schedule.weeks, weekly):
        phase_days = [day for day in week.days if day.weekday in phase.days]
        if len(phase_days) == len(phase.days) and all(day.kind == "work" for day in phase_days):
            if plan["max_day_hours"] is None:
                assert week.total_hours == phase.week_hours
            else:
                assert week.total_hours <= phase.week_hours
