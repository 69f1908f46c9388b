"""Worked dates for the deadline engine, checked against legal-timelines.md.

Example case unless stated: first sick day Monday 2 March 2026 (day 1), under dk-2025.
"""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta
from pathlib import Path

import holidays
import pytest

from fasthold.deadlines import engine
from fasthold.deadlines.engine import CaseFacts, RuleError, compute, load_pack
from fasthold.deadlines.engine.computing import _evaluate

DAY1 = date(2026, 3, 2)


def by_key(milestones: list[engine.Milestone]) -> dict[str, engine.Milestone]:
    return {m.key: m for m in milestones}


def dk(first: date = DAY1, facts: CaseFacts = engine.NO_FACTS, **events: date) -> dict[str, engine.Milestone]:
    return by_key(compute(first, engine.law_pack_for("dk", first), facts, events))


def day_n(first: date, n: int) -> date:
    """Day n of the absence, the first sick day being day 1."""
    return first + timedelta(days=n - 1)


# --------------------------------------------------------------------------- Danish rules, worked dates


def test_absence_conversation_is_day_28_flagged_from_day_21():
    m = dk()["absence_conversation"]
    # § 7 a "senest 4 uger efter den første sygedag": earlier reading, end of week 4 = day 28.
    assert m.due == date(2026, 3, 29) == day_n(DAY1, 28)
    assert m.flag_from == date(2026, 3, 22) == day_n(DAY1, 21)
    assert (m.responsible, m.legal_ref) == ("employer", "Sygedagpengeloven § 7 a")
    assert m.source.startswith("https://pav.medst.dk/")
    assert not m.unconfirmed


def test_report_to_municipality_is_day_35():
    m = dk()["report_to_municipality"]
    assert m.due == date(2026, 4, 5) == day_n(DAY1, 35)  # "senest 5 uger efter første fraværsdag"
    assert m.responsible == "employer" and "§ 40" in m.legal_ref


def test_fast_track_window_is_first_five_weeks():
    m = dk()["fast_track_window"]
    assert m.due == date(2026, 4, 5) and "§ 7 c" in m.legal_ref


def test_fast_track_first_conversation_waits_for_the_request():
    assert dk()["fast_track_first_conversation"].due is None
    assert dk()["fast_track_first_conversation"].applicable
    m = dk(fast_track_requested=date(2026, 3, 20))["fast_track_first_conversation"]
    assert m.due == date(2026, 4, 3)  # § 13 b, stk. 2: no later than 2 weeks after the request
    assert m.responsible == "jobcentre" and m.legal_ref == "Sygedagpengeloven § 13 b, stk. 2"


def test_fast_track_consent_skips_easter_2026():
    dk_holidays = holidays.country_holidays("DK", years=2026)
    for d in (date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 6)):  # Maundy Thu, Good Fri, Easter Mon
        assert d in dk_holidays
    # Requested Wednesday 1 April: 2 bank days later skips Thu 2, Fri 3, the weekend and Mon 6.
    m = dk(fast_track_requested=date(2026, 4, 1))["fast_track_consent"]
    assert m.due == date(2026, 4, 8)
    assert m.responsible == "employee"


def test_working_days_helper():
    assert engine.add_working_days(date(2026, 4, 1), 1) == date(2026, 4, 7)
    assert engine.add_working_days(date(2026, 4, 2), 0) == date(2026, 4, 7)  # rolls forward
    assert engine.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday -> Monday
    with pytest.raises(RuleError):
        engine.add_working_days(DAY1, -1)


def test_retention_plan_is_the_employees_right_with_no_date_section_7b():
    """Sygedagpengeloven § 7 b (legal-timelines rows 7, 7a): a right at any time, no statutory date."""
    m = dk(facts=CaseFacts(employed=True, expected_weeks=12))["retention_plan"]
    assert m.standing and m.due is None and m.applicable
    assert m.responsible == "employee" and "§ 7 b" in m.legal_ref and m.confidence == "high"
    assert "any time" in m.rule.when_en
    # Expected back within 8 weeks: the right does not arise.
    assert not dk(facts=CaseFacts(employed=True, expected_weeks=6))["retention_plan"].applicable


