from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def kr(value) -> str:
    """Whole kroner with the language's thousands separator: 90.000 in Danish, 90,000 in English."""
    if value in (None, ""):
        return "–"
    return number_format(value, decimal_pos=0, force_grouping=True)


@register.filter
def lines(text: str) -> list[str]:
    """A knowledge-base or policy text as lines, without list hyphens and empty lines."""
    return [line.lstrip("-•* ").strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def percent_of(value, maximum) -> str:
    """value as a percentage of maximum, for bar widths (a plain number, dot decimal)."""
    try:
        return f"{max(0.0, min(100.0, 100 * float(value) / float(maximum))):.1f}"
    except (TypeError, ValueError, ZeroDivisionError):
        return "0"
