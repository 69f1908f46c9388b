"""The survival statistics of an evaluation: a pure module (no Django), computed with lifelines.

Input is plain columns: durations (any unit; the caller says which, the page uses weeks), events (1 = the
sustained return was observed, 0 = censored), group labels and numeric covariates, as lists or arrays of
equal length. Output is plain dicts of Python numbers, so results can be cached, pickled and turned into
JSON without conversion. `None` stands for "not estimable" (a median not reached, a time beyond follow-up).

What comes from lifelines and what is computed here:
- Kaplan–Meier, its 95% band (Greenwood's exponential formula, "log-log" in R's survfit) and the median:
  `KaplanMeierFitter`. Numbers at risk at time t are the people with duration >= t (as R's survfit).
- Log-rank for two or more groups: `lifelines.statistics.multivariate_logrank_test`.
- Cox: `CoxPHFitter` (Efron ties, as R's coxph), and its proportional-hazards check:
  `lifelines.statistics.proportional_hazard_test` (scaled Schoenfeld residuals against rank of time).
- Restricted mean survival time (RMST): the point estimate is lifelines' `restricted_mean_survival_time`.
  lifelines has no standard error for it (its `return_variance` is the variance of the restricted time
  itself, and `difference_of_restricted_mean_survival_time_test` is an empty stub in 0.30), so the
  variance here is the usual Greenwood-type one, as R's survival (print.survfit, rmean) and survRM2 use:
  Var = sum over event times t_j <= tau of A_j^2 d_j / (n_j (n_j - d_j)), with A_j the area under the
  curve from t_j to tau. The difference of two arms has variance Var_1 + Var_2 (independent groups).
- Heterogeneity between sites: Cochran's Q on the per-site log hazard ratios (inverse-variance weights),
  with I^2 = max(0, (Q - df) / Q) and p from the chi-squared distribution with (sites - 1) degrees of
  freedom. Q is chosen over an arm x site interaction test because it speaks about exactly the per-site
  hazard ratios the page shows.

Cox on a million rows takes a few seconds in lifelines as it is, so rows are not aggregated into weights:
lifelines' Efron correction counts tied rows, not their weights, so a row of weight 2 is not the same as
two identical rows (tests/evaluation/test_analysis.py shows the difference).

Small groups: `suppress(n)` is the rule for anything exported (fewer than SUPPRESS_BELOW people).
Plain-language interpretation is left to the page (a pure module cannot mark strings for translation):
`caveats()` returns flags the page words.
"""

import math
import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test, proportional_hazard_test
from lifelines.utils import restricted_mean_survival_time
from scipy import stats

# Groups with fewer people than this are suppressed in anything exported.
SUPPRESS_BELOW = 5
# Under this many people in an arm, or this many returns per covariate of the adjusted model, the
# figures are flagged as resting on small numbers.
SMALL_ARM = 30
EVENTS_PER_COVARIATE = 10
# More than this share censored in an arm is flagged.
HEAVY_CENSORING = 0.5
ALPHA = 0.05
Z = float(stats.norm.ppf(1 - ALPHA / 2))


class InputError(ValueError):
    """The data cannot be analysed as given; the message is one line, fit for a user."""


def suppress(n: int) -> bool:
    """True when a group of n people must not be shown in anything exported."""
    return n < SUPPRESS_BELOW


def time_key(t: float) -> str:
    """The key of a time in result dicts: 26 -> "26", 26.5 -> "26.5"."""
    t = float(t)
    return str(int(t)) if t.is_integer() else repr(t)


