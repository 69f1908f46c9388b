from django import template

from fasthold.plans import selectors
from fasthold.plans.models import PlanVersion, StepPlacement, VersionStatus

register = template.Library()


def _step_and_current(case):
    """The latest step placement and the current plan version, read once per page: the overview and the
    plan panel share them (kept on the case object, which lives for one request). Two queries."""
    if not hasattr(case, "_plan_step_current"):
        step = StepPlacement.objects.filter(case=case).order_by("-placed_on", "-id").first()
        current = PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()
        case._plan_step_current = (step, current)
    return case._plan_step_current


@register.inclusion_tag("plans/_case_summary.html")
def plan_summary(case, access):
    """For the case page: the step, the current plan's version and evaluation date, and whether the
    employee has agreed. Two queries; no health content, so it is safe for every reader."""
    step, current = _step_and_current(case)
    return {"case": case, "access": access, "step": step, "current": current}


@register.simple_tag
def current_step(case):
    """The case's latest placement on the step model, or None (shared with the plan panel)."""
    return _step_and_current(case)[0]


@register.inclusion_tag("plans/_overview.html")
def overview_plan(case, access):
    """The case page's overview: the current plan's goal and how far its sub-goals have come. The goal is
    shown to every reader of the plan page; the progress counts only the sub-goals this reader sees."""
    _step, current = _step_and_current(case)
    progress = selectors.progress(current, employer_view=not access.can_view_health) if current else None
    return {"case": case, "access": access, "current": current, "progress": progress}
