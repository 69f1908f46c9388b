"""Sentences for the meetings' timeline events, in the reader's language. Params hold labels only."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fasthold.cases.models import EventKind
from fasthold.meetings.models import MeetingKind

KINDS = (
    EventKind.MEETING_PLANNED,
    EventKind.MEETING_CHANGED,
    EventKind.MEETING_CANCELLED,
    EventKind.MEETING_HELD,
    EventKind.AGREEMENTS_CONFIRMED,
)


def describe_event(kind: str, params: dict) -> str:
    """For example "Joint meeting planned for 12.03.2027"."""
    meeting_kind = params.get("meeting_kind")
    label = str(MeetingKind(meeting_kind).label) if meeting_kind in MeetingKind.values else _("Meeting")
    try:
        day = date_format(dt.date.fromisoformat(params.get("date", "")), "SHORT_DATE_FORMAT")
    except ValueError:
        day = ""
    texts = {
        EventKind.MEETING_PLANNED: _("%(meeting)s planned for %(date)s"),
        EventKind.MEETING_CHANGED: _("%(meeting)s on %(date)s changed"),
        EventKind.MEETING_CANCELLED: _("%(meeting)s on %(date)s cancelled"),
        EventKind.MEETING_HELD: _("Minutes written: %(meeting)s on %(date)s"),
        EventKind.AGREEMENTS_CONFIRMED: _("Agreements confirmed: %(meeting)s on %(date)s"),
    }
    text = texts.get(kind)
    if text is None:
        return str(EventKind(kind).label) if kind in EventKind.values else kind
    return text % {"meeting": label, "date": day}