def _number(value) -> float | None:
    """A finite Python float, else None (NaN and infinity are not JSON)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _columns(durations, events) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=float)
    if t.shape != e.shape or t.ndim != 1:
        raise InputError("durations and events must be columns of the same length")
    if np.isnan(t).any() or (t < 0).any():
        raise InputError("durations must be numbers of zero or more")
    if not np.isin(e, (0, 1)).all():
        raise InputError("events must be 0 or 1")
    return t, e.astype(int)


def _order(groups: Sequence) -> list:
    """Group names in a stable order: numerically when all are numbers, else as sorted text."""
    names = list(dict.fromkeys(groups))
    try:
        return sorted(names, key=float)
    except (TypeError, ValueError):
        return sorted(names, key=str)


def _fit_km(t: np.ndarray, e: np.ndarray, label: str = "km") -> KaplanMeierFitter:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return KaplanMeierFitter(alpha=ALPHA).fit(t, e, label=label)


def _step_at(frame: pd.DataFrame, t: float) -> np.ndarray:
    """The row of a step function (indexed by a timeline starting at 0) in force at time t."""
    return frame.values[np.searchsorted(frame.index.values, t, side="right") - 1]


def _km_group(t: np.ndarray, e: np.ndarray, times: Iterable[float], horizon: float | None) -> dict:
    kmf = _fit_km(t, e)
    sf = kmf.survival_function_
    ci = kmf.confidence_interval_
    last = float(t.max()) if len(t) else 0.0
    at = {}
    for time in times:
        s = float(_step_at(sf, time)[0])
        lower, upper = (float(x) for x in _step_at(ci, time))
        # Beyond the last follow-up the curve is unknown, unless it already reached zero.
        known = time <= last or s == 0.0
        at[time_key(time)] = {
            "time": float(time),
            "survival": s if known else None,
            "lower": lower if known else None,
            "upper": upper if known else None,
            "at_risk": int((t >= time).sum()),
        }
    end = last if horizon is None else min(horizon, last)
    timeline = sf.index.values
    keep = timeline <= end
    curve = [
        (float(time), float(s), float(lo), float(hi))
        for time, s, (lo, hi) in zip(timeline[keep], sf.values[keep, 0], ci.values[keep])
    ]
    if curve and curve[-1][0] < end:
        curve.append((float(end), *curve[-1][1:]))
    median = kmf.median_survival_time_
    return {
        "n": int(len(t)),
        "events": int(e.sum()),
        "censored": int(len(t) - e.sum()),
        "median": _number(median),
        "last_follow_up": last,
        "at": at,
        "curve": curve,
    }


def kaplan_meier(
    durations, events, groups, *, times: Iterable[float] = (26, 52), horizon=None, order: list | None = None
) -> dict:
    """Kaplan–Meier per group.

    Returns {"groups": {name: {"n", "events", "censored", "median", "last_follow_up", "at", "curve"}},
    "order": [names]}. "median" is None when the curve does not reach one half. "at" is keyed by
    time_key(t): {"time", "survival", "lower", "upper", "at_risk"}; survival and its band are None
    beyond the group's last follow-up. "curve" is [(time, survival, lower, upper)] from 0 up to the
    horizon (or the last follow-up, whichever comes first), for drawing. `order` fixes the order of
    the groups (else numeric or alphabetical).
    """
    t, e = _columns(durations, events)
    g = np.asarray(list(groups), dtype=object)
    if len(g) != len(t):
        raise InputError("groups must be a column as long as the durations")
    times = [float(x) for x in times]
    order = [name for name in order if (g == name).any()] if order is not None else _order(g)
    return {
        "order": order,
        "groups": {name: _km_group(t[g == name], e[g == name], times, horizon) for name in order},
    }


def logrank(durations, events, groups) -> dict:
    """The log-rank test of equal survival in all groups (two or more): {"statistic", "df", "p"}."""
    t, e = _columns(durations, events)
    g = np.asarray(list(groups), dtype=object)
    names = _order(g)
    if len(names) < 2:
        raise InputError("the log-rank test needs at least two groups")
    if e.sum() == 0:
        raise InputError("there are no events: nothing to compare")
    # lifelines compares group labels; integer codes keep mixed types from confusing it.
    labels = pd.Categorical(g, categories=names).codes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = multivariate_logrank_test(t, labels, e)
    return {
        "statistic": _number(result.test_statistic),
        "df": int(result.degrees_of_freedom),
        "p": _number(result.p_value),
    }


def _area_to(sf_times: np.ndarray, sf_values: np.ndarray, upto: float) -> float:
    """Area under a right-continuous step function from 0 to `upto`."""
    edges = np.append(sf_times[sf_times < upto], upto)
    return float(np.sum(np.diff(edges) * sf_values[: len(edges) - 1]))


def rmst(durations, events, *, horizon: float) -> dict:
    """Restricted mean survival time up to `horizon`: {"rmst", "se", "lower", "upper", "beyond_follow_up"}."""
    t, e = _columns(durations, events)
    kmf = _fit_km(t, e)
    value = float(restricted_mean_survival_time(kmf, t=horizon))
    table = kmf.event_table
    sf = kmf.survival_function_
    times, values = sf.index.values, sf.values[:, 0]
    variance = 0.0
    for at, row in table[(table.index <= horizon) & (table["observed"] > 0)].iterrows():
        n, d = float(row["at_risk"]), float(row["observed"])
        if n > d:
            area = value - _area_to(times, values, at)
            variance += area * area * d / (n * (n - d))
    se = math.sqrt(variance)
    return {
        "rmst": value,
        "se": se,
        "lower": value - Z * se,
        "upper": value + Z * se,
        "beyond_follow_up": bool(len(t) and horizon > t.max()),
    }


def rmst_difference(durations, events, groups, first, second, *, horizon: float) -> dict:
    """RMST per group and the difference second − first with its 95% CI.

    Returns {"groups": {name: rmst}, "se": {name: se}, "difference", "lower", "upper", "p", "horizon",
    "beyond_follow_up"}. With durations as time to return, a negative difference means the second group
    spent less time off work before returning (within the horizon).
    """
    t, e = _columns(durations, events)
    g = np.asarray(list(groups), dtype=object)
    a = rmst(t[g == first], e[g == first], horizon=horizon)
    b = rmst(t[g == second], e[g == second], horizon=horizon)
    difference = b["rmst"] - a["rmst"]
    se = math.sqrt(a["se"] ** 2 + b["se"] ** 2)
    p = float(2 * stats.norm.sf(abs(difference) / se)) if se > 0 else None
    return {
        "groups": {first: a["rmst"], second: b["rmst"]},
        "se": {first: a["se"], second: b["se"]},
        "difference": difference,
        "lower": difference - Z * se,
        "upper": difference + Z * se,
        "p": p,
        "horizon": float(horizon),
        "beyond_follow_up": a["beyond_follow_up"] or b["beyond_follow_up"],
    }


def dummies(name: str, values: Sequence, *, reference=None) -> dict[str, list[int]]:
    """Indicator columns "name=level" for a categorical covariate, leaving out the reference level
    (the most frequent one unless given; ties go to the first in sorted order)."""
    values = list(values)
    levels = _order([v for v in values if v is not None])
    if reference is None and levels:
        counts = {level: values.count(level) for level in levels}
        reference = max(levels, key=lambda level: (counts[level], -levels.index(level)))
    return {
        f"{name}={level}": [None if v is None else int(v == level) for v in values]
        for level in levels
        if level != reference
    }


def _cox_frame(t, e, covariates: dict[str, Sequence]) -> tuple[pd.DataFrame, int]:
    """The model's columns as one float block (a million rows are copied once, not per column), with
    the rows that miss a value left out; and how many were left out."""
    # Column-major, as pandas keeps a block of float columns: lifelines then reads contiguous columns.
    matrix = np.empty((len(covariates) + 2, len(t)))
    matrix[0], matrix[1] = t, e
    for i, (name, values) in enumerate(covariates.items(), start=2):
        column = np.asarray(values)
        if column.dtype.kind not in "biuf":
            # None (missing) and anything else that is not a number become NaN, and the row is left out.
            column = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").values
        if len(column) != len(t):
            raise InputError(f"covariate {name} is not as long as the durations")
        matrix[i] = column
    complete = ~np.isnan(matrix).any(axis=0)
    if not complete.all():
        matrix = matrix[:, complete]
    frame = pd.DataFrame(matrix.T, columns=["_duration", "_event", *covariates], copy=False)
    return frame, int((~complete).sum())


def cox_fit(durations, events, covariates: dict[str, Sequence], *, check_ph: bool = False) -> dict:
    """A Cox model (Efron ties) of the given numeric covariates; rows with a missing value are left out
    (complete cases). Covariates without variation in those rows cannot be estimated and are left out.

    Returns {"terms": [{"covariate", "coef", "se", "hr", "ci_lower", "ci_upper", "p", "ph_p"}],
    "n", "events", "dropped_rows", "dropped_terms", "ph_p"}. The CI is of the hazard ratio. "ph_p" per
    term is lifelines' proportional-hazards test (rank of time); the model's "ph_p" is the smallest of
    them times the number of terms (Bonferroni), at most 1. Without check_ph they are None.
    """
    if not covariates:
        raise InputError("the Cox model needs at least one covariate")
    t, e = _columns(durations, events)
    frame, dropped_rows = _cox_frame(t, e, covariates)
    names = [name for name in covariates if len(frame) and (frame[name].values != frame[name].values[0]).any()]
    dropped_terms = [name for name in covariates if name not in names]
    if not names:
        raise InputError(f"covariate {dropped_terms[0]} does not vary: the Cox model cannot be fitted")
    if frame["_event"].sum() == 0:
        raise InputError("there are no events: the Cox model cannot be fitted")
    if dropped_terms:
        frame = frame[["_duration", "_event", *names]]
    fitter = CoxPHFitter(alpha=ALPHA)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            # Batch mode (vectorised over the distinct times) always: lifelines' own choice sometimes
            # takes its row-by-row loop, 8 times slower on 100,000 rows; the estimates are the same.
            fitter.fit(frame, duration_col="_duration", event_col="_event", batch_mode=True)
        except Exception as error:  # lifelines raises ConvergenceError and linear-algebra errors
            raise InputError(f"the Cox model could not be fitted ({type(error).__name__})") from error
        ph = {}
        if check_ph:
            result = proportional_hazard_test(fitter, frame, time_transform="rank")
            ph = {name: _number(p) for name, p in zip(result.name, result.p_value)}
    summary = fitter.summary
    terms = [
        {
            "covariate": name,
            "coef": _number(summary.loc[name, "coef"]),
            "se": _number(summary.loc[name, "se(coef)"]),
            "hr": _number(summary.loc[name, "exp(coef)"]),
            "ci_lower": _number(summary.loc[name, "exp(coef) lower 95%"]),
            "ci_upper": _number(summary.loc[name, "exp(coef) upper 95%"]),
            "p": _number(summary.loc[name, "p"]),
            "ph_p": ph.get(name),
        }
        for name in names
    ]
    ph_values = [p for p in ph.values() if p is not None]
    return {
        "terms": terms,
        "n": int(len(frame)),
        "events": int(frame["_event"].sum()),
        "dropped_rows": int(dropped_rows),
        "dropped_terms": dropped_terms,
        "ph_p": min(1.0, min(ph_values) * len(ph_values)) if ph_values else None,
    }


def cox(durations, events, covariates: dict[str, Sequence], *, check_ph: bool = False) -> dict:
    """cox_fit keyed for the page: {covariate: {"coef", "se", "hr", "lower", "upper", "p", "ph_p"},
    "ph_p": model-level check (see cox_fit), "n", "events", "dropped_rows"}. A covariate that could not
    be estimated is absent."""
    fit = cox_fit(durations, events, covariates, check_ph=check_ph)
    out: dict = {
        term["covariate"]: {
            "coef": term["coef"],
            "se": term["se"],
            "hr": term["hr"],
            "lower": term["ci_lower"],
            "upper": term["ci_upper"],
            "p": term["p"],
            "ph_p": term["ph_p"],
        }
        for term in fit["terms"]
    }
    out.update(ph_p=fit["ph_p"], n=fit["n"], events=fit["events"], dropped_rows=fit["dropped_rows"])
    return out


def heterogeneity(log_hrs: Sequence[float], ses: Sequence[float]) -> dict:
    """Cochran's Q and I^2 of estimates with standard errors: {"q", "df", "p", "i2", "pooled_hr"}."""
    b = np.asarray(log_hrs, dtype=float)
    w = 1 / np.asarray(ses, dtype=float) ** 2
    if len(b) < 2:
        return {"q": None, "df": 0, "p": None, "i2": None, "pooled_hr": _number(np.exp(b[0])) if len(b) else None}
    pooled = float(np.sum(w * b) / np.sum(w))
    q = float(np.sum(w * (b - pooled) ** 2))
    df = len(b) - 1
    return {
        "q": q,
        "df": df,
        "p": float(stats.chi2.sf(q, df)),
        "i2": max(0.0, (q - df) / q) if q > 0 else 0.0,
        "pooled_hr": math.exp(pooled),
    }


