from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from fasthold.audit.labels import field_labels
from fasthold.cases import timeline
from fasthold.cases.access import CaseAccess
from fasthold.cases.models import Case, TimelineEvent

register = template.Library()


@register.filter
def field_words(names) -> list[str]:
    """Stored field names as words for people ("closed on", translated), never "closed_on"."""
    return field_labels(names)


@register.filter
def describe(event: TimelineEvent) -> str:
    """A sentence for a timeline event, in the reader's language. Params never hold health text."""
    return timeline.describe(event.kind, event.params)


@register.filter
def danish_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"


# The parts of a case, in the side navigation's order: (key, label, URL name, who may open it). Each
# condition is the target view's own access check, so no link in the navigation leads to a 403 or 404.
_CASE_PARTS = (
    ("overview", _("Overview"), "cases:detail", lambda a: True),
    ("calendar", _("Calendar and deadlines"), "deadlines:case", lambda a: a.may_see_worksheets),
    ("schedule", _("Graded return schedule"), "schedules:schedule", lambda a: True),
    ("plan", _("Plan"), "plans:plan", lambda a: True),
    ("meetings", _("Meetings"), "meetings:list", lambda a: True),
    ("contacts", _("Contacts"), "coordination:contacts", lambda a: True),
    ("statements", _("Fitness-for-work statements"), "coordination:statements", lambda a: True),
    ("guidance", _("Guidance"), "guidance:case", lambda a: a.is_staff or a.is_employer_side),
    ("first_contact", _("First contact with the employer"), "guidance:first_contact", lambda a: a.is_staff),
    ("programs", _("Programs"), "screening:case_programs", lambda a: a.is_staff),
    ("profile", _("Prognostic profile"), "screening:profile", lambda a: a.may_see_worksheets and a.can_view_health),
    (
        "questionnaires",
        _("Questionnaires"),
        "screening:questionnaires",
        lambda a: a.may_see_worksheets and a.can_view_health,
    ),
    ("health", _("Health information"), "cases:health", lambda a: a.can_view_health),
    ("outcome", _("Return to work and follow-up"), "evaluation:case", lambda a: a.is_staff),
)


def case_parts(case: Case, access: CaseAccess, current: str = "") -> list[dict]:
    """The parts of the case this reader may open, the current one marked. No queries. The employee's
    overview of her own case is her portal (/me/), in words meant for her."""
    parts = []
    for key, label, url_name, may_open in _CASE_PARTS:
        if not may_open(access):
            continue
        if key == "overview" and access.is_employee_only:
            href = reverse("portals:employee")
        else:
            href = reverse(url_name, args=[case.public_id])
        parts.append({"key": key, "text": label, "href": href, "current": key == current})
    return parts


@register.inclusion_tag("cases/_case_nav.html", takes_context=True)
def case_nav(context, case, current=""):
    """The side navigation between the parts of a case, for the case page and its sub-pages, from the
    page's `access` (every case view puts it in the context)."""
    return {"case": case, "parts": case_parts(case, context["access"], current)}