def test_a_made_retention_plan_goes_to_the_first_follow_up_after_it_section_7b_stk_3():
    """§ 7 b, stk. 3 (legal-timelines row 7b): no date of its own; shown once the plan is made."""
    waiting = dk()["retention_plan_to_follow_up"]
    assert waiting.due is None and waiting.flag_from is None
    m = dk(retention_plan_made=date(2026, 4, 1))["retention_plan_to_follow_up"]
    assert m.standing and m.due is None and m.applicable
    assert "first follow-up" in m.rule.when_en


def test_retention_plan_response_has_no_statutory_deadline():
    assert dk()["retention_plan_response"].due is None
    m = dk(retention_plan_requested=date(2026, 3, 20))["retention_plan_response"]
    assert m.due == date(2026, 4, 3)
    assert m.unconfirmed  # product choice, the statute sets no deadline


def test_employer_period_ends_on_day_30():
    m = dk()["employer_period_end"]
    assert m.due == date(2026, 3, 31) == day_n(DAY1, 30)
    assert "§ 30" in m.legal_ref


def test_first_follow_up_by_end_of_week_8():
    assert dk()["first_follow_up"].due == date(2026, 4, 26) == day_n(DAY1, 56)


def test_at_least_four_follow_ups_in_first_half_year():
    m = dk(facts=CaseFacts(benefit_category=2))["follow_ups_first_half_year"]
    assert m.due == date(2026, 9, 1)  # last day of the six months from 2 March
    assert m.required_count == 4
    assert len(m.occurrences) == 4
    assert m.occurrences[0] == date(2026, 4, 26) and m.occurrences[-1] == date(2026, 9, 1)
    assert list(m.occurrences) == sorted(m.occurrences)


def test_benefit_review_continuous_absence():
    m = dk(facts=CaseFacts(employed=True))["benefit_review"]
    # Days 31-184 are 22 paid weeks; day 185 (2 Sep) is beyond them; payment stops at month end.
    assert m.flag_from == date(2026, 9, 2) == day_n(DAY1, 185)
    assert m.due == date(2026, 9, 30)
    assert m.responsible == "jobcentre" and "§ 24" in m.legal_ref


def test_benefit_review_month_end_boundary():
    # First sick day 1 March 2026: 22 weeks are complete on 31 Aug (day 184), so the limit is
    # passed on 1 Sep and payment runs to the end of September.
    assert dk(date(2026, 3, 1))["benefit_review"].due == date(2026, 9, 30)
    # First sick day 28 Feb 2026: the limit is passed on 31 Aug itself: review by 31 Aug.
    m = dk(date(2026, 2, 28))["benefit_review"]
    assert m.flag_from == date(2026, 8, 31) and m.due == date(2026, 8, 31)


def test_benefit_review_leap_year_february():
    # dk-2014 pack: first sick day 27 Aug 2023, day 185 = 27 Feb 2024 -> end of a leap February.
    m = dk(date(2023, 8, 27))["benefit_review"]
    assert m.flag_from == date(2024, 2, 27) and m.due == date(2024, 2, 29)


def test_benefit_review_without_employer_period_is_a_marked_assumption_section_24():
    """§ 24 (legal-timelines row 20) with no employer period: day 155, marked as an assumption."""
    ms = dk(facts=CaseFacts(employed=False))
    assert not ms["benefit_review"].applicable
    m = ms["benefit_review_unemployed"]
    assert m.due == date(2026, 8, 31)  # day 155 = 3 Aug: every week from day 1 counts
    assert m.flag_from == date(2026, 8, 3) == day_n(DAY1, 155)  # the warning moved with it
    assert m.confidence == "assumption" and m.unconfirmed and "ASSUMPTION" in m.note


def test_benefit_review_offers_section_27_outcomes():
    outcomes = {o.key: o for o in dk()["benefit_review"].outcomes}
    assert len([o for o in outcomes.values() if "§ 27" in o.legal_ref]) == 7
    assert outcomes["extend_treatment"].max_weeks == 134 and outcomes["extend_treatment"].unconfirmed
    assert outcomes["extend_work_capacity_clarification"].max_weeks == 69
    assert outcomes["extend_life_threatening_illness"].max_weeks is None
    assert "job_clarification_course" in outcomes


