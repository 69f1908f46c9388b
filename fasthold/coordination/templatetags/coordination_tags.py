from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from fasthold.coordination import selectors, wording
from fasthold.coordination.access import may_log

register = template.Library()


@register.simple_tag
def contact_panel(case, access):
    """The case page's contact panel: the agreement, the last contact, overdue contact.
    Two queries (the current agreement, the last contact); the panel shows no note text, so it is
    the same for every reader."""
    status = selectors.contact_status(case, timezone.localdate())
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
