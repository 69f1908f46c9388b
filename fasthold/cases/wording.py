"""Sentences for the case's own timeline events, in the reader's language (registered in CasesConfig.ready)."""

from django.utils.translation import gettext as _

from fasthold.cases.choices import Outcome, ParticipantRole
from fasthold.cases.models import Case, Employment, EventKind, HealthRecord, Person

_MODELS = (Case, Person, Employment, HealthRecord)

KINDS = (
    EventKind.CASE_OPENED,
    EventKind.CASE_UPDATED,
    EventKind.CASE_CLOSED,
    EventKind.CASE_REOPENED,
    EventKind.PARTICIPANT_ADDED,
    EventKind.PARTICIPANT_REMOVED,
    EventKind.HEALTH_UPDATED,
    EventKind.NOTE,
    EventKind.ENTERED_IN_ERROR,
    EventKind.COORDINATOR_REASSIGNED,
)


def _field_label(name: str) -> str:
    for model in _MODELS:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - not a field of this model
            continue
    return name


def describe_event(kind: str, p: dict) -> str:
    if kind == EventKind.CASE_UPDATED:
        return _("Changed: %(fields)s") % {"fields": ", ".join(_field_label(f) for f in p.get("fields", []))}
    if kind in (EventKind.PARTICIPANT_ADDED, EventKind.PARTICIPANT_REMOVED):
        role = ParticipantRole(p["role"]).label if p.get("role") in ParticipantRole.values else p.get("role", "")
        text = (
            _("%(name)s added as %(role)s")
            if kind == EventKind.PARTICIPANT_ADDED
            else _("%(name)s removed as %(role)s")
        )
        return text % {"name": p.get("name", ""), "role": str(role).lower()}
    if kind == EventKind.CASE_CLOSED:
        outcome = Outcome(p["outcome"]).label if p.get("outcome") in Outcome.values else ""
        return _("Case closed. Outcome: %(outcome)s") % {"outcome": outcome}
    if kind == EventKind.ENTERED_IN_ERROR:
        from fasthold.cases import corrections

        return _("Marked as entered in error: %(what)s") % {"what": corrections.kind_label(p.get("what", ""))}
    if kind == EventKind.COORDINATOR_REASSIGNED:
        # The words the catalogue already has ("New coordinator"), then the name.
        return f"{_('New coordinator')}: {p.get('name', '')}"
    if kind == EventKind.NOTE:
        return p.get("text") or str(EventKind.NOTE.label)
    return str(EventKind(kind).label)
