"""The statistics engine (fasthold/evaluation/analysis.py), checked by hand and against published results."""

import math

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter
from lifelines.datasets import load_rossi
from scipy import stats

from fasthold.evaluation import analysis

Z = stats.norm.ppf(0.975)


# --- Kaplan–Meier by hand on 6 rows ----------------------------------------------------------------------
#
# durations 2, 3, 3+, 5, 6+, 8 (+ = censored). A censored time equal to an event time counts as at risk
# at that time. Product-limit:
#   t=2: at risk 6, 1 event -> S = 5/6                  = 0.8333
#   t=3: at risk 5, 1 event -> S = 5/6 * 4/5 = 4/6      = 0.6667   (the 3+ leaves after t=3)
#   t=5: at risk 3, 1 event -> S = 4/6 * 2/3 = 8/18     = 0.4444
#   t=6: censored, S unchanged
#   t=8: at risk 1, 1 event -> S = 0
# Median: the first time S <= 1/2, t = 5. At risk at t = people with duration >= t:
#   t=0: 6, t=2: 6, t=4: 3 (5, 6+, 8), t=7: 1 (8), t=8: 1, t=9: 0.
# 95% band (Greenwood, log-log) at t=2: se(log(-log S)) = sqrt(1/(6*5)) / |log(5/6)|,
#   band = S ** exp(±1.96 * se).
DURATIONS = [2, 3, 3, 5, 6, 8]
EVENTS = [1, 1, 0, 1, 0, 1]


def test_kaplan_meier_by_hand():
    km = analysis.kaplan_meier(DURATIONS, EVENTS, ["a"] * 6, times=[0, 2, 4, 7, 8, 9])
    g = km["groups"]["a"]
    assert (g["n"], g["events"], g["censored"]) == (6, 4, 2)
    assert g["median"] == 5
    expected = {"0": 1, "2": 5 / 6, "4": 4 / 6, "7": 8 / 18, "8": 0, "9": 0}
    for key, survival in expected.items():
        assert g["at"][key]["survival"] == pytest.approx(survival, abs=1e-12), key
    assert {k: v["at_risk"] for k, v in g["at"].items()} == {"0": 6, "2": 6, "4": 3, "7": 1, "8": 1, "9": 0}
    se = math.sqrt(1 / 30) / abs(math.log(5 / 6))
    assert g["at"]["2"]["lower"] == pytest.approx((5 / 6) ** math.exp(Z * se), abs=1e-6)
    assert g["at"]["2"]["upper"] == pytest.approx((5 / 6) ** math.exp(-Z * se), abs=1e-6)
    # The curve for drawing: every step from 0, with its band.
    assert [(t, round(s, 4)) for t, s, _lo, _hi in g["curve"]] == [
        (0, 1),
        (2, 0.8333),
        (3, 0.6667),
        (5, 0.4444),
        (6, 0.4444),
        (8, 0),
    ]


def test_a_median_not_reached_is_none_and_nothing_is_said_beyond_the_follow_up():
    # One return among six, the last person followed to 9: S stays at 5/6 and is unknown after 9.
    km = analysis.kaplan_meier([4, 5, 6, 7, 8, 9], [1, 0, 0, 0, 0, 0], ["b"] * 6, times=[9, 10])
    g = km["groups"]["b"]
    assert g["median"] is None
    assert g["at"]["9"]["survival"] == pytest.approx(5 / 6)
    assert g["at"]["10"] == {"time": 10.0, "survival": None, "lower": None, "upper": None, "at_risk": 0}


def test_groups_in_numeric_order_or_as_given():
    km = analysis.kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], ["10", "9", "10", "9"])
    assert km["order"] == ["9", "10"]
    km = analysis.kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1], ["b", "a", "b", "a"], order=["b", "a", "c"])
    assert km["order"] == ["b", "a"]


