"""Sentences for the calendar's timeline notes (params "calendar_event" or "deadline_done"; registered in
DeadlinesConfig.ready)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fasthold.deadlines.models import EventKey, rule_for


def _date(iso: str | None) -> str:
    return date_format(dt.date.fromisoformat(iso), "SHORT_DATE_FORMAT") if iso else ""


def describe_calendar_event(p: dict) -> str:
    label = EventKey(p["calendar_event"]).label if p["calendar_event"] in EventKey.values else p["calendar_event"]
    return _("Event recorded: %(event)s, %(date)s") % {"event": label, "date": _date(p.get("date"))}


def describe_deadline_done(p: dict) -> str:
    try:
        rule = rule_for(p.get("pack", ""), p["deadline_done"])
        title = rule.title_en if get_language() == "en" else rule.title_da
    except (KeyError, ValueError, FileNotFoundError):
        title = p["deadline_done"]
    return _("Done: %(deadline)s, %(date)s") % {"deadline": title, "date": _date(p.get("date"))}