def per_site(
    durations,
    events,
    treated,
    sites,
    *,
    covariates: dict[str, Sequence] | None = None,
    min_group: int = SUPPRESS_BELOW,
) -> dict:
    """The arm's hazard ratio in each site (a Cox model per site of `treated`, 0/1, plus any covariates),
    and the heterogeneity between sites (Cochran's Q on the log hazard ratios, see the module docstring).

    A site where either arm has fewer than min_group people, or where the model cannot be fitted, gets
    "hr": None and stays out of the heterogeneity test ("suppressed" says which of the two).
    Returns {"sites": [{"site", "n", "hr", "lower", "upper", "p", "suppressed"}], "heterogeneity_p",
    "heterogeneity": {...}, "method": "cochran_q"}.
    """
    t, e = _columns(durations, events)
    arm = np.asarray(list(treated), dtype=float)
    s = np.asarray(list(sites), dtype=object)
    covariates = covariates or {}
    rows, log_hrs, ses = [], [], []
    for site in _order(s):
        mask = s == site
        counts = (int((arm[mask] == 1).sum()), int((arm[mask] == 0).sum()))
        row = {"site": site, "n": int(mask.sum()), "hr": None, "lower": None, "upper": None, "p": None}
        row["suppressed"] = min(counts) < min_group
        if not row["suppressed"]:
            chosen = {"arm": arm[mask], **{k: np.asarray(list(v), dtype=object)[mask] for k, v in covariates.items()}}
            try:
                fit = cox(t[mask], e[mask], chosen)
            except InputError:
                fit = {}
            if "arm" in fit and fit["arm"]["se"]:
                term = fit["arm"]
                row.update(hr=term["hr"], lower=term["lower"], upper=term["upper"], p=term["p"])
                log_hrs.append(term["coef"])
                ses.append(term["se"])
        rows.append(row)
    het = heterogeneity(log_hrs, ses)
    return {"sites": rows, "heterogeneity": het, "heterogeneity_p": het["p"], "method": "cochran_q"}