def test_light_track_from_2025():
    facts = CaseFacts(employed=True, expected_weeks=10, benefit_category=2)
    ms = dk(facts=facts, first_follow_up_held=date(2026, 4, 20))
    assert ms["light_track_check"].due == date(2026, 7, 19)  # end of week 13 after the follow-up
    assert ms["light_track_check"].unconfirmed
    follow = ms["follow_ups_first_half_year"]
    assert not follow.applicable and "§ 13 f" in follow.reason
    assert "light_track_check" not in dk(date(2024, 6, 3))  # not in the pre-2025 pack


# --------------------------------------------------------------------------- pack selection


@pytest.mark.parametrize(
    ("first", "pack_id"),
    [
        (date(2014, 7, 1), "dk-2014"),
        (date(2024, 12, 31), "dk-2014"),
        (date(2025, 1, 1), "dk-2025"),
        (date(2026, 3, 2), "dk-2025"),
        (date(2026, 6, 30), "dk-2025"),
        (date(2026, 7, 1), "dk-2026-assumption"),
    ],
)
def test_law_pack_by_first_sick_day(first: date, pack_id: str):
    assert engine.law_pack_for("dk", first).id == pack_id
    assert engine.resolve_pack("dk", first).id == pack_id


def test_no_pack_before_the_oldest_version():
    with pytest.raises(RuleError, match="no dk rule pack"):
        engine.law_pack_for("dk", date(2014, 6, 30))


def test_packs_for_lists_law_first_then_good_practice():
    assert [p.id for p in engine.packs_for("dk", DAY1)] == ["dk-2025", "dk-good-practice"]
    assert [p.id for p in engine.packs_for("dk", DAY1, include_optional=False)] == ["dk-2025"]


def test_explicit_pack_must_cover_the_first_sick_day():
    assert engine.resolve_pack("dk-good-practice", DAY1).optional
    with pytest.raises(RuleError, match="applies to first sick days from 2025-01-01"):
        engine.resolve_pack("dk-2025", date(2024, 5, 1))
    with pytest.raises(RuleError, match="does not apply"):
        compute(date(2024, 5, 1), load_pack("dk-2025"))


def test_category_3_only_in_old_cases():
    old = dk(date(2024, 6, 3), CaseFacts(benefit_category=3))
    assert old["follow_ups_first_half_year"].applicable
    with pytest.raises(RuleError, match="category 3"):
        dk(DAY1, CaseFacts(benefit_category=3))


def test_2026_reform_exemption_is_an_assumption():
    first = date(2026, 9, 7)
    pack = engine.law_pack_for("dk", first)
    assert pack.assumption
    exempt = dk(first, CaseFacts(employed=True, expected_weeks=20))
    assert not exempt["first_follow_up"].applicable and "26" in exempt["first_follow_up"].reason
    assert exempt["first_follow_up"].unconfirmed
    assert exempt["absence_conversation"].applicable  # employer duties unchanged
    assert dk(first, CaseFacts(employed=True, expected_weeks=30))["first_follow_up"].applicable
    assert dk(first)["first_follow_up"].applicable  # unknown facts: shown


def test_compute_for_adds_good_practice_unless_switched_off():
    keys = [m.key for m in engine.compute_for("dk", DAY1)]
    assert "absence_conversation" in keys and "first_contact" in keys
    keys = [m.key for m in engine.compute_for("dk", DAY1, include_optional=False)]
    assert "first_contact" not in keys


# --------------------------------------------------------------------------- conditions and flags


def test_conditions_give_a_reason():
    ms = dk(facts=CaseFacts(employed=False, expected_weeks=4))
    m = ms["absence_conversation"]
    assert not m.applicable and m.due is None
    assert m.reason == "applies only to people in employment" and m.reason_da
    emp = dk(facts=CaseFacts(employed=True, expected_weeks=6))
    assert not emp["retention_plan"].applicable
    assert emp["retention_plan"].reason == "expected back within 8 weeks of the first sick day"
    assert not emp["fast_track_window"].applicable
    cat1 = dk(facts=CaseFacts(benefit_category=1))["follow_ups_first_half_year"]
    assert not cat1.applicable and "category 2" in cat1.reason


def test_unknown_facts_keep_duties_visible():
    assert all(m.applicable for m in dk().values())


