from django import template
from django.utils.formats import date_format

from fasthold.cases import timeline
from fasthold.cases.models import TimelineEvent

register = template.Library()


@register.filter
def describe(event: TimelineEvent) -> str:
    """A sentence for a timeline event, in the reader's language. Params never hold health text."""
    return timeline.describe(event.kind, event.params)


@register.filter
def danish_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"
