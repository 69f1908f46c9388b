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
    if "screening" in p:
        return _screening(p)
    if "schedule" in p:
        from fasthold.schedules.events import describe as describe_schedule

        return describe_schedule(p)
    if event.kind in (EventKind.CONTACT_AGREEMENT, EventKind.CONTACT_LOGGED):
        from fasthold.coordination.wording import describe_event

        return describe_event(event.kind, p)
    if event.kind in (EventKind.MEETING_PLANNED, EventKind.MEETING_CHANGED, EventKind.MEETING_CANCELLED,
                      EventKind.MEETING_HELD, EventKind.AGREEMENTS_CONFIRMED):
        from fasthold.meetings.wording import describe_event as describe_meeting

        return describe_meeting(event.kind, p)
    if event.kind in (EventKind.CONSENT_CHANGED, EventKind.COLLEAGUE_MESSAGE):
        from fasthold.sharing.wording import describe_event as describe_sharing

        return describe_sharing(event.kind, p)
    if event.kind == EventKind.NOTE:
        return _note(p)
    if event.kind == EventKind.STEP_PLACED and p.get("step"):
        return _("Placed on step %(step)s of the step model") % {"step": p["step"]}
    if event.kind in (EventKind.PLAN_CREATED, EventKind.PLAN_REVISED, EventKind.PLAN_PUBLISHED,
                      EventKind.PLAN_AGREED, EventKind.PLAN_COMMENTED) and p.get("number"):
        return _("%(what)s (version %(number)s)") % {"what": EventKind(event.kind).label, "number": p["number"]}
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else capfirst(event.kind)


def _screening(p: dict) -> str:
    texts = {
        "visitation_answered": _("Visitation to %(program)s: criteria answered"),
        "visitation_decided": _("Visitation to %(program)s decided"),
        "visitation_allocated": _("Allocated to an arm of %(program)s"),
        "visitation_dropout": _("Dropped out of %(program)s"),
        "prognostic_profile": _("Prognostic profile updated"),
        "questionnaire": _("Questionnaire answered"),
    }
    text = texts.get(p["screening"])
    return text % {"program": p.get("program", "")} if text else str(EventKind.NOTE.label)


def _note(p: dict) -> str:
    from django.utils.translation import get_language

    from fasthold.deadlines.models import EventKey, rule_for

    if "calendar_event" in p:
        label = EventKey(p["calendar_event"]).label if p["calendar_event"] in EventKey.values else p["calendar_event"]
        return _("Event recorded: %(event)s, %(date)s") % {"event": label, "date": _date(p.get("date"))}
    if "deadline_done" in p:
        try:
            rule = rule_for(p.get("pack", ""), p["deadline_done"])
            title = rule.title_en if get_language() == "en" else rule.title_da
        except (KeyError, ValueError, FileNotFoundError):
            title = p["deadline_done"]
        return _("Done: %(deadline)s, %(date)s") % {"deadline": title, "date": _date(p.get("date"))}
    return p.get("text") or str(EventKind.NOTE.label)


def _date(iso: str | None) -> str:
    import datetime as dt

    return date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else ""


@register.filter
def danish_date(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "–"