def recurrence(durations, events, groups, *, years_per_unit: float) -> dict:
    """Recurrence among those who returned: per group the people followed, recurrences, person-years,
    the rate per 1,000 person-years and the median time to recurrence (None if not reached).
    durations are the time from the return to recurrence or to the end of follow-up."""
    t, e = _columns(durations, events)
    g = np.asarray(list(groups), dtype=object)
    out = {}
    for name in _order(g):
        mask = g == name
        years = float(t[mask].sum()) * years_per_unit
        out[name] = {
            "n": int(mask.sum()),
            "recurrences": int(e[mask].sum()),
            "person_years": years,
            "rate_per_1000": 1000 * float(e[mask].sum()) / years if years > 0 else None,
            "median": _number(_fit_km(t[mask], e[mask]).median_survival_time_) if mask.any() else None,
        }
    return out


def adjusted_covariates(arm, *, age, sex, cause_group, profession, weeks_absent) -> dict[str, list]:
    """The covariates of the adjusted model of a program, as the issue names them: the arm (a 0/1 column
    named "arm", or several indicator columns given as a dict, as from dummies()), age, sex (1 male),
    cause group and profession (indicators against the most frequent level), weeks absent at allocation."""
    return {
        **({k: list(v) for k, v in arm.items()} if isinstance(arm, dict) else {"arm": list(arm)}),
        "age": list(age),
        "sex": list(sex),
        **dummies("cause_group", list(cause_group)),
        **dummies("profession", [p or "unknown" for p in profession]),
        "weeks_absent": list(weeks_absent),
    }


