"""Issue 16, part A: the Danish rule packs and the deadline engine exact.

Each test names the source it checks (legal-timelines.md rows; the statute or guide in the pack).
Pure engine tests: no database.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from fasthold.deadlines import engine
from fasthold.deadlines.engine import CaseFacts, RuleError, compute

DAY1 = date(2026, 3, 2)  # a Monday, under dk-2025
DK_LAW = ("dk-2014", "dk-2025", "dk-2026-assumption")


def dk(first: date = DAY1, facts: CaseFacts = engine.NO_FACTS, **events: date) -> dict[str, engine.Milestone]:
    return {m.key: m for m in compute(first, engine.law_pack_for("dk", first), facts, events)}


def day_n(first: date, n: int) -> date:
    return first + timedelta(days=n - 1)


# --------------------------------------------------------------------------- 1. warnings never after due


def _two_years(pack: engine.Pack) -> list[date]:
    start = max(pack.applies_from, date(2023, 1, 1))
    end = start + timedelta(days=730)
    if pack.applies_until is not None:
        end = min(end, pack.applies_until)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


@pytest.mark.parametrize("pack_id", [*DK_LAW, "dk-good-practice"])
def test_no_warning_after_its_due_date_any_first_sick_day_section_24_and_all_rules(pack_id: str):
    """Every first sick day across two years, employed, not employed and unknown, with and without the
    events that start deadlines: a warning (flag_from) never falls after its due date, and the day to
    act by never after the due date (§ 24 benefit review, legal-timelines row 20, was the case found)."""
    pack = engine.load_pack(pack_id)
    checked = 0
    for first in _two_years(pack):
        events = {
            "fast_track_requested": first + timedelta(days=20),
            "retention_plan_requested": first + timedelta(days=25),
            "municipality_notice_sent": first + timedelta(days=36),
            "doctor_certificate_requested": first + timedelta(days=40),
            "section_56_approved": first,
            "partial_return_started": first + timedelta(days=60),
            "full_return": first + timedelta(days=200),
            "relapse": first + timedelta(days=230),
        }
        for employed in (True, False, None):
            facts = CaseFacts(employed=employed, expected_weeks=12)
            for evs in ({}, events):
                for m in compute(first, pack, facts, evs):
                    if m.due is not None and m.flag_from is not None:
                        assert m.flag_from <= m.due, (pack_id, first, employed, m.key)
                        checked += 1
                    if m.due is not None:
                        assert m.act_by <= m.due, (pack_id, first, m.key)
    assert checked > 1000


def test_the_unemployed_review_warning_moved_with_its_due_date_section_24():
    """§ 24: the case the review found: not employed, due at the end of the month of day 155; the
    warning is the day the limit is passed (day 155), not day 185."""
    m = dk(facts=CaseFacts(employed=False))["benefit_review_unemployed"]
    assert m.flag_from == day_n(DAY1, 155) <= m.due == date(2026, 8, 31)


def test_engine_clamps_a_pack_warning_that_comes_after_the_due_date():
    """The invariant holds in the engine, not only in today's packs: a synthetic pack whose warning is set
    after its due date gets the warning on the due date."""
    data = {
        "id": "x",
        "jurisdiction": "xx",
        "version": "1",
        "title": {"da": "T", "en": "T"},
        "applies_from": "2020-01-01",
        "milestones": [
            {
                "key": "a",
                "title": {"da": "A", "en": "A"},
                "responsible": "employer",
                "trigger": "first_sick_day",
                "offset": {"kind": "day", "n": 10},
                "flag_from": {"kind": "day", "n": 20},
                "legal_ref": "r",
                "source": "https://example.org/a",
                "confidence": "high",
            }
        ],
    }
    (m,) = compute(DAY1, engine.parse_pack(data))
    assert m.due == m.flag_from == day_n(DAY1, 10)


# --------------------------------------------------------------------------- 2. § 7 b, a right without a date


def test_standing_rules_have_no_due_date_and_stay_off_the_dated_lists_section_7b():
    """§ 7 b (rows 7, 7a): the statute sets no date, so the rule is standing and has no due date."""
    ms = dk(facts=CaseFacts(employed=True, expected_weeks=20))
    for key in (
        "retention_plan",
        "possibility_statement_may_be_requested",
        "conversation_report",
        "section_56_agreement",
    ):
        assert ms[key].standing and ms[key].due is None and ms[key].applicable, key
    assert json.loads(json.dumps(ms["retention_plan"].as_dict("en")))["kind"] == "standing"


def test_a_standing_rule_must_not_carry_a_date():
    data = json.loads((engine.PACK_DIR / "dk-2025.json").read_text(encoding="utf-8"))
    rule = next(m for m in data["milestones"] if m["key"] == "retention_plan")
    rule["flag_from"] = {"kind": "day", "n": 21}
    assert any("standing rule has no date" in e for e in engine.validate_pack_data(data))


# --------------------------------------------------------------------------- 3. § 7 e


def test_employee_may_ask_for_fast_track_within_5_weeks_section_7e_municipal_source():
    """§ 7 e (row 8a): the employee's own request, beside the employer's § 7 c; medium confidence, the
    5-week limit comes from a municipal page (Rudersdal), and the pack says so."""
    ms = dk(facts=CaseFacts(employed=True, expected_weeks=12))
    m = ms["fast_track_employee_request"]
    assert m.due == ms["fast_track_window"].due == day_n(DAY1, 35)
    assert m.responsible == "employee" and m.legal_ref == "Sygedagpengeloven § 7 e"
    assert m.confidence == "medium" and m.unconfirmed
    assert "rudersdal.dk" in m.source and "municipal page" in m.note
    assert ms["fast_track_window"].responsible == "employer"


# --------------------------------------------------------------------------- 4. the missing duties


def test_report_deadline_by_what_the_employer_pays_section_40_stk_1_to_3():
    """§ 40, stk. 1 (wages: 5 weeks), stk. 2 (sickness benefit: 1 week after it ends), stk. 3 (neither:
    14 days); rows 10, 10a, 10b."""
    assert dk(facts=CaseFacts(employed=True, employer_pays="wages"))["report_to_municipality"].due == day_n(DAY1, 35)
    assert dk(facts=CaseFacts(employed=True))["report_to_municipality"].due == day_n(DAY1, 35)
    assert dk(facts=CaseFacts(employed=True, employer_pays="benefit"))["report_to_municipality"].due == day_n(DAY1, 37)
    m = dk(facts=CaseFacts(employed=True, employer_pays="none"))["report_to_municipality"]
    assert m.due == day_n(DAY1, 14) and m.flag_from == day_n(DAY1, 8)


def test_employee_disputes_the_report_within_8_days_of_the_notice_section_40_stk_5():
    """§ 40, stk. 5 (row 10c): "senest 8 dage efter kommunens afsendelse af underretningsbrevet"."""
    assert dk()["report_dispute"].due is None
    m = dk(municipality_notice_sent=date(2026, 4, 8))["report_dispute"]
    assert m.due == date(2026, 4, 16) and m.responsible == "employee" and "§ 40, stk. 5" in m.legal_ref


def test_duration_statement_after_14_days_funktionaerloven_5_stk_4():
    """Funktionærloven § 5, stk. 4 (row 4): the employer may ask once the absence lasts more than 14 days."""
    m = dk(facts=CaseFacts(employed=True))["duration_statement"]
    assert m.standing and m.flag_from == day_n(DAY1, 15) and m.responsible == "employer"


def test_doctor_answers_lae_285_in_14_days_minimum_8_bek_1710_2024_section_11():
    """Bek. 1710/2024 § 11 (row 16): "så vidt muligt 14 dage ... minimum 8 dage"."""
    m = dk(doctor_certificate_requested=date(2026, 4, 10))["doctor_certificate_deadline"]
    assert m.due == date(2026, 4, 24) and m.responsible == "gp"
    assert "minimum 8" in m.rule.legal_phrase and "at least 8 days" in m.note


def test_refund_application_within_3_months_of_each_wage_payment_aarhus_section_59_unconfirmed():
    """Row 11 (Aarhus Kommune; § 59 unconfirmed): a deadline per wage payment; standing, medium."""
    m = dk(facts=CaseFacts(employed=True, employer_pays="wages"))["refund_application"]
    assert m.standing and m.confidence == "medium" and m.unconfirmed and "aarhus.dk" in m.source
    assert not dk(facts=CaseFacts(employed=True, employer_pays="none"))["refund_application"].applicable


def test_reporting_the_absence_conversation_section_7a_stk_4_is_medium_without_a_date():
    """§ 7 a, stk. 4 (row 6, 2009 wording): the employer informs the municipality; no date computed."""
    m = dk(facts=CaseFacts(employed=True))["conversation_report"]
    assert m.standing and m.confidence == "medium" and m.unconfirmed and "ft.dk" in m.source


def test_section_56_agreement_runs_for_2_years_statens_adm():
    """§ 56 (row 12): "gælder for to år ad gangen": due on the last day of the 2 years."""
    m = dk(section_56_approved=date(2026, 3, 10))["section_56_renewal"]
    assert m.due == date(2028, 3, 9) and m.flag_from == date(2027, 12, 10)
    assert "statens-adm.dk" in m.source


def test_what_the_employer_may_ask_of_the_doctor_fit_note_and_sworn_statement_pav_and_kk():
    """Rows 1 and 2: a friattest from day 1 (PAV, high); a tro- og loveerklæring in hand on day 2 (kk.dk,
    medium)."""
    ms = dk(facts=CaseFacts(employed=True))
    assert ms["fit_note"].standing and ms["fit_note"].flag_from == DAY1 and ms["fit_note"].confidence == "high"
    s = ms["sworn_statement"]
    assert s.standing and s.flag_from == day_n(DAY1, 2) and s.confidence == "medium" and "kk.dk" in s.source


@pytest.mark.parametrize("pack_id", DK_LAW)
def test_the_120_day_rule_is_left_out_with_why_funktionaerloven_5_stk_2(pack_id: str):
    """Row 24 (IDA, medium; conditions unconfirmed): left out on purpose, with the reason, in every pack."""
    pack = engine.load_pack(pack_id)
    item = next(i for i in pack.left_out if i.key == "dismissal_120_days")
    assert item.legal_ref == "Funktionærloven § 5, stk. 2" and "ida.dk" in item.source
    assert "unconfirmed" in item.why_en and "ikke bekræftede" in item.why_da
    assert "dismissal_120_days" not in {r.key for r in pack.rules}


# --------------------------------------------------------------------------- 5. weekends and holidays


def test_a_sunday_deadline_stands_and_a_conversation_is_held_by_the_friday_before_section_7a():
    """§ 7 a "senest 4 uger efter": day 28 of a Monday start is a Sunday. The date stands (no source moves
    it); a conversation needs a working day, so the Friday before is the day to act by."""
    m = dk()["absence_conversation"]
    assert m.due == date(2026, 3, 29) and m.due.weekday() == 6
    assert m.act_by == date(2026, 3, 27)
    report = dk()["report_to_municipality"]  # NemRefusion is digital: the Sunday stands as it is
    assert report.due.weekday() == 6 and report.act_by == report.due


def test_a_follow_up_on_easter_monday_is_acted_on_before_easter_section_13b():
    """§ 13 b, stk. 1, day 56 on Easter Monday 2026: the last working day before is Wednesday 1 April
    (Maundy Thursday and Good Friday are public holidays)."""
    first = date(2026, 4, 6) - timedelta(days=55)
    m = dk(first)["first_follow_up"]
    assert m.due == date(2026, 4, 6) and m.act_by == date(2026, 4, 1)


@pytest.mark.parametrize("pack_id", [*DK_LAW, "dk-good-practice"])
def test_each_pack_documents_its_weekend_and_holiday_rule(pack_id: str):
    pack = engine.load_pack(pack_id)
    assert pack.non_working_days_da and pack.non_working_days_en
    assert all(r.non_working_day in engine.NON_WORKING_DAY for r in pack.rules)


# --------------------------------------------------------------------------- 6. public sources


@pytest.mark.parametrize("pack_id", engine.available_packs())
def test_every_source_shown_is_a_public_citation_without_a_file_path(pack_id: str):
    """Issue 16: sources shown to users included shared/seeds/...; every rule now cites a public source."""
    pack = engine.load_pack(pack_id)
    for text in [*(r.source for r in pack.rules), *pack.sources, *(i.source for i in pack.left_out)]:
        assert "https://" in text or "http://" in text, (pack_id, text)
        assert not engine.has_file_path(text), (pack_id, text)
        assert "seeds" not in text and "shared/" not in text
    for rule in pack.rules:
        assert rule.legal_ref.strip(), rule.key


def test_the_schema_check_refuses_a_project_file_as_a_source():
    data = json.loads((engine.PACK_DIR / "dk-good-practice.json").read_text(encoding="utf-8"))
    data["milestones"][0]["source"] = "Marselisborg (2020); shared/seeds/004_6c19e5eded3ecf80.txt"
    errors = engine.validate_pack_data(data)
    assert any("public web address" in e for e in errors)
    data["milestones"][0]["source"] = "Marselisborg (2020), https://www.marselisborg.org; shared/seeds/004.txt"
    assert any("file of the project" in e for e in engine.validate_pack_data(data))


def test_good_practice_cites_the_marselisborg_report_publicly():
    pack = engine.load_pack("dk-good-practice")
    assert all("Marselisborg" in r.source and "Arbejdstilsynet" in r.source and "2020" in r.source for r in pack.rules)


# --------------------------------------------------------------------------- 8. partial, relapse, earlier absences


def test_earlier_absences_inside_9_months_bring_the_review_forward_section_24():
    """§ 24, stk. 1 (row 20; counting conventions): more than 22 paid weeks within the 9 preceding calendar
    months. 70 earlier paid days inside the window: the limit is passed on day 31 + 84 = 24 June."""
    earlier = ((date(2025, 10, 1), date(2025, 12, 9)),)  # 70 days
    facts = CaseFacts(employed=True, earlier_absences=earlier)
    m = dk(facts=facts)["benefit_review"]
    assert m.flag_from == date(2026, 6, 24) and m.due == date(2026, 6, 30)
    # The same 70 days a year earlier are outside the window: day 185 as for one absence.
    old = CaseFacts(employed=True, earlier_absences=((date(2025, 3, 1), date(2025, 5, 9)),))
    assert dk(facts=old)["benefit_review"].flag_from == day_n(DAY1, 185)


def test_a_relapse_in_the_same_case_resumes_the_count_section_24():
    """§ 24: only paid weeks count. Back on 1 May (30 paid days), ill again on 1 June: 125 more paid days
    pass the limit on 3 October (no new employer period: an assumption the pack states)."""
    ms = dk(facts=CaseFacts(employed=True), full_return=date(2026, 5, 1), relapse=date(2026, 6, 1))
    m = ms["benefit_review"]
    assert m.flag_from == date(2026, 10, 3) and m.due == date(2026, 10, 31)
    back = dk(facts=CaseFacts(employed=True), full_return=date(2026, 5, 1))["benefit_review"]
    assert not back.applicable and back.due is None
    with pytest.raises(RuleError, match="relapse"):
        dk(relapse=date(2026, 6, 1))


def test_partial_absence_counts_whole_weeks_and_under_4_hours_gives_no_benefit_section_53_and_cabi():
    """Row 13 (§ 53; Cabi): partial absence must be at least 4 hours a week; row 20: weeks of reduced
    benefit count towards the 22 weeks in full."""
    full = dk(facts=CaseFacts(employed=True))["benefit_review"]
    partial = dk(facts=CaseFacts(employed=True, absence_hours_per_week=10))["benefit_review"]
    assert partial.due == full.due
    tiny = dk(facts=CaseFacts(employed=True, absence_hours_per_week=3))
    for key in ("benefit_review", "report_to_municipality", "first_follow_up"):
        assert not tiny[key].applicable and "4 hours" in tiny[key].reason
    assert tiny["absence_conversation"].applicable  # § 7 a is the employer's, whatever the benefit


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        (CaseFacts(earlier_absences=((date(2026, 2, 1), date(2026, 3, 5)),)), "before the first sick day"),
        (CaseFacts(earlier_absences=((date(2025, 5, 1), date(2025, 4, 1)),)), "ends before it starts"),
        (
            CaseFacts(earlier_absences=((date(2025, 5, 1), date(2025, 6, 1)), (date(2025, 5, 20), date(2025, 7, 1)))),
            "overlap",
        ),
        (CaseFacts(absence_hours_per_week=0), "hours"),
    ],
)
def test_bad_facts_give_one_readable_line(facts: CaseFacts, message: str):
    with pytest.raises(RuleError, match=message):
        dk(facts=facts)


def test_counter_equals_the_documented_day_185_for_one_absence_every_day_of_a_year_section_24():
    """The counter and the pack's explanation agree: one continuous absence, employed: day 185."""
    first = date(2025, 1, 1)
    for i in range(365):
        day = first + timedelta(days=i)
        m = dk(day, CaseFacts(employed=True))["benefit_review"]
        assert m.flag_from == day_n(day, 185)


