"""Sentences for the schedule's timeline events (kind "note", params {"schedule": code, ...}).

Registered in SchedulesConfig.ready() for the timeline events whose params hold "schedule"."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fasthold.schedules.models import DialName


def describe(params: dict) -> str:
    code = params.get("schedule")
    if code == "created":
        return _("Graded return schedule made (plan version %(number)s)") % {"number": params.get("number", "")}
    if code == "changed":
        return _("Graded return schedule changed (plan version %(number)s)") % {"number": params.get("number", "")}
    if code == "actual_hours":
        week = params.get("week")
        day = date_format(dt.date.fromisoformat(week), "SHORT_DATE_FORMAT") if week else ""
        return _("Hours worked recorded for the week of %(date)s") % {"date": day}
    if code == "dial_down":
        name = params.get("dial", "")
        label = DialName(name).label if name in DialName.values else name
        return _("Mixer console: %(dial)s turned down from %(from)s to %(to)s") % {
            "dial": str(label).lower(),
            "from": params.get("from"),
            "to": params.get("to"),
        }
    return _("Graded return schedule")
