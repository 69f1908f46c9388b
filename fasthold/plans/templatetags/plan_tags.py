from django import template

from fasthold.plans.models import PlanVersion, StepPlacement, VersionStatus

register = template.Library()


@register.inclusion_tag("plans/_case_summary.html")
def plan_summary(case, access):
    """For the case page: the step, the current plan's version and evaluation date, and whether the
    employee has agreed. Two queries; no health content, so it is safe for every reader."""
    step = StepPlacement.objects.filter(case=case).order_by("-placed_on", "-id").first()
    current = PlanVersion.objects.filter(plan__case=case, status=VersionStatus.CURRENT).first()
    return {"case": case, "access": access, "step": step, "current": current}
