"""The pure visitation rules and the prognostic checklist, without a database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fasthold.screening import prognosis
from fasthold.screening import visitation as rules
from fasthold.screening.visitation import CaseFacts, CriterionSpec, SessionRow

FACTS = CaseFacts(
    weeks_since_first_sick_day=6, employment_status="employed", cause_group="mental", cause_category="mental_stress"
)
CRITERIA = [
    CriterionSpec("weeks", rules.INCLUSION, rules.COMPUTED, rules.WEEKS_MAX, "8"),
    CriterionSpec("employed", rules.INCLUSION, rules.COMPUTED, rules.EMPLOYED_NOT_DISMISSED),
    CriterionSpec("stress", rules.INCLUSION, rules.COMPUTED, rules.CAUSE_CATEGORY_IS, "mental_stress"),
    CriterionSpec("danish", rules.INCLUSION, rules.ANSWERED),
    CriterionSpec("depression", rules.EXCLUSION, rules.ANSWERED),
    CriterionSpec("vitamin_d", rules.SOMATIC_CHECK, rules.ANSWERED),
]


def test_all_met_is_eligible():
    ev = rules.evaluate(CRITERIA, FACTS, {"danish": True, "depression": False, "vitamin_d": True})
    assert ev.result == rules.ELIGIBLE and ev.eligible is True
    assert ev.failing == () and ev.missing == ()


def test_unanswered_criteria_leave_the_result_incomplete():
    ev = rules.evaluate(CRITERIA, FACTS, {"danish": True})
    assert ev.result == rules.INCOMPLETE and ev.eligible is None
    assert ev.missing == ("depression", "vitamin_d")


def test_failing_criteria_are_listed_computed_and_answered_alike():
    facts = CaseFacts(9, "notice_or_dismissed", "mental", "mental_depression")
    ev = rules.evaluate(CRITERIA, facts, {"danish": True, "depression": True})
    assert ev.result == rules.NOT_ELIGIBLE
    assert ev.failing == ("weeks", "employed", "stress", "depression")
    # A failing criterion decides even while others are unanswered.
    assert ev.missing == ("vitamin_d",)


def test_weeks_limit_is_inclusive():
    spec = CRITERIA[0]
    assert rules.compute(spec, CaseFacts(8, "employed", "mental", "mental_stress")) is True
    assert rules.compute(spec, CaseFacts(9, "employed", "mental", "mental_stress")) is False


def test_exclusion_fails_on_yes_and_somatic_check_fails_on_no():
    assert rules.passes(rules.EXCLUSION, True) is False
    assert rules.passes(rules.EXCLUSION, False) is True
    assert rules.passes(rules.SOMATIC_CHECK, False) is False
    assert rules.passes(rules.INCLUSION, None) is None


def test_bad_definitions_are_rejected():
    with pytest.raises(rules.VisitationError):
        rules.compute(CriterionSpec("x", rules.INCLUSION, rules.COMPUTED, "shoe_size"), FACTS)
    with pytest.raises(rules.VisitationError):
        rules.compute(CriterionSpec("x", rules.INCLUSION, rules.COMPUTED, rules.WEEKS_MAX, "eight"), FACTS)
    with pytest.raises(rules.VisitationError):
        rules.evaluate([CRITERIA[3]], FACTS, {"danish": "yes"})


def test_random_allocation_is_reproducible_from_the_seed():
    arms = ["intervention", "control"]
    draws = [rules.allocate(arms, seed) for seed in range(200)]
    assert draws == [rules.allocate(arms, seed) for seed in range(200)]
    assert set(draws) == set(arms)
    assert 60 < draws.count("intervention") < 140


@given(st.lists(st.text(min_size=1), min_size=1, max_size=6, unique=True), st.integers(0, 2**31 - 1))
def test_allocation_picks_one_of_the_arms_and_repeats(arms, seed):
    arm = rules.allocate(arms, seed)
    assert arm in arms and rules.allocate(arms, seed) == arm


def test_allocation_needs_arms_and_a_valid_seed():
    with pytest.raises(rules.VisitationError):
        rules.allocate([], 1)
    with pytest.raises(rules.VisitationError):
        rules.allocate(["a"], -1)
    assert 0 <= rules.new_seed() < 2**31


def test_sessions_are_planned_from_the_start_date():
    start = dt.date(2026, 3, 2)
    rows = [
        SessionRow("Psychologist", "individual_psychologist", 7, 14),
        SessionRow("Group", "group", 6, 14, 7),
        SessionRow("Policy", "workplace_policy", 1, 0, 28),
    ]
    planned = rules.plan_sessions(rows, start)
    assert len(planned) == 14
    individual = [p.date for p in planned if p.kind == "individual_psychologist"]
    assert individual[0] == start and individual[-1] == start + dt.timedelta(days=84)
    group = [p.date for p in planned if p.kind == "group"]
    assert group == [start + dt.timedelta(days=7 + 14 * i) for i in range(6)]
    assert [p.date for p in planned] == sorted(p.date for p in planned)
    assert (planned[-1].date - start).days < 13 * 7
    assert planned[0].number == 1 and planned[0].of == 7


def test_a_session_plan_must_make_sense():
    with pytest.raises(rules.VisitationError):
        rules.plan_sessions([SessionRow("x", "group", 3, 0)], dt.date(2026, 1, 1))


def test_profile_has_no_total_and_names_the_missing_components():
    sections = {
        s.section.key: s
        for s in prognosis.profile(
            {
                "rtw_coordinator": {"answer": "yes", "note": "Karen"},
                "treater_workplace_contact": {"answer": "no", "note": ""},
                "high_age": {"answer": "yes", "note": ""},
                "unknown_key": {"answer": "yes"},
                "lost_job": {"answer": "maybe"},
            }
        )
    }
    components = sections["components"]
    assert len(components.rows) == 5
    assert "No contact between the treating professional and the workplace yet." in components.missing
    assert len(components.missing) == 4 and components.present == ("rtw_coordinator",)
    assert sections["complicating"].present == ("high_age",)
    assert "lost_job" in sections["complicating"].unanswered
    assert len(sections["clinical"].rows) == 5
    assert not hasattr(sections["complicating"], "score")