def export_summary(
    durations, events, groups, *, times: dict[str, float], covariates=None, order: list | None = None
) -> dict:
    """The exported summary (`fasthold evaluate --json`): {"groups": [{"name", "n", "events", "median",
    "survival": {key: s}}], "logrank": {"statistic", "p"}, "cox": [{"covariate", "coef", "hr",
    "ci_lower", "ci_upper", "p"}]}. `times` maps the keys to print to the times. Groups under
    SUPPRESS_BELOW people keep their name, show null figures and carry "suppressed": true. The Cox
    model has exactly the given covariates (an empty list without any)."""
    km = kaplan_meier(durations, events, groups, times=list(times.values()), order=order)
    out_groups = []
    for name in km["order"]:
        g = km["groups"][name]
        if suppress(g["n"]):
            out_groups.append(
                {
                    "name": str(name),
                    "n": None,
                    "events": None,
                    "median": None,
                    "survival": dict.fromkeys(times),
                    "suppressed": True,
                }
            )
            continue
        out_groups.append(
            {
                "name": str(name),
                "n": g["n"],
                "events": g["events"],
                "median": g["median"],
                "survival": {key: g["at"][time_key(t)]["survival"] for key, t in times.items()},
            }
        )
    test = logrank(durations, events, groups)
    cox_terms = []
    if covariates:
        fit = cox_fit(durations, events, covariates)
        if fit["dropped_terms"]:
            raise InputError(f"covariate {fit['dropped_terms'][0]} does not vary: it cannot be estimated")
        cox_terms = [
            {k: term[k] for k in ("covariate", "coef", "hr", "ci_lower", "ci_upper", "p")} for term in fit["terms"]
        ]
    return {
        "groups": out_groups,
        "logrank": {"statistic": test["statistic"], "p": test["p"]},
        "cox": cox_terms,
    }


