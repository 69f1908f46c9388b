"""Reads for the screening pages, shaped for the templates."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.cases.choices import CauseCategory, EmploymentStatus
from fasthold.screening import visitation as rules
from fasthold.screening.catalog import text
from fasthold.screening.forms import AllocationForm, CriteriaForm, DecisionForm, DropoutForm
from fasthold.screening.models import AllocationMethod, Decision, QuestionnaireResponse, Visitation
from fasthold.screening.services import case_facts, visitation_evaluate


def visitation_for(case, program) -> Visitation | None:
    return (
        Visitation.objects.filter(case=case, program=program)
        .select_related("arm", "decided_by", "allocated_by", "program", "case")
        .first()
    )


def _computed_detail(criterion, facts) -> str:
    if criterion.computed_key == rules.WEEKS_MAX:
        return _("%(weeks)s weeks since the first sick day (limit %(limit)s)") % {
            "weeks": facts.weeks_since_first_sick_day,
            "limit": criterion.parameter,
        }
    if criterion.computed_key == rules.EMPLOYED_NOT_DISMISSED:
        status = facts.employment_status
        return (
            str(EmploymentStatus(status).label) if status in EmploymentStatus.values else _("No employment registered")
        )
    if criterion.computed_key == rules.CAUSE_CATEGORY_IS:
        return _("Cause registered on the case: %(cause)s") % {"cause": CauseCategory(facts.cause_category).label}
    return _("Cause group registered on the case: %(group)s") % {"group": facts.cause_group}


def visit_context(case, access, program, visitation, forms, conflict: bool) -> dict:
    criteria = list(program.criteria.all())
    answers = visitation.answers if visitation else {}
    evaluation = visitation_evaluate(case, criteria, answers)
    facts = case_facts(case)
    outcomes = {o.id: o for o in evaluation.outcomes}
    rows = []
    for c in criteria:
        outcome = outcomes[str(c.pk)]
        rows.append(
            {
                "criterion": c,
                "value": outcome.value,
                "passes": outcome.passes,
                "detail": _computed_detail(c, facts) if c.source == rules.COMPUTED else "",
                "note": answers.get(str(c.pk), {}).get("note", ""),
            }
        )
    by_id = {str(c.pk): c for c in criteria}
    today = timezone.localdate()
    context = {
        "case": case,
        "access": access,
        "program": program,
        "visitation": visitation,
        "rows": rows,
        "evaluation": evaluation,
        "failing": [by_id[i] for i in evaluation.failing],
        "missing": [by_id[i] for i in evaluation.missing],
        "conflict": conflict,
        "sessions": list(visitation.sessions.all()) if visitation else [],
        "arms": list(program.arms.prefetch_related("session_templates")),
    }
    if access.can_edit:
        context["criteria_form"] = forms.get("criteria") or CriteriaForm(criteria=criteria, visitation=visitation)
        if visitation:
            version = {"version": visitation.version}
            context["decision_form"] = forms.get("decision") or DecisionForm(
                visitation=visitation, initial={**version, "decision": visitation.decision}
            )
            method = AllocationMethod.RANDOM if program.randomised else AllocationMethod.MANUAL
            context["allocation_form"] = forms.get("allocation") or AllocationForm(
                visitation=visitation, initial={**version, "method": method, "start_date": today}
            )
            context["dropout_form"] = forms.get("dropout") or DropoutForm(
                visitation=visitation, initial={**version, "dropout_on": today}
            )
            if conflict:
                # Keep the user's input but let the next save start from the version now stored.
                for form in forms.values():
                    form.data = form.data.copy()
                    form.data["version"] = str(visitation.version)
    context["can_allocate"] = bool(visitation and visitation.decision == Decision.ACCEPTED and not visitation.arm_id)
    return context


@dataclass
class Series:
    instrument_id: str
    name: str
    instrument: object | None
    low: int
    high: int
    important_change: int | None
    higher_is_better: bool
    points: list = field(default_factory=list)


def series(responses: list[QuestionnaireResponse], instruments: dict) -> list[Series]:
    """Responses grouped per instrument, oldest first, with what the bars need. No queries."""
    out: dict[str, Series] = {}
    for r in responses:
        s = out.get(r.instrument_id)
        if s is None:
            instrument = instruments.get(r.instrument_id)
            low, high = instrument.score_range if instrument else (0, max(x.score for x in responses))
            s = out[r.instrument_id] = Series(
                r.instrument_id,
                text(r.instrument_name),
                instrument,
                low,
                high,
                instrument.important_change if instrument else None,
                (instrument.direction == "higher_is_better") if instrument else True,
            )
        span = (s.high - s.low) or 1
        previous = s.points[-1]["response"] if s.points else None
        change = r.score - previous.score if previous else None
        s.points.append(
            {
                "response": r,
                "band": text(r.band_label),
                "percent": round(100 * (r.score - s.low) / span),
                "change": change,
                "important": change is not None
                and s.important_change is not None
                and abs(change) >= s.important_change,
                "algorithms": [(text(a.get("label")), a.get("result"), a.get("met")) for a in r.algorithms.values()],
            }
        )
    return sorted(out.values(), key=lambda s: s.name)