def _dk2025() -> dict:
    return json.loads((engine.PACK_DIR / "dk-2025.json").read_text(encoding="utf-8"))


def _rule(data: dict, key: str) -> dict:
    return next(m for m in data["milestones"] if m["key"] == key)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _rule(d, "benefit_review").update(trigger="full_return"), "counts from the first sick day"),
        (lambda d: _rule(d, "benefit_review").update(counter={"paid_weeks_over": 22}), "window_months"),
        (lambda d: _rule(d, "absence_conversation").update(non_working_day="later"), "non_working_day"),
        (lambda d: _rule(d, "refund_application")["conditions"].update(employer_pays=["cash"]), "employer_pays"),
        (lambda d: _rule(d, "retention_plan").pop("when"), "when"),
        (lambda d: _rule(d, "absence_conversation").update(when={"da": "x", "en": "x"}), "only a standing rule"),
        (lambda d: d["left_out"][0].pop("why"), "left_out"),
        (lambda d: d["left_out"][0].update(source="IDA; notes/120.md"), "left_out"),
        (lambda d: d.update(non_working_days={"da": "x"}), "non_working_days"),
    ],
)
def test_the_schema_check_covers_the_new_fields(mutate, message: str):
    data = _dk2025()
    assert engine.validate_pack_data(data) == []
    mutate(data)
    errors = engine.validate_pack_data(data)
    assert any(message in e for e in errors), errors
