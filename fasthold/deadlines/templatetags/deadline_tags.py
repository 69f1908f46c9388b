"""Dates on the calendar pages: with the weekday, since many "within N weeks" deadlines end on a Sunday."""

import re

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fasthold.deadlines import selectors
from fasthold.deadlines.models import Responsible

register = template.Library()


@register.filter
def weekday_date(value) -> str:
    """ "søndag 29.03.2026" / "Sunday 03/29/2026": the weekday, then the short date; "–" for none."""
    if not value:
        return "–"
    return f"{date_format(value, 'l')} {date_format(value, 'SHORT_DATE_FORMAT')}"


@register.filter
def responsible_label(value: str) -> str:
    return Responsible(value).label if value in Responsible.values else value


_CONFIDENCE = {
    "high": _("High"),
    "medium-high": _("Medium-high"),
    "medium": _("Medium"),
    "low": _("Low"),
    "unconfirmed": _("Unconfirmed"),
    "assumption": _("Assumption"),
    "practice": _("Practice (recommendation)"),
}


@register.filter
def confidence_label(value: str) -> str:
    return str(_CONFIDENCE.get(value, value))


_URL = re.compile(r"https?://[^\s;,]+[^\s;,.]")


@register.filter
def first_url(source: str) -> str:
    """The first web address in a source citation ("Publisher: title, https://..."), or ""."""
    found = _URL.search(source or "")
    return found.group(0) if found else ""


@register.filter
def deadline_when(deadline, language: str) -> str:
    """A standing rule's "when", in words, in the reader's language."""
    return deadline.when(language)


@register.inclusion_tag("deadlines/_overview.html")
def overview_deadlines(case, access):
    """The case page's overview: the next three deadlines this reader may see, overdue first. One query."""
    today = timezone.localdate()
    rows = selectors.overview_deadlines(case, access)
    for d in rows:
        d.overdue = d.due < today
    return {
        "case": case,
        "access": access,
        "deadlines": rows,
        "language": get_language(),
    }