def test_unconfirmed_flags_follow_the_research():
    ms = dk()
    assert not ms["first_follow_up"].unconfirmed and ms["first_follow_up"].confidence == "high"
    assert ms["retention_plan_response"].unconfirmed
    assert ms["light_track_check"].confidence == "medium-high" and ms["light_track_check"].unconfirmed
    no = by_key(compute(DAY1, load_pack("no")))
    assert no["dialogue_meeting_2"].unconfirmed


def test_every_milestone_names_rule_reference_and_source():
    for pack_id in engine.available_packs():
        pack = load_pack(pack_id)
        for m in compute(pack.applies_from, pack):
            assert m.key and m.legal_ref and m.source and m.pack_id == pack_id and m.pack_version


def test_work_injury_and_variant_conditions_on_a_synthetic_pack():
    data = {
        "id": "test-pack",
        "jurisdiction": "xx",
        "version": "1",
        "title": {"da": "T", "en": "T"},
        "applies_from": "2020-01-01",
        "milestones": [
            {
                "key": "injury_report",
                "title": {"da": "A", "en": "A"},
                "responsible": "employer",
                "trigger": "first_sick_day",
                "offset": {"kind": "working_days", "n": 0},
                "conditions": {"work_injury": True},
                "legal_ref": "x",
                "source": "https://example.org/y",
                "confidence": "high",
            },
            {
                "key": "variant",
                "title": {"da": "B", "en": "B"},
                "responsible": "gp",
                "trigger": "first_sick_day",
                "offset": {"kind": "days", "n": 10},
                "variants": [{"when": {"cause_group": ["mental"]}, "offset": {"kind": "days", "n": 3}}],
                "legal_ref": "x",
                "source": "https://example.org/y",
                "confidence": "high",
            },
        ],
    }
    pack = engine.parse_pack(data)
    saturday = date(2026, 4, 4)
    ms = by_key(compute(saturday, pack, CaseFacts(work_injury=True)))
    assert ms["injury_report"].due == date(2026, 4, 7)  # rolled past the weekend and Easter Monday
    assert ms["variant"].due == date(2026, 4, 14)
    ms = by_key(compute(saturday, pack, CaseFacts(work_injury=False, cause_group="mental")))
    assert ms["injury_report"].reason == "applies only to work injuries"
    assert ms["variant"].due == date(2026, 4, 7)


# --------------------------------------------------------------------------- bad input


def test_bad_events_and_packs():
    pack = load_pack("dk-2025")
    with pytest.raises(RuleError, match="before the first sick day"):
        compute(DAY1, pack, events={"full_return": date(2026, 3, 1)})
    with pytest.raises(RuleError, match="unknown event"):
        compute(DAY1, pack, events={"lunch": date(2026, 3, 5)})
    with pytest.raises(RuleError, match="needs a date"):
        compute(DAY1, pack, events={"full_return": datetime(2026, 3, 5, 9, 0)})
    with pytest.raises(RuleError, match="must be a date"):
        compute(datetime(2026, 3, 2, 8, 0), pack)
    with pytest.raises(RuleError, match="unknown rule pack"):
        load_pack("dk-1999")
    with pytest.raises(RuleError, match="unknown rule pack"):
        load_pack("../settings")
    with pytest.raises(RuleError, match="unknown jurisdiction"):
        engine.resolve_pack("se", DAY1)
    assert issubclass(RuleError, ValueError)


# --------------------------------------------------------------------------- good practice, NL, NO


def test_good_practice_pack():
    facts = CaseFacts(cause_group="mental")
    ms = by_key(compute(DAY1, load_pack("dk-good-practice"), facts, {"full_return": date(2026, 5, 31)}))
    assert ms["first_contact"].due == date(2026, 3, 4)
    assert ms["contact_agreement"].due == date(2026, 3, 4)
    assert ms["regular_contact"].occurrences == (
        date(2026, 3, 23),
        date(2026, 4, 13),
        date(2026, 5, 4),
        date(2026, 5, 25),
    )
    assert ms["mental_health_return_conversation"].due == date(2026, 3, 16)
    assert ms["retention_follow_up_1_month"].due == date(2026, 6, 30)  # 31 May + 1 month, clamped
    assert ms["retention_follow_up_3_months"].due == date(2026, 8, 31)
    assert ms["partial_return_follow_up"].due is None  # no partial return recorded
    other = by_key(compute(DAY1, load_pack("dk-good-practice"), CaseFacts(cause_group="musculoskeletal")))
    assert not other["mental_health_return_conversation"].applicable
    assert len(other["regular_contact"].occurrences) == 17  # every 21 days within a year


