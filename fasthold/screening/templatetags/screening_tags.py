from django import template

from fasthold.screening.catalog import text

register = template.Library()


@register.filter
def get_label(labels) -> str:
    """An instrument's {"da": ..., "en": ...} text in the reader's language."""
    return text(labels)
