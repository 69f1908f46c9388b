from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def hours(value) -> str:
    """2.0 -> "2", 3.5 -> "3,5" in Danish, 3.25 -> "3,25": no trailing zeros."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(f"{float(value):g}"))