def test_periodic_duty_ended_before_it_started():
    ms = by_key(compute(DAY1, load_pack("dk-good-practice"), events={"full_return": date(2026, 3, 10)}))
    assert not ms["regular_contact"].applicable and "full_return" in ms["regular_contact"].reason


def test_netherlands_poortwachter():
    ms = by_key(compute(DAY1, load_pack("nl")))
    assert ms["problem_analysis"].due == date(2026, 4, 12)  # week 6
    assert ms["plan_of_action"].due == date(2026, 4, 26)  # week 8
    evals = ms["action_plan_evaluation"].occurrences
    assert evals[0] == date(2026, 6, 7) and all(b - a == timedelta(weeks=6) for a, b in zip(evals, evals[1:]))
    assert evals[-1] <= day_n(DAY1, 728)
    assert ms["uwv_42_week_report"].due == date(2026, 12, 21)  # day 294 is a Sunday
    assert ms["first_year_evaluation"].due == day_n(DAY1, 364) and ms["first_year_evaluation"].unconfirmed
    assert ms["wia_letter"].due == day_n(DAY1, 616)  # week 88
    assert ms["wia_application"].due == day_n(DAY1, 651)  # week 93
    assert ms["wage_payment_end"].due == day_n(DAY1, 728) == date(2028, 2, 27)  # week 104


def test_netherlands_42_week_report_skips_kings_day():
    first = date(2025, 7, 7)  # day 294 = Sunday 26 April 2026; Monday 27 April is Koningsdag
    assert date(2026, 4, 27) in holidays.country_holidays("NL", years=2026)
    assert by_key(compute(first, load_pack("nl")))["uwv_42_week_report"].due == date(2026, 4, 28)


def test_norway():
    ms = by_key(compute(DAY1, load_pack("no")))
    assert ms["employer_period_end"].due == date(2026, 3, 17)  # day 16
    assert ms["follow_up_plan"].due == date(2026, 3, 29)  # 4 weeks
    assert ms["dialogue_meeting_1"].due == date(2026, 4, 19)  # 7 weeks
    assert ms["activity_requirement"].due == date(2026, 4, 26)  # 8 weeks
    assert ms["dialogue_meeting_2"].due == date(2026, 8, 30)  # 26 weeks


# --------------------------------------------------------------------------- purity and speed


def test_engine_has_no_django_imports():
    # The engine is a package; every module of it is checked.
    files = sorted(Path(engine.__file__).parent.glob("*.py"))
    assert len(files) > 1
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.split(".")[0] in ("django", "fasthold") for m in modules), path.name


def test_results_are_immutable_and_cached_per_input():
    a = compute(DAY1, load_pack("dk-2025"))
    b = compute(DAY1, load_pack("dk-2025"))
    assert a == b and a is not b
    with pytest.raises(AttributeError):
        a[0].due = date(2030, 1, 1)  # type: ignore[misc]


def test_as_dict_is_json_ready():
    d = dk()["absence_conversation"].as_dict("en")
    assert d["due"] == "2026-03-29" and d["title"] == "Sickness absence conversation with the employee"
    assert {"key", "title", "due", "responsible", "legal_ref", "source", "unconfirmed", "applicable"} <= set(d)


def test_event_patching_matches_a_full_evaluation():
    # compute() reuses the cached event-free calendar and recomputes only event rules.
    pack = load_pack("dk-good-practice")
    facts = CaseFacts(cause_group="mental")
    events = {"partial_return_started": date(2026, 4, 6), "full_return": date(2026, 5, 18)}
    full = [_evaluate(entry, DAY1, facts, events) for entry in pack.plan]
    assert compute(DAY1, pack, facts, events) == full
    assert by_key(full)["partial_return_follow_up"].occurrences == (date(2026, 4, 20), date(2026, 5, 4))