def caveats(km: dict, *, randomised: bool, cox_adjusted: dict | None = None, sites: dict | None = None) -> dict:
    """What the reader must be told, as flags for the page to word (it owns the translated sentences):

    - small_numbers: an arm under SMALL_ARM people, or fewer than EVENTS_PER_COVARIATE returns per term
      of the adjusted model;
    - suppressed: an arm under SUPPRESS_BELOW people (its figures are not shown);
    - not_randomised: the arms were not allocated at random (adjustment cannot remove all differences);
    - heavily_censored: more than HEAVY_CENSORING of an arm censored (no sustained return known yet);
    - median_not_reached: an arm's median is not estimable;
    - ph_violated: the proportional-hazards check of the adjusted model has p < ALPHA (the hazard ratio
      is then an average over time);
    - sites_differ: the heterogeneity test between sites has p < ALPHA;
    - effect: "faster", "slower" or "unclear" from the adjusted (else no) arm hazard ratio's CI.
    """
    groups = km["groups"].values()
    n_terms = sum(1 for key, value in (cox_adjusted or {}).items() if isinstance(value, dict))
    events = sum(g["events"] for g in groups)
    effect = None
    arm = (cox_adjusted or {}).get("arm")
    if arm and arm["lower"] is not None:
        effect = "faster" if arm["lower"] > 1 else "slower" if arm["upper"] < 1 else "unclear"
    het_p = (sites or {}).get("heterogeneity_p")
    ph_p = (cox_adjusted or {}).get("ph_p")
    return {
        "small_numbers": any(g["n"] < SMALL_ARM for g in groups)
        or bool(n_terms and events < EVENTS_PER_COVARIATE * n_terms),
        "suppressed": any(suppress(g["n"]) for g in groups),
        "not_randomised": not randomised,
        "heavily_censored": any(g["n"] and g["censored"] / g["n"] > HEAVY_CENSORING for g in groups),
        "median_not_reached": any(g["median"] is None for g in groups),
        "ph_violated": ph_p is not None and ph_p < ALPHA,
        "sites_differ": het_p is not None and het_p < ALPHA,
        "effect": effect,
    }