# --- Restricted mean survival time, by hand ---------------------------------------------------------------
#
# A: 1, 2, 3, 4, 5 (all events), tau = 5. S = 1, .8, .6, .4, .2 on [0,1), [1,2), ... [4,5):
#    RMST = 1 + .8 + .6 + .4 + .2 = 3.0.
#    Var = sum A_j^2 d_j / (n_j (n_j - d_j)), A_j = area from t_j to tau:
#    t=1: 2.0^2/(5*4) = .2; t=2: 1.2^2/(4*3) = .12; t=3: .6^2/(3*2) = .06; t=4: .2^2/(2*1) = .02;
#    t=5: n = d, term 0. Var = .4 (without censoring: the variance of {1..5}, 2, over n = 5).
# B: 2, 4, 6, 8, 10 (all events), tau = 5. S = 1 on [0,2), .8 on [2,4), .6 on [4,6):
#    RMST = 2 + 1.6 + .6 = 4.2. t=2: A = 1.6 + .6 = 2.2, 2.2^2/(5*4) = .242; t=4: A = .6, .36/(4*3) = .03.
#    Var = .272.
# B - A = 1.2, se = sqrt(.4 + .272) = sqrt(.672), 95% CI 1.2 ± 1.96 * se.
def test_rmst_difference_by_hand():
    durations = [1, 2, 3, 4, 5, 2, 4, 6, 8, 10]
    groups = ["A"] * 5 + ["B"] * 5
    result = analysis.rmst_difference(durations, [1] * 10, groups, "A", "B", horizon=5)
    assert result["groups"] == {"A": pytest.approx(3.0), "B": pytest.approx(4.2)}
    assert result["se"]["A"] == pytest.approx(math.sqrt(0.4))
    assert result["se"]["B"] == pytest.approx(math.sqrt(0.272))
    se = math.sqrt(0.672)
    assert result["difference"] == pytest.approx(1.2)
    assert result["lower"] == pytest.approx(1.2 - Z * se)
    assert result["upper"] == pytest.approx(1.2 + Z * se)
    assert result["p"] == pytest.approx(2 * stats.norm.sf(1.2 / se))
    assert result["beyond_follow_up"] is False


# With censoring: 1, 2+, 3, 4, tau = 4. S = 1 on [0,1), 3/4 on [1,3), 3/8 on [3,4), 0 from 4.
#    RMST = 1 + .75 * 2 + .375 = 2.875. t=1: A = 1.875, 1.875^2/(4*3) = .29296875;
#    t=3: A = .375, .375^2/(2*1) = .0703125; t=4: n = d, 0. Var = .36328125.
def test_rmst_with_censoring_by_hand():
    result = analysis.rmst([1, 2, 3, 4], [1, 0, 1, 1], horizon=4)
    assert result["rmst"] == pytest.approx(2.875)
    assert result["se"] == pytest.approx(math.sqrt(0.36328125))
    assert analysis.rmst([1, 2, 3, 4], [1, 0, 1, 1], horizon=6)["beyond_follow_up"] is True


# --- Log-rank and Cox on the Rossi data ---------------------------------------------------------------------


def mantel_haenszel_logrank(durations, events, groups):
    """An independent two-group log-rank (observed minus expected, hypergeometric variance), as in
    R's survdiff, written out here to check lifelines with."""
    t, e, g = np.asarray(durations), np.asarray(events), np.asarray(groups)
    o_minus_e = variance = 0.0
    for time in np.unique(t[e == 1]):
        at_risk = t >= time
        n, n1 = at_risk.sum(), (at_risk & (g == 1)).sum()
        d = ((t == time) & (e == 1)).sum()
        d1 = ((t == time) & (e == 1) & (g == 1)).sum()
        o_minus_e += d1 - d * n1 / n
        if n > 1:
            variance += d * (n1 / n) * (1 - n1 / n) * (n - d) / (n - 1)
    return o_minus_e**2 / variance


