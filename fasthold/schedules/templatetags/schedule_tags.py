from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from fasthold.cases.choices import AbsenceExtent
from fasthold.schedules import extent, selectors

register = template.Library()


@register.filter
def hours(value) -> str:
    """2.0 -> "2", 3.5 -> "3,5" in Danish, 3.25 -> "3,25": no trailing zeros."""
    if value is None or value == "":
        return ""
    return number_format(Decimal(f"{float(value):g}"))


@register.simple_tag
def absence_extent(case) -> str:
    """The extent of absence in words: this week's from the graded schedule when one covers it
    ("Partial absence: 12 of 37 hours worked this week"), else the case's recorded extent."""
    return describe_extent(case, selectors.absence_extent(case))


@register.simple_tag
def describe_extent(case, derived) -> str:
    """absence_extent's words for an extent already computed (selectors.absence_extents, for a list)."""
    if derived is None:
        text = str(case.get_absence_extent_display())
        if case.absence_hours_per_week:
            text += ", " + _("%(hours)s hours a week") % {"hours": hours(case.absence_hours_per_week)}
        return text
    numbers = {"worked": hours(derived.worked_hours), "normal": hours(derived.normal_hours)}
    if derived.kind == extent.FULL:
        return str(AbsenceExtent.FULL.label)
    if derived.kind == extent.NONE:
        return _("Back at normal hours this week (%(worked)s hours)") % numbers
    if derived.recorded:
        return _("Partial absence: %(worked)s of %(normal)s hours worked this week") % numbers
    return _("Partial absence: %(worked)s of %(normal)s hours planned this week") % numbers
