from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from fasthold.coordination import selectors, wording
from fasthold.coordination.access import may_log, may_work_on_statement
from fasthold.coordination.models import PossibilityStatement

register = template.Library()


def _contact_status(case):
    """The case's contact status, read once per page: the overview and the panel share it (kept on the
    case object, which lives for one request)."""
    if not hasattr(case, "_contact_status"):
        case._contact_status = selectors.contact_status(case, timezone.localdate())
    return case._contact_status


@register.inclusion_tag("coordination/_overview.html")
def overview_contact(case, access):
    """The case page's overview: the last contact and when the next is due. No note text, so the same
    for every reader; shares its two queries with the contact panel."""
    return {"case": case, "access": access, "status": _contact_status(case)}


@register.simple_tag
def contact_panel(case, access):
    """The case page's contact panel: the agreement, the last contact, overdue contact.
    Two queries (the current agreement, the last contact); the panel shows no note text, so it is
    the same for every reader."""
    status = _contact_status(case)
    return render_to_string(
        "coordination/_panel.html",
        {
            "case": case,
            "access": access,
            "status": status,
            "may_log": may_log(access),
        },
    )


@register.filter
def agreement_line(agreement) -> str:
    return wording.agreement_summary(agreement) if agreement else ""


@register.filter
def statement_status(statement) -> str:
    """Where a fitness-for-work statement stands, in a few words."""
    return wording.statement_status(statement.step)


@register.filter
def statement_sharing(statement) -> list[tuple[str, str, object]]:
    """(recipient, label, shared since or None) for the doctor's part of a statement: manager, HR."""
    return [
        ("manager", _("The manager"), statement.shared_with_manager_at),
        ("hr", _("HR"), statement.shared_with_hr_at),
    ]


@register.simple_tag
def statement_panel(case, access, heading_class=""):
    """The fitness-for-work statements in brief, for the case page and the portals: the latest one's
    status and who asked, and for the employee its part 1. No part 2 here, so nothing to log. Two
    queries: the newest, and the count."""
    statements = PossibilityStatement.objects.filter(case=case).defer("doctor_assessment")
    latest = statements.select_related("created_by").first()
    return render_to_string(
        "coordination/_statement_panel.html",
        {
            "case": case,
            "access": access,
            "latest": latest,
            "count": statements.count() if latest else 0,
            "may_work": may_work_on_statement(access),
            "heading_class": heading_class,
        },
    )