def test_logrank_on_rossi_by_financial_aid():
    rossi = load_rossi()
    result = analysis.logrank(rossi["week"], rossi["arrest"], rossi["fin"])
    chi2 = mantel_haenszel_logrank(rossi["week"], rossi["arrest"], rossi["fin"])
    assert result["statistic"] == pytest.approx(chi2, rel=1e-9)
    assert result["df"] == 1
    assert result["p"] == pytest.approx(stats.chi2.sf(chi2, 1), rel=1e-9)
    # Rounded as survdiff prints it: Chisq = 3.8 on 1 degree of freedom, p = 0.05.
    assert (round(result["statistic"], 1), round(result["p"], 2)) == (3.8, 0.05)


def test_logrank_of_three_groups_and_its_refusals():
    result = analysis.logrank([1, 2, 3, 4, 5, 6], [1, 1, 1, 1, 1, 1], ["a", "b", "c", "a", "b", "c"])
    assert result["df"] == 2
    with pytest.raises(analysis.InputError, match="two groups"):
        analysis.logrank([1, 2], [1, 1], ["a", "a"])
    with pytest.raises(analysis.InputError, match="no events"):
        analysis.logrank([1, 2], [0, 0], ["a", "b"])


def test_cox_keeps_complete_cases_and_reports_the_proportional_hazards_check():
    rossi = load_rossi()
    ages = rossi["age"].astype(object)
    ages[:10] = None
    fit = analysis.cox(rossi["week"], rossi["arrest"], {"fin": rossi["fin"], "age": ages}, check_ph=True)
    assert (fit["n"], fit["dropped_rows"]) == (422, 10)
    assert fit["fin"]["hr"] == pytest.approx(math.exp(fit["fin"]["coef"]))
    assert fit["fin"]["lower"] < fit["fin"]["hr"] < fit["fin"]["upper"]
    assert 0 < fit["fin"]["ph_p"] <= 1 and 0 < fit["age"]["ph_p"] <= 1
    assert fit["ph_p"] == pytest.approx(min(1, 2 * min(fit["fin"]["ph_p"], fit["age"]["ph_p"])))


def test_efron_counts_rows_not_weights_so_rows_are_not_aggregated():
    """Why the engine does not collapse identical rows into weights: lifelines' Efron correction counts
    tied rows, so every row weighted 2 gives the coefficients of the data once, not of the data twice."""
    rossi = load_rossi()
    once = CoxPHFitter().fit(rossi, "week", "arrest").params_
    weighted = CoxPHFitter().fit(rossi.assign(w=2.0), "week", "arrest", weights_col="w").params_
    twice = CoxPHFitter().fit(pd.concat([rossi, rossi]), "week", "arrest").params_
    assert np.allclose(weighted, once, atol=1e-6)
    assert not np.allclose(weighted, twice, atol=1e-4)
    assert abs(weighted["fin"] - twice["fin"]) > 3e-4


def test_dummies_leave_out_the_most_frequent_level():
    columns = analysis.dummies("cause", ["mental", "physical", "mental", None, "other"])
    assert columns == {"cause=other": [0, 0, 0, None, 1], "cause=physical": [0, 1, 0, None, 0]}
    assert list(analysis.dummies("arm", ["b", "a", "b"], reference="a")) == ["arm=b"]


# --- Sites and heterogeneity ----------------------------------------------------------------------------


def test_cochrans_q_and_i2_by_hand():
    # Two sites, log HR 0 and 1, se 0.1 each: weights 100, pooled 0.5, Q = 100 * (0.25 + 0.25) = 50, I² = 49/50.
    het = analysis.heterogeneity([0.0, 1.0], [0.1, 0.1])
    assert het["q"] == pytest.approx(50)
    assert het["df"] == 1
    assert het["i2"] == pytest.approx(0.98)
    assert het["p"] == pytest.approx(stats.chi2.sf(50, 1))
    assert het["pooled_hr"] == pytest.approx(math.exp(0.5))
    # Q below its degrees of freedom: no heterogeneity beyond chance, I² = 0.
    assert analysis.heterogeneity([0.0, 0.1], [0.5, 0.5])["i2"] == 0


