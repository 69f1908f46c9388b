"""The evaluation page of a program: the dataset read, the statistics computed (fasthold/evaluation/
analysis.py), and the figures put in words and shapes for the page.

The result is cached under a key made of the program and the version of its data (the newest change to
its visitations, returns and follow-ups, and their counts), so a page is computed once per change.
"""

import hashlib
import math
import random

from django.core.cache import cache
from django.db.models import Count, Max
from django.db.models.functions import Greatest
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fasthold.evaluation import analysis, chart, dataset, process
from fasthold.evaluation.models import BenefitWeek, CaseReturn, FollowUp, RegisterImport
from fasthold.screening.models import Visitation

WEEK = 7.0
HORIZON_WEEKS = 52
TABLE_WEEKS = (4, 8, 13, 26, 39, 52)
CACHE_SECONDS = 24 * 3600
# The proportional-hazards check (scaled Schoenfeld residuals) grows much faster than the model itself;
# above this many people it is made on a random sample of this size (the same sample every time).
PH_CHECK_MAX = 5_000
COMPONENT_LABELS = {
    "early_contact": gettext_lazy("First contact within two weeks"),
    "coordination": gettext_lazy("Coordination (an agreement or three contacts)"),
    "workplace": gettext_lazy("The workplace involved (a joint meeting, or the employer taking part)"),
    "gradual": gettext_lazy("A graded return"),
    "interdisciplinary": gettext_lazy("A health professional taking part"),
}


def data_version(program) -> str:
    visits = Visitation.objects.filter(program=program)
    case_ids = visits.values("case_id")
    parts = [
        # Closing a case (its date and outcome) changes the dataset too: the newest change of either.
        visits.aggregate(n=Count("id"), at=Greatest(Max("updated_at"), Max("case__updated_at"))),
        CaseReturn.objects.filter(case_id__in=case_ids).aggregate(n=Count("id"), at=Max("updated_at")),
        FollowUp.objects.filter(case_id__in=case_ids).aggregate(n=Count("id"), at=Max("recorded_at")),
        BenefitWeek.objects.filter(case_id__in=case_ids).aggregate(n=Count("id"), at=Max("id")),
        # A register import may change statuses of weeks that exist already.
        RegisterImport.objects.filter(organisation=program.organisation_id).aggregate(
            n=Count("id"), at=Max("imported_at")
        ),
    ]
    return "|".join(f"{p['n']}:{p['at']}" for p in parts)


