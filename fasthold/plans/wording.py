"""Sentences for the plan's timeline events (kinds "plan_*" and "step_placed"; registered in PlansConfig.ready)."""

from django.utils.translation import gettext as _

from fasthold.cases.models import EventKind

KINDS = (
    EventKind.STEP_PLACED,
    EventKind.PLAN_CREATED,
    EventKind.PLAN_REVISED,
    EventKind.PLAN_PUBLISHED,
    EventKind.PLAN_AGREED,
    EventKind.PLAN_COMMENTED,
    EventKind.PLAN_PROPOSAL,
    EventKind.PLAN_PROPOSAL_ACCEPTED,
    EventKind.PLAN_PROPOSAL_DECLINED,
)
_VERSIONED = (
    EventKind.PLAN_CREATED,
    EventKind.PLAN_REVISED,
    EventKind.PLAN_PUBLISHED,
    EventKind.PLAN_AGREED,
    EventKind.PLAN_COMMENTED,
)


def describe_event(kind: str, p: dict) -> str:
    if kind == EventKind.STEP_PLACED and p.get("step"):
        return _("Placed on step %(step)s of the step model") % {"step": p["step"]}
    if kind in _VERSIONED and p.get("number"):
        return _("%(what)s (version %(number)s)") % {"what": EventKind(kind).label, "number": p["number"]}
    return str(EventKind(kind).label)
