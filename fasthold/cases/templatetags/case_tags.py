from django import template
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from fasthold.cases.choices import Outcome, ParticipantRole
from fasthold.cases.models import Case, Employment, EventKind, HealthRecord, Person, TimelineEvent

register = template.Library()

_MODELS = (Case, Person, Employment, HealthRecord)


def _field_label(name: str) -> str:
    for model in _MODELS:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return name


@register.filter
def describe(event: TimelineEvent) -> str:
    """A sentence for a timeline event, in the reader's language. Params never hold health text."""
    p = event.params
    if event.kind == EventKind.CASE_UPDATED:
        return _("Changed: %(fields)s") % {"fields": ", ".join(_field_label(f) for f in p.get("fields", []))}
    if event.kind in (EventKind.PARTICIPANT_ADDED, EventKind.PARTICIPANT_REMOVED):
        role = ParticipantRole(p["role"]).label if p.get("role") in ParticipantRole.values else p.get("role", "")
        text = _("%(name)s added as %(role)s") if event.kind == EventKind.PARTICIPANT_ADDED else _(
            "%(name)s removed as %(role)s"
        )
        return text % {"name": p.get("name", ""), "role": str(role).lower()}
    if event.kind == EventKind.CASE_CLOSED:
        outcome = Outcome(p["outcome"]).label if p.get("outcome") in Outcome.values else ""
        return _("Case closed. Outcome: %(outcome)s") % {"outcome": outcome}
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else capfirst(event.kind)


@register.filter
def danish_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"