def _f(value, digits=2) -> str:
    """A figure for the page in the reader's language (a decimal comma in Danish)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return number_format(round(value, digits), digits)


def _p(value) -> str:
    if value is None or math.isnan(value):
        return "–"
    return f"< {_f(0.001, 3)}" if value < 0.001 else _f(value, 3)


def build(program, *, per_protocol: bool = False) -> dict:
    """The report of a program, from the cache when its data has not changed."""
    version = hashlib.sha256(data_version(program).encode()).hexdigest()[:32]
    key = f"evaluation:{program.pk}:{int(per_protocol)}:{version}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = compute(program, per_protocol=per_protocol)
        cache.set(key, numbers, CACHE_SECONDS)
    return present(program, numbers)


def compute(program, *, per_protocol: bool = False) -> dict:
    """The statistics of a program as plain numbers (cacheable, language-free), from the dataset's
    columns (dataset.program_frame)."""
    frame = dataset.program_frame(program, per_protocol=per_protocol)
    arms = sorted(set(zip(frame["arm_order"].tolist(), frame["arm"].tolist())))
    names = [name for _order, name in arms]
    sizes = {name: int((frame["arm"] == name).sum()) for name in names}
    numbers: dict = {"n": len(frame), "arms": names, "sizes": sizes, "min_group": dataset.MIN_GROUP}
    if len(names) < 1 or any(n < dataset.MIN_GROUP for n in sizes.values()):
        numbers["too_few"] = True
        return numbers
    durations = frame["duration"].clip(lower=0).to_numpy(dtype=float) / WEEK
    events = frame["event"].to_numpy(dtype=int)
    groups = frame["arm"].tolist()
    numbers["km"] = analysis.kaplan_meier(durations, events, groups, times=TABLE_WEEKS, horizon=HORIZON_WEEKS)
    if len(names) >= 2:
        if events.sum():
            numbers["logrank"] = analysis.logrank(durations, events, groups)
        numbers["rmst"] = analysis.rmst_difference(durations, events, groups, names[0], names[1], horizon=HORIZON_WEEKS)
        treated = (frame["arm"] == names[1]).to_numpy(dtype=int)
        adjusted = analysis.adjusted_covariates(
            treated,
            age=_column(frame["age"]),
            sex=_column(frame["sex"]),
            cause_group=frame["cause_group"].tolist(),
            profession=frame["profession"].tolist(),
            weeks_absent=_column(frame["weeks_absent"]),
        )
        try:
            numbers["cox_crude"] = analysis.cox(durations, events, {"arm": treated})
            numbers["cox_adjusted"] = analysis.cox(durations, events, adjusted, check_ph=len(frame) <= PH_CHECK_MAX)
            if len(frame) > PH_CHECK_MAX:
                numbers["cox_adjusted"]["ph_p"] = _ph_on_sample(durations, events, adjusted)
                numbers["ph_sample"] = PH_CHECK_MAX
            numbers["sites"] = analysis.per_site(
                durations, events, treated, frame["site"].tolist(), min_group=dataset.MIN_GROUP
            )
        except analysis.InputError:
            # No return yet in the data, or nothing that varies: the curves and counts still stand.
            numbers.pop("cox_crude", None)
            numbers.pop("cox_adjusted", None)
    returned = frame[frame["event"] == 1]
    if len(returned):
        numbers["recurrence"] = analysis.recurrence(
            returned["recurrence_duration"].to_numpy(dtype=float),
            returned["recurrence"].to_numpy(dtype=int),
            returned["arm"].tolist(),
            years_per_unit=1 / 365.25,
        )
    numbers["flags"] = analysis.caveats(
        numbers["km"],
        randomised=program.randomised,
        cox_adjusted=numbers.get("cox_adjusted"),
        sites=numbers.get("sites"),
    )
    components = process.components_for(Visitation.objects.filter(program=program).values("case_id"))
    numbers["process"] = process.coverage(frame["case_id"].tolist(), frame["event"].tolist(), components)
    return numbers


def _column(series) -> list:
    """A column with missing values as None (what analysis.adjusted_covariates leaves out of the model)."""
    return [None if value != value else value for value in series.to_numpy(dtype=float, na_value=float("nan"))]


def _ph_on_sample(durations, events, covariates: dict) -> float | None:
    """The proportional-hazards check of the adjusted model on the same random sample every time."""
    picked = sorted(random.Random(15).sample(range(len(durations)), PH_CHECK_MAX))
    fit = analysis.cox(
        durations[picked],
        events[picked],
        {name: [values[i] for i in picked] for name, values in covariates.items()},
        check_ph=True,
    )
    return fit["ph_p"]


def present(program, numbers: dict) -> dict:
    """The numbers in the reader's language and the chart's geometry."""
    report = {"too_few": numbers.get("too_few", False), "min_group": numbers["min_group"]}
    if report["too_few"]:
        return report
    names, km = numbers["arms"], numbers["km"]
    groups = []
    for name in names:
        g = km["groups"][name]
        groups.append(
            {
                "name": name,
                "n": g["n"],
                "events": g["events"],
                "median": None if g["median"] is None else _f(g["median"], 1),
                "rmst": _f(numbers["rmst"]["groups"][name], 1) if "rmst" in numbers else "–",
            }
        )
    report["groups"] = groups
    report["chart"] = chart.geometry(
        [chart.Series(name, km["groups"][name]["curve"]) for name in names], HORIZON_WEEKS, [0, 13, 26, 39, 52]
    )
    report["table"] = [
        {"week": week, "cells": [_cell(km["groups"][name]["at"][analysis.time_key(week)]) for name in names]}
        for week in TABLE_WEEKS
    ]
    if "logrank" in numbers:
        report["logrank"] = {"statistic": _f(numbers["logrank"]["statistic"]), "p": _p(numbers["logrank"]["p"])}
    if "rmst" in numbers:
        d = numbers["rmst"]
        report["rmst_difference"] = {
            "value": _f(d["difference"], 1),
            "lower": _f(d["lower"], 1),
            "upper": _f(d["upper"], 1),
        }
    if "cox_crude" in numbers and "arm" in numbers["cox_crude"]:
        report["hazard_ratios"] = [
            {
                "label": _("Hazard ratio, %(arm)s against %(other)s") % {"arm": names[1], "other": names[0]},
                **_hr(numbers["cox_crude"]["arm"]),
            }
        ]
        adjusted = numbers["cox_adjusted"]
        if "arm" in adjusted:
            report["hazard_ratios"].append(
                {
                    "label": _("Hazard ratio adjusted for age, sex, cause, profession and weeks off work"),
                    **_hr(adjusted["arm"]),
                }
            )
        ph = adjusted.get("ph_p")
        report["ph_check"] = (
            {"p": _p(ph), "violated": ph < 0.05, "sample": numbers.get("ph_sample")} if ph is not None else None
        )
    if "sites" in numbers:
        report["sites"] = [
            {"site": s["site"], "n": s["n"], **(_hr(s) if s["hr"] is not None else {"hr": None})}
            for s in numbers["sites"]["sites"]
        ]
        het = numbers["sites"].get("heterogeneity_p")
        report["heterogeneity"] = {"p": _p(het)} if het is not None else None
    report["recurrence"] = [
        {
            "name": name,
            "returned": r["n"],
            "recurrences": r["recurrences"] if r["n"] >= numbers["min_group"] else "–",
            "rate": _f(r["rate_per_1000"], 0)
            if r["n"] >= numbers["min_group"] and r["rate_per_1000"] is not None
            else "–",
        }
        for name, r in numbers.get("recurrence", {}).items()
    ]
    coverage = numbers["process"]
    report["process"] = {
        "received": [(str(COMPONENT_LABELS[k]), coverage["received"].get(k, 0)) for k in process.COMPONENT_NAMES],
        "by_count": [
            (count, people, returned if people >= numbers["min_group"] else "–")
            for count, (people, returned) in sorted(coverage["by_count"].items())
            if people
        ],
    }
    report["sentences"] = _sentences(numbers, names)
    report["caveats"] = _caveats(numbers)
    return report


def _cell(at: dict) -> dict:
    if at["survival"] is None:
        return {"share": "–", "lower": "–", "upper": "–", "at_risk": at["at_risk"]}
    return {
        "share": _f(100 * (1 - at["survival"]), 0) + " %",
        "lower": _f(100 * (1 - at["upper"]), 0),
        "upper": _f(100 * (1 - at["lower"]), 0) + " %",
        "at_risk": at["at_risk"],
    }


def _hr(result: dict) -> dict:
    return {"hr": _f(result["hr"]), "lower": _f(result["lower"]), "upper": _f(result["upper"]), "p": _p(result["p"])}


def _sentences(numbers, names) -> list[str]:
    km = numbers["km"]["groups"]
    out = []
    for name in names:
        g = km[name]
        at = g["at"][analysis.time_key(HORIZON_WEEKS)]
        if at["survival"] is None:
            continue
        out.append(
            _("%(arm)s: %(share)s %% were back at work to stay within a year (%(n)d people).")
            % {"arm": name, "share": _f(100 * (1 - at["survival"]), 0), "n": g["n"]}
        )
    effect = numbers["flags"]["effect"]
    if effect and len(names) > 1:
        out.append(
            {
                "faster": _("People in %(arm)s returned faster, and chance alone is an unlikely explanation."),
                "slower": _("People in %(arm)s returned more slowly, and chance alone is an unlikely explanation."),
                "unclear": _("The difference between %(arm)s and %(other)s could be chance."),
            }[effect]
            % {"arm": names[1], "other": names[0]}
        )
    if numbers["flags"]["sites_differ"]:
        out.append(_("The effect differs between the sites: look at each site before concluding."))
    return out


def _caveats(numbers) -> list[str]:
    flags, out = numbers["flags"], []
    if flags["not_randomised"]:
        out.append(
            _("The arms were not allocated at random, so they may differ in ways the adjustment does not capture.")
        )
    if flags["small_numbers"]:
        out.append(
            _(
                "The numbers are small: the confidence intervals are wide and the figures may change a lot with a few more people."
            )
        )
    if flags["heavily_censored"]:
        out.append(
            _(
                "For many people no lasting return is known yet. They count as followed until the last day something is known about them (censored), not as failures."
            )
        )
    if flags["median_not_reached"]:
        out.append(_("Where fewer than half have returned, the median is not reached and is not shown."))
    if flags["ph_violated"]:
        out.append(
            _("The difference between the arms changes over time, so the hazard ratio is an average over the period.")
        )
    out.append(_("Figures for fewer than %(n)d people are not shown.") % {"n": numbers["min_group"]})
    return out
