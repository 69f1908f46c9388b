from django import template
from django.utils.formats import date_format

from fasthold.audit.labels import field_labels
from fasthold.cases import timeline
from fasthold.cases.models import TimelineEvent

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
