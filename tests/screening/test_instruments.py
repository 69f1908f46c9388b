"""The questionnaire engine against published worked vectors,
hand-computed edge cases (minimum, maximum, reversed items, band boundaries on both sides),
and property tests for the rules that have an invariant. No database: the engine is pure."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fasthold.screening.instruments import (
    Instrument,
    InstrumentError,
    available_instruments,
    custom_scale,
    instrument_from_dict,
    instrument_from_json,
    load_instrument,
    score,
)
from fasthold.screening.instruments.engine import DATA_DIR

ROOT = Path(__file__).resolve().parents[2]
BUILT_IN = ("mdi", "nrs", "ompsq10", "pss10", "rtw_expectation", "was", "who5")


def raw_data(instrument_id: str) -> dict:
    return json.loads((DATA_DIR / f"{instrument_id}.json").read_text(encoding="utf-8"))


def answers_for(instrument: Instrument) -> st.SearchStrategy[list[int]]:
    """Any valid answer list for the instrument, item by item within its response range."""
    return st.tuples(*(st.integers(item.min, item.max) for item in instrument.items)).map(list)


# --------------------------------------------------------------------------- catalogue


def test_available_instruments_are_the_shipped_set():
    assert available_instruments() == BUILT_IN


@pytest.mark.parametrize("instrument_id", BUILT_IN)
def test_every_built_in_loads_with_danish_and_english_labels(instrument_id):
    instrument = load_instrument(instrument_id)
    assert instrument.id == instrument_id
    assert set(instrument.languages) == {"da", "en"}
    assert instrument.name["da"] and instrument.name["en"]
    assert instrument.licence.note["da"] and instrument.licence.note["en"]
    for band in instrument.bands:
        assert band.label["da"] and band.interpretation["en"]


def test_item_texts_are_shipped_only_where_the_licence_allows():
    # The licences: only NRS (generic) may be embedded freely; the RTW item is our own wording.
    shipped = {i for i in BUILT_IN if not load_instrument(i).needs_licensed_file}
    assert shipped == {"nrs", "rtw_expectation"}
    for instrument_id in BUILT_IN:
        instrument = load_instrument(instrument_id)
        for item in instrument.items:
            if instrument.needs_licensed_file:
                assert item.text is None
                assert not item.scale.labels, "response labels are part of the licensed text"
            else:
                assert item.text["da"] and item.text["en"]


def test_loaded_instruments_do_not_share_mutable_data():
    first = load_instrument("who5")
    first.data["bands"].clear()
    assert load_instrument("who5").data["bands"]


def test_unknown_instrument():
    with pytest.raises(InstrumentError, match="unknown instrument 'phq9'"):
        load_instrument("phq9")


def test_engine_is_pure_python_without_django():
    # Pure by contract: importing the engine must not pull Django in.
    code = (
        "import sys; import fasthold.screening.instruments as m; "
        "m.score('who5', [1, 1, 1, 1, 1]); "
        "print(sorted(x for x in sys.modules if x.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --------------------------------------------------------------------------- WHO-5


@pytest.mark.parametrize(
    ("answers", "raw", "pct", "band"),
    [
        ([0, 0, 0, 0, 0], 0, 0, "likely_depression"),  # awell fixture
        ([3, 3, 3, 3, 3], 15, 60, "normal"),  # awell fixture
        ([5, 5, 5, 5, 5], 25, 100, "normal"),  # awell fixture
        ([4, 1, 0, 2, 3], 10, 40, "poor_wellbeing"),  # awell fixture
        ([3, 3, 2, 2, 2], 12, 48, "poor_wellbeing"),  # boundary, constructed
        ([3, 3, 3, 2, 2], 13, 52, "normal"),  # boundary, constructed
        ([2, 2, 1, 1, 1], 7, 28, "likely_depression"),  # boundary, constructed
        ([2, 2, 2, 1, 1], 8, 32, "poor_wellbeing"),  # other side of the 28 boundary
    ],
)
def test_who5_worked_vectors(answers, raw, pct, band):
    result = score("who5", answers)
    assert (result.raw, result.score, result.band.key) == (raw, pct, band)


@pytest.mark.parametrize(
    ("answers", "indicated"),
    [
        ([4, 1, 0, 2, 3], True),  # items <= 1 (and raw 10)
        ([3, 3, 2, 2, 2], True),  # raw 12, no item <= 1
        ([3, 3, 3, 2, 2], False),  # raw 13, every item >= 2
        ([5, 5, 5, 5, 1], True),  # raw 21, normal band, but one item answered 1
        ([5, 5, 5, 5, 2], False),
    ],
)
def test_who5_mdi_indication_reported_separately_from_the_band(answers, indicated):
    result = score("who5", answers)
    assert result.algorithms["mdi_indicated"].met is indicated
    assert result.algorithms["mdi_indicated"].result == ("met" if indicated else "not_met")


def test_who5_is_not_the_wrong_calculator_formula():
    # calculator.dev's "(raw - 5) x 4" is a known-bad oracle: raw 15 must give 60, not 40.
    assert score("who5", [3, 3, 3, 3, 3]).score == 60


@given(st.lists(st.integers(0, 5), min_size=5, max_size=5))
def test_who5_score_is_four_times_the_raw_sum(answers):
    result = score("who5", answers)
    assert result.raw == sum(answers)
    assert result.score == 4 * result.raw


# --------------------------------------------------------------------------- PSS-10


@pytest.mark.parametrize(
    ("answers", "total", "helpless", "self_eff"),
    [
        ([0] * 10, 16, 0, 16),
        ([4] * 10, 24, 24, 0),
        ([2] * 10, 20, 12, 8),
        ([3, 2, 3, 1, 1, 2, 2, 1, 3, 2], 26, 15, 11),
        ([4, 4, 4, 0, 0, 4, 0, 0, 4, 4], 40, 24, 16),  # maximum
        ([0, 0, 0, 4, 4, 0, 4, 4, 0, 0], 0, 0, 0),  # minimum
    ],
)
def test_pss10_worked_vectors_verified_with_biopsykit(answers, total, helpless, self_eff):
    result = score("pss10", answers)
    assert result.raw == result.score == total
    assert result.subscores == {"helplessness": helpless, "self_efficacy": self_eff}


@pytest.mark.parametrize(
    ("item", "delta"), [(1, 1), (2, 1), (3, 1), (4, -1), (5, -1), (6, 1), (7, -1), (8, -1), (9, 1), (10, 1)]
)
def test_pss10_reversed_items_4_5_7_8(item, delta):
    base = [2] * 10
    higher = list(base)
    higher[item - 1] = 3
    assert score("pss10", higher).raw - score("pss10", base).raw == delta


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # all 2 gives 20; lowering plain items 9 and 10 gives 18, the Danish high-stress threshold
        ([2, 2, 2, 2, 2, 2, 2, 2, 1, 1], 18, "high"),
        ([1, 2, 2, 2, 2, 2, 2, 2, 1, 1], 17, "below_high"),
        ([2, 2, 2, 3, 2, 2, 2, 2, 1, 1], 17, "below_high"),  # raising reversed item 4 lowers the total
        ([3, 2, 3, 1, 1, 2, 2, 1, 3, 2], 26, "high"),
        ([0] * 10, 16, "below_high"),
    ],
)
def test_pss10_band_boundary_at_18(answers, total, band):
    result = score("pss10", answers)
    assert (result.score, result.band.key) == (total, band)


@given(st.lists(st.integers(0, 4), min_size=10, max_size=10))
def test_pss10_subscales_add_up_to_the_total(answers):
    result = score("pss10", answers)
    assert result.subscores["helplessness"] + result.subscores["self_efficacy"] == result.raw


# --------------------------------------------------------------------------- ÖMPSQ-10


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([1, 0, 3, 4, 1, 5, 0, 2, 6, 9], 21, "low"),  # awell "random_response"
        ([1, 0, 0, 0, 0, 10, 0, 0, 10, 10], 1, "low"),  # minimum
        ([10, 10, 10, 10, 10, 0, 10, 10, 0, 0], 100, "high"),  # maximum
        ([5] * 10, 50, "high"),  # awell "median", the cut-off itself
        ([4, 5, 5, 5, 5, 5, 5, 5, 5, 5], 49, "low"),  # one below the cut-off
    ],
)
def test_ompsq10_worked_vectors(answers, total, band):
    result = score("ompsq10", answers)
    assert (result.raw, result.score, result.band.key) == (total, total, band)


@pytest.mark.parametrize("item", [6, 9, 10])
def test_ompsq10_reversed_items(item):
    answers = [1] + [0] * 9
    answers[item - 1] = 10
    low = score("ompsq10", answers).raw
    answers[item - 1] = 0
    assert score("ompsq10", answers).raw - low == 10


def test_ompsq10_duration_item_starts_at_1():
    with pytest.raises(InstrumentError, match="ompsq10 item 1: 0 is out of range 1 to 10"):
        score("ompsq10", [0] * 10)


def test_ompsq10_does_not_sum_partial_answers():
    # awell-score silently sums whatever is present; here a missing answer is refused, since no shipped
    # instrument publishes a rule for imputing it.
    with pytest.raises(InstrumentError, match="expects 10 answers"):
        score("ompsq10", [5] * 9)
    with pytest.raises(InstrumentError, match="not imputed"):
        score("ompsq10", [5, 5, 5, None, 5, 5, 5, 5, 5, 5])


# --------------------------------------------------------------------------- MDI

MDI_IDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "9", "10a", "10b")


@pytest.mark.parametrize(
    ("answers", "total", "core", "acc", "icd10", "dsm_n", "dsm_met", "band"),
    [
        ([4, 4, 3, 2, 1, 0, 3, 1, 3, 4, 2, 0], 26, 2, 3, "mild", 5, True, "moderate"),
        ([5, 4, 4, 3, 4, 1, 3, 2, 3, 4, 0, 3], 34, 3, 6, "severe", 8, True, "severe"),
        ([2, 2, 3, 1, 1, 0, 2, 1, 1, 2, 1, 0], 15, 0, 0, "none", 0, False, "none"),
        ([3, 3, 5, 5, 5, 3, 5, 5, 0, 5, 5, 0], 44, 1, 7, "none", 7, False, "severe"),
    ],
)
def test_mdi_worked_vectors(answers, total, core, acc, icd10, dsm_n, dsm_met, band):
    result = score("mdi", answers)
    assert result.raw == result.score == total
    assert result.band.key == band
    icd = result.algorithms["icd10"]
    assert (icd.counts["core"], icd.counts["accompanying"], icd.result) == (core, acc, icd10)
    dsm = result.algorithms["dsm4"]
    assert (dsm.counts["total"], dsm.met) == (dsm_n, dsm_met)
    assert dsm.result == ("major_depression" if dsm_met else "none")


def mdi(**values: int) -> list[int]:
    """MDI answers, all 0 unless given: mdi(i1=4, i8b=3)."""
    answers = dict.fromkeys(MDI_IDS, 0)
    for key, value in values.items():
        answers[key.removeprefix("i")] = value
    return [answers[i] for i in MDI_IDS]


def test_mdi_uses_the_higher_of_8a_8b_and_10a_10b():
    assert score("mdi", mdi(i8a=5, i8b=2)).raw == 5
    assert score("mdi", mdi(i8a=2, i8b=5)).raw == 5
    assert score("mdi", mdi(i10a=1, i10b=4)).raw == 4
    assert score("mdi", mdi(i10a=4, i10b=4)).raw == 4
    # Every answer at its maximum: 10 symptom items x 5, not 12 x 5.
    assert score("mdi", [5] * 12).raw == 50


def test_mdi_answers_by_item_id_match_answers_by_position():
    answers = [4, 4, 3, 2, 1, 0, 3, 1, 3, 4, 2, 0]
    assert score("mdi", dict(zip(MDI_IDS, answers))) == score("mdi", answers)


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ([5, 5, 5, 4, 0, 0, 0, 0, 0, 0, 0, 0], 19, "none"),
        ([5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0], 20, "mild"),
        ([5, 5, 5, 5, 4, 0, 0, 0, 0, 0, 0, 0], 24, "mild"),
        ([5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 0], 25, "moderate"),
        ([5, 5, 5, 5, 5, 0, 4, 0, 0, 0, 0, 0], 29, "moderate"),
        ([5, 5, 5, 5, 5, 0, 5, 0, 0, 0, 0, 0], 30, "severe"),
        ([0] * 12, 0, "none"),
        ([5] * 12, 50, "severe"),
    ],
)
def test_mdi_severity_band_boundaries(answers, total, band):
    result = score("mdi", answers)
    assert (result.raw, result.band.key) == (total, band)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (mdi(i1=4, i2=4, i4=3), "none"),  # 2 core + 1 accompanying
        (mdi(i1=4, i2=4, i4=3, i5=3), "mild"),  # 2 + 2
        (mdi(i1=4, i2=4, i4=3, i5=3, i6=3), "mild"),  # 2 + 3
        (mdi(i1=4, i2=4, i4=3, i5=3, i6=3, i7=3), "moderate"),  # 2 + 4
        (mdi(i1=4, i2=4, i3=4, i4=3, i5=3, i6=3, i7=3), "moderate"),  # 3 + 4
        (mdi(i1=4, i2=4, i3=4, i4=3, i5=3, i6=3, i7=3, i9=3), "severe"),  # 3 + 5
        (mdi(i1=4, i2=4, i4=5, i5=5, i6=5, i7=5, i8a=5, i9=5, i10b=5), "moderate"),  # 2 + 7: severe needs 3 core
        (mdi(i1=3, i2=4, i3=4, i4=3, i5=3), "mild"),  # core item at 3 does not count: 2 + 2
        (mdi(i1=3, i2=3, i3=4, i4=5, i5=5), "none"),  # one core only
        (mdi(i1=4, i2=4, i4=2, i5=2, i6=2, i7=2), "none"),  # accompanying at 2 does not count
        (mdi(i1=4, i2=4, i8b=3, i10a=3), "mild"),  # 8 and 10 count via the higher-of rule
    ],
)
def test_mdi_icd10_levels_and_thresholds(answers, expected):
    assert score("mdi", answers).algorithms["icd10"].result == expected


@pytest.mark.parametrize(
    ("answers", "present", "met"),
    [
        (mdi(i1=4, i3=4, i4=3, i6=3, i7=3), 5, True),  # 5 of 9 with item 1
        (mdi(i2=4, i3=4, i4=3, i6=3, i7=3), 5, True),  # 5 of 9 with item 2
        (mdi(i1=4, i3=4, i4=3, i6=3), 4, False),  # only 4
        (mdi(i3=4, i4=3, i6=3, i7=3, i9=3, i10a=3), 6, False),  # 6 but neither item 1 nor 2
        (mdi(i1=4, i4=3, i5=3, i6=3, i7=3), 4, False),  # 4 and 5 merge into one symptom
        (mdi(i1=4, i3=3, i4=3, i6=3, i7=3, i9=3), 5, True),  # item 3 at 3 does not count
        (mdi(i1=4, i8a=3, i8b=3, i9=3, i10b=3, i7=3), 5, True),  # 8a/8b and 10a/10b one symptom each
    ],
)
def test_mdi_dsm4(answers, present, met):
    result = score("mdi", answers).algorithms["dsm4"]
    assert (result.counts["total"], result.met) == (present, met)


@pytest.mark.parametrize(("item6", "flag"), [(0, False), (1, True), (5, True)])
def test_mdi_item6_flag(item6, flag):
    assert score("mdi", mdi(i6=item6)).algorithms["item6_follow_up"].met is flag


@given(answers_for(load_instrument("mdi")))
def test_mdi_sum_is_the_ten_symptom_sum(answers):
    by_id = dict(zip(MDI_IDS, answers))
    expected = (
        sum(by_id[i] for i in ("1", "2", "3", "4", "5", "6", "7", "9"))
        + max(by_id["8a"], by_id["8b"])
        + max(by_id["10a"], by_id["10b"])
    )
    result = score("mdi", answers)
    assert result.raw == expected
    swapped = dict(by_id, **{"8a": by_id["8b"], "8b": by_id["8a"], "10a": by_id["10b"], "10b": by_id["10a"]})
    assert score("mdi", swapped).raw == expected


@given(answers_for(load_instrument("mdi")))
def test_mdi_algorithms_are_consistent_with_their_counts(answers):
    result = score("mdi", answers)
    icd, dsm = result.algorithms["icd10"], result.algorithms["dsm4"]
    assert icd.counts["core"] <= 3 and icd.counts["accompanying"] <= 7
    if icd.result != "none":
        assert icd.counts["core"] >= 2 and icd.counts["accompanying"] >= 2
    if icd.result == "severe":
        assert icd.counts["core"] == 3 and icd.counts["accompanying"] >= 5
    assert dsm.counts["total"] <= 9
    assert dsm.met == (dsm.counts["total"] >= 5 and dsm.counts["key"] >= 1)


# --------------------------------------------------------------------------- single items


@pytest.mark.parametrize(
    ("instrument_id", "value", "band"),
    [
        ("nrs", 0, "none"),
        ("nrs", 1, "mild"),
        ("nrs", 3, "mild"),
        ("nrs", 4, "moderate"),
        ("nrs", 6, "moderate"),
        ("nrs", 7, "severe"),
        ("nrs", 10, "severe"),
        ("was", 0, "poor"),
        ("was", 5, "poor"),
        ("was", 6, "moderate"),
        ("was", 7, "moderate"),
        ("was", 8, "good"),
        ("was", 10, "good"),
        ("rtw_expectation", 0, "low"),
        ("rtw_expectation", 3, "low"),
        ("rtw_expectation", 4, "uncertain"),
        ("rtw_expectation", 6, "uncertain"),
        ("rtw_expectation", 7, "high"),
        ("rtw_expectation", 10, "high"),
    ],
)
def test_single_item_scales_and_their_band_boundaries(instrument_id, value, band):
    result = score(instrument_id, [value])
    assert (result.raw, result.score, result.band.key) == (value, value, band)


@pytest.mark.parametrize("instrument_id", ["nrs", "was", "rtw_expectation"])
@pytest.mark.parametrize("value", [-1, 11])
def test_single_item_scales_reject_values_outside_0_to_10(instrument_id, value):
    with pytest.raises(InstrumentError, match=f"{value} is out of range 0 to 10"):
        score(instrument_id, [value])


# --------------------------------------------------------------------------- all instruments


@pytest.mark.parametrize("instrument_id", BUILT_IN)
def test_all_minimum_and_all_maximum(instrument_id):
    instrument = load_instrument(instrument_id)
    # Reversed items contribute their minimum when answered at their maximum.
    lowest = [item.max if item.reverse else item.min for item in instrument.items]
    highest = [item.min if item.reverse else item.max for item in instrument.items]
    low, high = score(instrument, lowest), score(instrument, highest)
    assert low.raw == instrument.raw_range[0] and high.raw == instrument.raw_range[1]
    assert low.band == instrument.bands[0] and high.band == instrument.bands[-1]


@pytest.mark.parametrize("instrument_id", BUILT_IN)
def test_wrong_number_of_answers(instrument_id):
    instrument = load_instrument(instrument_id)
    n = len(instrument.items)
    for count in (0, n - 1, n + 1):
        with pytest.raises(InstrumentError, match=f"expects {n} answers?") as err:
            score(instrument, [instrument.items[0].min] * count)
        assert "\n" not in str(err.value)


@pytest.mark.parametrize("bad", [True, 2.0, "3", None])
def test_answers_must_be_whole_numbers(bad):
    with pytest.raises(InstrumentError, match="who5 item 3"):
        score("who5", [1, 1, bad, 1, 1])


def test_answers_must_be_a_list_or_dict():
    with pytest.raises(InstrumentError, match="must be a list"):
        score("who5", "12345")


def test_answers_by_item_id_must_name_every_item_and_no_other():
    with pytest.raises(InstrumentError, match="no answer for item"):
        score("who5", {"1": 1, "2": 1, "3": 1, "4": 1})
    with pytest.raises(InstrumentError, match="unknown item"):
        score("who5", {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1, "6": 1})


@settings(max_examples=50)
@given(st.sampled_from(BUILT_IN).flatmap(lambda i: st.tuples(st.just(i), answers_for(load_instrument(i)))))
def test_any_valid_answers_score_within_range_and_land_in_their_band(case):
    instrument_id, answers = case
    instrument = load_instrument(instrument_id)
    result = score(instrument, answers)
    low, high = instrument.score_range
    assert low <= result.score <= high
    assert result.band is not None and result.band.min <= result.score <= result.band.max


@settings(max_examples=50)
@given(st.sampled_from(BUILT_IN).flatmap(lambda i: st.tuples(st.just(i), answers_for(load_instrument(i)), st.data())))
def test_raising_one_answer_moves_the_raw_score_the_way_the_item_points(case):
    instrument_id, answers, data = case
    instrument = load_instrument(instrument_id)
    index = data.draw(st.integers(0, len(answers) - 1))
    item = instrument.items[index]
    if answers[index] == item.max:
        return
    raised = list(answers)
    raised[index] += 1
    delta = score(instrument, raised).raw - score(instrument, answers).raw
    # Plain items never lower the sum, reversed never raise it (0 possible under higher-of).
    assert delta <= 0 if item.reverse else delta >= 0


@settings(max_examples=50)
@given(st.sampled_from(BUILT_IN).flatmap(lambda i: st.tuples(st.just(i), answers_for(load_instrument(i)), st.data())))
def test_any_out_of_range_answer_is_rejected(case):
    instrument_id, answers, data = case
    instrument = load_instrument(instrument_id)
    index = data.draw(st.integers(0, len(answers) - 1))
    item = instrument.items[index]
    answers[index] = data.draw(st.one_of(st.integers(max_value=item.min - 1), st.integers(min_value=item.max + 1)))
    with pytest.raises(InstrumentError, match=f"item {item.id}: .* is out of range"):
        score(instrument, answers)


def test_result_as_dict_has_the_cli_keys():
    assert score("ompsq10", [5] * 10).as_dict() == {"instrument": "ompsq10", "raw": 50, "score": 50, "band": "high"}
    mdi_dict = score("mdi", [0] * 12).as_dict()
    assert list(mdi_dict) == ["instrument", "raw", "score", "band", "algorithms"]
    assert mdi_dict["algorithms"]["icd10"] == {
        "result": "none",
        "met": False,
        "counts": {"core": 0, "accompanying": 0, "total": 0},
    }


# --------------------------------------------------------------------------- custom scales


def test_custom_scale_from_a_small_dict():
    scale = custom_scale({"id": "energy", "name": "Energi i dag", "low_anchor": "Ingen", "high_anchor": "Fuld"})
    assert scale.id == "custom_energy"
    assert scale.item_ids == ("1",)
    assert (scale.items[0].min, scale.items[0].max) == (0, 10)
    assert scale.items[0].text == {"da": "Energi i dag", "en": "Energi i dag"}
    assert scale.items[0].scale.labels["da"] == {0: "Ingen", 10: "Fuld"}
    result = score(scale, [7])
    assert (result.instrument, result.raw, result.score, result.band) == ("custom_energy", 7, 7, None)
    assert result.as_dict() == {"instrument": "custom_energy", "raw": 7, "score": 7, "band": None}


def test_custom_scale_with_bands_and_range():
    scale = custom_scale(
        {
            "id": "custom_bodil",
            "name": {"da": "Bodils selvvurdering", "en": "Bodil's self-rating"},
            "question": "Hvordan har du det i dag?",
            "min": 1,
            "max": 5,
            "direction": "higher_is_worse",
            "bands": [
                {"key": "ok", "min": 1, "max": 3, "label": "OK"},
                {"key": "hard", "min": 4, "max": 5, "label": {"da": "Svært", "en": "Hard"}},
            ],
        }
    )
    assert scale.id == "custom_bodil"
    assert score(scale, [3]).band.key == "ok"
    assert score(scale, [4]).band.key == "hard"
    with pytest.raises(InstrumentError, match="0 is out of range 1 to 5"):
        score(scale, [0])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"name": "x"}, "id must be"),
        ({"id": "Energy!", "name": "x"}, "id must be"),
        ({"id": "energy"}, "name is required"),
        ({"id": "energy", "name": ""}, "name must be"),
        ({"id": "energy", "name": "x", "colour": "red"}, "unknown key"),
        ({"id": "energy", "name": "x", "min": 5, "max": 5}, "'min' must be below 'max'"),
        ({"id": "energy", "name": "x", "max": "10"}, "'max' must be a whole number"),
        (
            {"id": "energy", "name": "x", "bands": [{"key": "a", "min": 0, "max": 4, "label": "A"}]},
            "cover the score range",
        ),
        (
            {
                "id": "energy",
                "name": "x",
                "bands": [
                    {"key": "a", "min": 0, "max": 4, "label": "A"},
                    {"key": "b", "min": 6, "max": 10, "label": "B"},
                ],
            },
            "contiguous",
        ),
    ],
)
def test_custom_scale_validation(spec, message):
    with pytest.raises(InstrumentError, match=message):
        custom_scale(spec)


# --------------------------------------------------------------------------- licensed files


def licensed_who5() -> dict:
    """What an organisation uploads: the built-in WHO-5 plus item texts from its licensed copy."""
    data = raw_data("who5")
    data["item_texts"] = "included"
    for item in data["items"]:
        item["text"] = {"da": f"(licenseret tekst {item['id']})", "en": f"(licensed text {item['id']})"}
    return data


@pytest.mark.parametrize("instrument_id", BUILT_IN)
def test_built_in_files_pass_the_organisation_loader(instrument_id):
    assert instrument_from_dict(raw_data(instrument_id)).id == instrument_id


def test_licensed_file_adds_texts_and_scores_like_the_built_in():
    instrument = instrument_from_json(json.dumps(licensed_who5()))
    assert not instrument.needs_licensed_file
    assert instrument.items[0].text["da"] == "(licenseret tekst 1)"
    assert score(instrument, [3, 3, 2, 2, 2]) == score("who5", [3, 3, 2, 2, 2])


def test_licensed_file_with_a_built_in_id_may_not_change_the_scoring():
    data = licensed_who5()
    data["bands"][0]["max"] = 32
    data["bands"][1]["min"] = 33
    with pytest.raises(InstrumentError, match="differ from the built-in who5"):
        instrument_from_dict(data)
    data = licensed_who5()
    data["scoring"]["transform"]["multiply"] = 5
    data["bands"][2]["max"] = 125  # internally consistent, yet no longer the published WHO-5
    with pytest.raises(InstrumentError, match="differ from the built-in"):
        instrument_from_dict(data)


def test_modified_instrument_under_its_own_id_is_accepted():
    data = licensed_who5()
    data["id"] = "who5_local"
    data["scoring"]["transform"]["multiply"] = 1
    data["bands"] = []
    instrument = instrument_from_dict(data)
    assert score(instrument, [1, 1, 1, 1, 1]).score == 5


def mutate(instrument_id: str, change) -> dict:
    data = copy.deepcopy(raw_data(instrument_id))
    change(data)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (mutate("who5", lambda d: d.update(schema=2)), "'schema' must be 1"),
        (mutate("who5", lambda d: d.update(id="WHO 5")), "lower-case slug"),
        (mutate("who5", lambda d: d.update(item_texts="included")), "item 1: 'text' is required"),
        (mutate("nrs", lambda d: d.update(item_texts="licensed_file_required")), "smuggle|has a text"),
        (mutate("who5", lambda d: d["name"].pop("en")), "name name: needs a non-empty text for language 'en'"),
        (mutate("who5", lambda d: d["items"][1].update(id="1")), "id '1' is used twice"),
        (mutate("who5", lambda d: d["items"][1].update(scale="likert")), "unknown response scale"),
        (mutate("who5", lambda d: d["bands"][1].update(min=30)), "contiguous"),
        (mutate("who5", lambda d: d["bands"][2].update(max=99)), "cover the score range 0 to 100"),
        (mutate("pss10", lambda d: d["scoring"]["subscales"][0]["units"].append("11")), "unknown '11'"),
        (mutate("mdi", lambda d: d["scoring"]["higher_of"][1].update(items=["8b", "10a"])), "one higher_of group"),
        (mutate("mdi", lambda d: d["algorithms"][0]["levels"][0]["minimum"].update(sad=1)), "unknown group"),
        (mutate("mdi", lambda d: d["algorithms"][0]["results"].pop("mild")), "needs labels for mild"),
        (mutate("mdi", lambda d: d["algorithms"][1].update(type="magic")), "'type' must be"),
        (mutate("who5", lambda d: d["licence"].update(commercial_use="maybe")), "commercial_use"),
        (mutate("who5", lambda d: d.pop("licence")), "'licence' is required"),
        (mutate("who5", lambda d: d["items"][0].update(reverse="yes")), "'reverse' must be true or false"),
        ("not a dict", "must be a JSON object"),
    ],
)
def test_instrument_file_validation(data, message):
    with pytest.raises(InstrumentError, match=message) as err:
        instrument_from_dict(data)
    assert "\n" not in str(err.value)


def test_instrument_file_must_be_json():
    with pytest.raises(InstrumentError, match="not valid JSON"):
        instrument_from_json("{")