def synthetic_sites(seed=3):
    """Three sites where the arm helps a lot, a little and not at all, and a fourth too small to show."""
    rng = np.random.default_rng(seed)
    rows = []
    for site, hr, n in (("A", 2.0, 400), ("B", 1.2, 400), ("C", 0.8, 400), ("D", 2.0, 6)):
        arm = np.arange(n) % 2
        time = rng.exponential(20 / np.where(arm == 1, hr, 1.0))
        censor = rng.uniform(10, 80, n)
        rows.append(pd.DataFrame({"t": np.minimum(time, censor), "e": (time <= censor).astype(int), "arm": arm}))
        rows[-1]["site"] = site
    return pd.concat(rows, ignore_index=True)


def test_per_site_hazard_ratios_and_heterogeneity():
    df = synthetic_sites()
    result = analysis.per_site(df["t"], df["e"], df["arm"], df["site"])
    sites = {s["site"]: s for s in result["sites"]}
    assert sites["A"]["hr"] > 1.5 and sites["C"]["hr"] < 1.0
    assert sites["D"]["suppressed"] and sites["D"]["hr"] is None
    assert result["method"] == "cochran_q"
    assert result["heterogeneity"]["df"] == 2
    assert result["heterogeneity_p"] < 0.001
    # The per-site estimates are those of a Cox model of the site alone.
    a = df[df.site == "A"]
    alone = analysis.cox(a["t"], a["e"], {"arm": a["arm"]})["arm"]["hr"]
    assert sites["A"]["hr"] == pytest.approx(alone)


def test_recurrence_rate_per_thousand_person_years():
    # Weeks from the return: 2 recurrences over 100 + 52 + 52 + 20 = 224 person-weeks.
    result = analysis.recurrence([100, 52, 52, 20], [1, 0, 0, 1], ["x"] * 4, years_per_unit=7 / 365.25)
    years = 224 * 7 / 365.25
    assert result["x"]["recurrences"] == 2
    assert result["x"]["rate_per_1000"] == pytest.approx(2000 / years)


# --- Suppression and caveats ------------------------------------------------------------------------------


def test_suppression_rule():
    assert [analysis.suppress(n) for n in (0, 1, 4, 5, 6)] == [True, True, True, False, False]


def test_a_group_under_five_is_suppressed_in_the_export():
    durations = [1, 2, 3, 4, 5, 1, 2, 3, 4]
    events = [1, 1, 0, 1, 1, 1, 1, 1, 0]
    groups = ["big"] * 5 + ["small"] * 4
    summary = analysis.export_summary(durations, events, groups, times={"2": 2.0})
    big, small = summary["groups"]
    assert big == {"name": "big", "n": 5, "events": 4, "median": 4.0, "survival": {"2": pytest.approx(0.6)}}
    assert small == {
        "name": "small",
        "n": None,
        "events": None,
        "median": None,
        "survival": {"2": None},
        "suppressed": True,
    }
    # The test between the groups is still reported: it shows no person's figures.
    assert summary["logrank"]["p"] is not None


def test_caveats_are_flags_for_the_page_to_word():
    df = synthetic_sites()
    km = analysis.kaplan_meier(df["t"], df["e"], df["arm"])
    adjusted = analysis.cox(df["t"], df["e"], {"arm": df["arm"]}, check_ph=True)
    sites = analysis.per_site(df["t"], df["e"], df["arm"], df["site"])
    flags = analysis.caveats(km, randomised=False, cox_adjusted=adjusted, sites=sites)
    assert flags["not_randomised"] and flags["sites_differ"]
    assert not flags["small_numbers"] and not flags["suppressed"]
    assert flags["effect"] in {"faster", "unclear"}
    small = analysis.kaplan_meier([1, 2, 3, 4, 5, 6], [1, 0, 0, 0, 0, 1], ["a", "a", "a", "b", "b", "b"])
    flags = analysis.caveats(small, randomised=True)
    assert flags["small_numbers"] and flags["suppressed"] and flags["heavily_censored"]
    assert not flags["not_randomised"] and flags["effect"] is None
